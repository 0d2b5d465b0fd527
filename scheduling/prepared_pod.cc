#include "scheduling/prepared_pod.h"

#include <algorithm>

namespace adze::scheduling {
namespace {

TopologyTerm MakeTerm(TopologyTerm::Kind kind, const model::Pod& pod, const std::string& key,
                      const std::optional<model::LabelSelector>& selector, std::vector<std::string> namespaces) {
  TopologyTerm t;
  t.kind = kind;
  t.key = std::string(model::NormalizeLabelKey(key));
  // A nil selector matches nothing; model it as a selector no labels satisfy.
  if (selector) {
    t.selector = *selector;
  } else {
    t.selector.match_expressions.push_back({"adze.dev/never", model::LabelSelectorRequirement::Op::kExists, {}});
  }
  t.namespaces = namespaces.empty() ? std::vector<std::string>{pod.meta.namespace_} : std::move(namespaces);
  t.self_match = t.selector.Matches(pod.meta.labels) &&
                 std::find(t.namespaces.begin(), t.namespaces.end(), pod.meta.namespace_) != t.namespaces.end();
  return t;
}

}  // namespace

PreparedPod PreparePod(const model::Pod& pod, size_t index, const ResourceSpace& space) {
  PreparedPod p;
  p.index = index;
  p.pod = &pod;
  p.requests = space.ToVector(pod.EffectiveRequests());
  p.host_ports = pod.HostPorts();

  model::Requirements selector = model::Requirements::FromLabels(pod.node_selector);
  std::vector<model::Requirements> required_terms;
  if (pod.required_node_affinity.empty()) {
    required_terms.push_back(selector);
  } else {
    for (const model::Requirements& term : pod.required_node_affinity) {
      model::Requirements r = selector;
      r.Add(term);
      required_terms.push_back(r);
    }
  }
  // Preferred terms, heaviest first, are tried as if required and dropped one
  // at a time.
  std::vector<const model::PreferredNodeTerm*> preferred;
  for (const auto& t : pod.preferred_node_affinity) preferred.push_back(&t);
  std::stable_sort(preferred.begin(), preferred.end(),
                   [](const auto* a, const auto* b) { return a->weight > b->weight; });
  for (size_t drop = 0; drop <= preferred.size(); ++drop) {
    model::Requirements r = required_terms.front();
    for (size_t i = drop; i < preferred.size(); ++i) r.Add(preferred[i]->requirements);
    p.requirement_options.push_back(r);
  }
  for (size_t i = 1; i < required_terms.size(); ++i) p.requirement_options.push_back(required_terms[i]);

  for (const auto& c : pod.topology_spread) {
    // ScheduleAnyway constraints are preferences; the solver relaxes them away.
    if (c.when_unsatisfiable != model::TopologySpreadConstraint::WhenUnsatisfiable::kDoNotSchedule) continue;
    TopologyTerm t = MakeTerm(TopologyTerm::Kind::kSpread, pod, c.topology_key, c.label_selector, {});
    t.max_skew = c.max_skew;
    t.min_domains = c.min_domains.value_or(1);
    p.topology.push_back(std::move(t));
  }
  for (const auto& a : pod.required_pod_affinity) {
    p.topology.push_back(MakeTerm(TopologyTerm::Kind::kAffinity, pod, a.topology_key, a.label_selector, a.namespaces));
  }
  for (const auto& a : pod.required_pod_anti_affinity) {
    p.topology.push_back(
        MakeTerm(TopologyTerm::Kind::kAntiAffinity, pod, a.topology_key, a.label_selector, a.namespaces));
  }
  return p;
}

}  // namespace adze::scheduling
