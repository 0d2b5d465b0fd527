// Pod affinity (spec §2.7), required and (while respected) preferred: only
// domains holding at least one matching pod; when no domain has one and the
// pod matches its own selector, any domain bootstraps the group.
#pragma once

#include "scheduling/predicates/predicate.h"

namespace adze::scheduling {

class PodAffinityPredicate final : public Predicate {
 public:
  std::string_view Name() const override { return "pod-affinity"; }
  Verdict Check(const PodView& pod, const Candidate& c) const override;
};

// Removes the domains without a matching pod (unless the group is empty and
// the pod matches itself). An emptied set may heal: *permanent is cleared.
void FilterAffinityDomains(const TopologyTerm& term, const Topology& topology, std::vector<int>& domains,
                           std::string* why, bool* permanent);

}  // namespace adze::scheduling
