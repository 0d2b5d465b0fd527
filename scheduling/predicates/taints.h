// Taints (spec §2.5): the pod must tolerate every NoSchedule and NoExecute
// taint, and also PreferNoSchedule ones until relaxation step 6 tolerates
// them all (spec §2.4).
#pragma once

#include "scheduling/predicates/predicate.h"

namespace adze::scheduling {

class TaintsPredicate final : public Predicate {
 public:
  std::string_view Name() const override { return "taints"; }
  Verdict Check(const PodView& pod, const Candidate& c) const override;
};

// True when the pod at step tolerates every taint that counts.
bool ToleratesTaints(const PodView& pod, const std::vector<model::Taint>& taints);

}  // namespace adze::scheduling
