#include "scheduling/predicates/pod_affinity.h"

#include <algorithm>

#include "scheduling/topology.h"

namespace adze::scheduling {

void FilterAffinityDomains(const TopologyTerm& term, const Topology& topology, std::vector<int>& domains,
                           std::string* why, bool* permanent) {
  if (topology.group(term.group).total == 0 && term.self_match) return;  // the first pod starts it anywhere
  std::erase_if(domains, [&](int d) { return topology.Count(term.group, d) == 0; });
  if (!domains.empty()) return;
  if (why) {
    *why = std::string(term.preferred ? "preferred" : "required") + " pod affinity on " + term.key +
           " found no domain with a matching pod";
  }
  if (permanent) *permanent = false;
}

Verdict PodAffinityPredicate::Check(const PodView& pod, const Candidate& c) const {
  if (!c.topology || !c.domain_of) return Verdict::Pass();
  for (uint32_t i : pod.step->terms) {
    const TopologyTerm& t = pod.pod->topology[i];
    if (t.kind != TopologyTerm::Kind::kAffinity) continue;
    int d = (*c.domain_of)(c.topology->group(t.group).key);
    std::vector<int> one;
    if (d >= 0) one.push_back(d);
    std::string why;
    bool permanent = true;
    FilterAffinityDomains(t, *c.topology, one, c.explain ? &why : nullptr, &permanent);
    if (one.empty()) return Verdict::Fail(why, d >= 0 ? permanent : true);
  }
  return Verdict::Pass();
}

}  // namespace adze::scheduling
