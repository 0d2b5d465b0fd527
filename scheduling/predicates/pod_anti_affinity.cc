#include "scheduling/predicates/pod_anti_affinity.h"

#include <algorithm>

#include "scheduling/topology.h"

namespace adze::scheduling {

void FilterAntiAffinityDomains(const TopologyTerm& term, const Topology& topology, std::vector<int>& domains,
                               std::string* why) {
  std::erase_if(domains, [&](int d) { return topology.Count(term.group, d) > 0; });
  if (domains.empty() && why) {
    *why = std::string(term.preferred ? "preferred" : "required") + " pod anti-affinity on " + term.key +
           ": every domain has a matching pod";
  }
}

void FilterInverseAntiAffinityDomains(const PreparedPod& pod, int key, const Topology& topology,
                                      std::vector<int>& domains, std::string* why) {
  for (int id : pod.selected_by) {
    const Topology::Group& g = topology.group(id);
    if (!g.owner || g.key != key || g.total == 0) continue;
    std::erase_if(domains, [&](int d) { return topology.Count(id, d) > 0; });
    if (domains.empty()) {
      if (why) *why = "another pod's required anti-affinity on " + topology.KeyName(key) + " excludes it";
      return;
    }
  }
}

Verdict PodAntiAffinityPredicate::Check(const PodView& pod, const Candidate& c) const {
  if (!c.topology || !c.domain_of) return Verdict::Pass();
  std::string why;
  for (uint32_t i : pod.step->terms) {
    const TopologyTerm& t = pod.pod->topology[i];
    if (t.kind != TopologyTerm::Kind::kAntiAffinity) continue;
    int d = (*c.domain_of)(c.topology->group(t.group).key);
    if (d < 0) continue;  // a node without the key shares no domain with anyone
    std::vector<int> one{d};
    FilterAntiAffinityDomains(t, *c.topology, one, c.explain ? &why : nullptr);
    if (one.empty()) return Verdict::Fail(why);
  }
  for (int id : pod.pod->selected_by) {
    const Topology::Group& g = c.topology->group(id);
    if (!g.owner || g.total == 0) continue;
    int d = (*c.domain_of)(g.key);
    if (d < 0) continue;
    std::vector<int> one{d};
    FilterInverseAntiAffinityDomains(*pod.pod, g.key, *c.topology, one, c.explain ? &why : nullptr);
    if (one.empty()) return Verdict::Fail(why);
  }
  return Verdict::Pass();
}

}  // namespace adze::scheduling
