// Pod anti-affinity (spec §2.7): only domains with no matching pod. Inverse:
// pods already placed that own a *required* anti-affinity term keep the pods
// it selects out of their domains. Both only ever get stricter as pods are
// placed, so their failures are permanent within a solve.
#pragma once

#include "scheduling/predicates/predicate.h"

namespace adze::scheduling {

class PodAntiAffinityPredicate final : public Predicate {
 public:
  std::string_view Name() const override { return "pod-anti-affinity"; }
  Verdict Check(const PodView& pod, const Candidate& c) const override;
};

// The pod's own term: removes domains that hold a matching pod.
void FilterAntiAffinityDomains(const TopologyTerm& term, const Topology& topology, std::vector<int>& domains,
                               std::string* why);
// Other pods' required terms: removes key's domains where an owner whose
// selector picks the pod already runs.
void FilterInverseAntiAffinityDomains(const PreparedPod& pod, int key, const Topology& topology,
                                      std::vector<int>& domains, std::string* why);

}  // namespace adze::scheduling
