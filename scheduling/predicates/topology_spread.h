// Topology spread (spec §2.7): domain d is eligible iff
// count(d) + selfMatch − globalMin ≤ maxSkew, globalMin taken over the
// domains the pod may use (its group's eligible domains; 0 when minDomains
// exceeds their number, and always 0 for hostname, where a new node is empty).
// Counts honour the term's nodeAffinityPolicy / nodeTaintsPolicy filter.
#pragma once

#include "scheduling/predicates/predicate.h"

namespace adze::scheduling {

class TopologySpreadPredicate final : public Predicate {
 public:
  std::string_view Name() const override { return "topology-spread"; }
  Verdict Check(const PodView& pod, const Candidate& c) const override;
};

// Removes the domains (ids of term.key) the spread term forbids. Sets *why
// when none are left; clears *permanent when the failure may heal (zone-like
// keys: the global minimum can rise).
void FilterSpreadDomains(const TopologyTerm& term, const Topology& topology, std::vector<int>& domains,
                         std::string* why, bool* permanent);

}  // namespace adze::scheduling
