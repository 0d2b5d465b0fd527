// Limits (spec §2.5.3): a pool whose `nodes` limit is used up takes no new
// claim; an instance type whose capacity exceeds the pool's remaining limits
// is removed.
#pragma once

#include "scheduling/predicates/predicate.h"

namespace adze::scheduling {

class LimitsPredicate final : public Predicate {
 public:
  std::string_view Name() const override { return "limits"; }
  Verdict Check(const PodView& pod, const Candidate& c) const override;
};

}  // namespace adze::scheduling
