// Requirements and node affinity (spec §2.6): the pod's nodeSelector, its
// current required node-affinity term and (while respected) its heaviest
// preferred term must be compatible with the node side — node labels, a
// claim's narrowed requirements, or a template's (∩ an instance type's).
#pragma once

#include "scheduling/predicates/predicate.h"

namespace adze::scheduling {

class RequirementsPredicate final : public Predicate {
 public:
  std::string_view Name() const override { return "requirements"; }
  Verdict Check(const PodView& pod, const Candidate& c) const override;
};

}  // namespace adze::scheduling
