// Requirement expressions as a person types them on the command line, in the
// spirit of kubectl's label selectors plus Karpenter's numeric operators:
//
//   key in (a,b)      key notin (a,b)     key=v   key==v   key!=v
//   key>n  key>=n  key<n  key<=n          key     !key
//
// Several expressions may be joined with commas outside parentheses. Errors
// quote the expression and point a caret at the offending token.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/requirement.h"
#include "model/result.h"

namespace adze::model {

struct ParsedRequirement {
  Requirement requirement;
  size_t key_begin = 0;  // where the key sits in the expression, for messages
  size_t key_end = 0;
};

Result<std::vector<ParsedRequirement>> ParseRequirementExpression(std::string_view expression);

// Two lines that quote text and underline [begin, end) with "^~~~".
std::string PointAt(std::string_view text, size_t begin, size_t end);

}  // namespace adze::model
