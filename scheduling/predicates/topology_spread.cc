#include "scheduling/predicates/topology_spread.h"

#include <algorithm>
#include <climits>

#include "scheduling/topology.h"

namespace adze::scheduling {

void FilterSpreadDomains(const TopologyTerm& term, const Topology& topology, std::vector<int>& domains,
                         std::string* why, bool* permanent) {
  const Topology::Group& g = topology.group(term.group);
  const bool hostname = g.key == topology.hostname_key();
  int global_min = 0;
  if (!hostname && static_cast<int>(g.eligible.size()) >= term.min_domains) {
    global_min = INT_MAX;
    for (int d : g.eligible) global_min = std::min(global_min, topology.Count(term.group, d));
    if (global_min == INT_MAX) global_min = 0;
  }
  const int self = term.self_match ? 1 : 0;
  std::erase_if(domains, [&](int d) { return topology.Count(term.group, d) + self - global_min > term.max_skew; });
  if (!domains.empty()) return;
  if (why) {
    *why = "topology spread on " + term.key + " (maxSkew " + std::to_string(term.max_skew) + ") would be violated";
  }
  if (permanent && !hostname) *permanent = false;
}

Verdict TopologySpreadPredicate::Check(const PodView& pod, const Candidate& c) const {
  if (!c.topology || !c.domain_of) return Verdict::Pass();
  bool permanent = true;
  for (uint32_t i : pod.step->terms) {
    const TopologyTerm& t = pod.pod->topology[i];
    if (t.kind != TopologyTerm::Kind::kSpread) continue;
    int key = c.topology->group(t.group).key;
    int d = (*c.domain_of)(key);
    std::string why;
    if (d < 0) return Verdict::Fail(c.explain ? "node has no " + t.key + " label" : "");
    std::vector<int> one{d};
    FilterSpreadDomains(t, *c.topology, one, c.explain ? &why : nullptr, &permanent);
    if (one.empty()) return Verdict::Fail(why, permanent);
  }
  return Verdict::Pass();
}

}  // namespace adze::scheduling
