// LabelSelector (metav1.LabelSelector): matchLabels AND matchExpressions.
// An empty selector matches everything; Kubernetes' nil selector (matches
// nothing) is represented by std::optional<LabelSelector> being empty.
// Thread-safety: value type.
#pragma once

#include <string>
#include <vector>

#include "model/labels.h"

namespace adze::model {

struct LabelSelectorRequirement {
  enum class Op { kIn, kNotIn, kExists, kDoesNotExist };
  std::string key;
  Op op = Op::kIn;
  std::vector<std::string> values;
  friend bool operator==(const LabelSelectorRequirement&, const LabelSelectorRequirement&) = default;
};

struct LabelSelector {
  Labels match_labels;
  std::vector<LabelSelectorRequirement> match_expressions;

  bool Matches(const Labels& labels) const;
  friend bool operator==(const LabelSelector&, const LabelSelector&) = default;
};

}  // namespace adze::model
