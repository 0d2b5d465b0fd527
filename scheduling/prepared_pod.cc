#include "scheduling/prepared_pod.h"

#include <algorithm>

namespace adze::scheduling {
namespace {

// Folds matchLabelKeys into the selector: key In [the pod's value] for every
// listed key the pod carries (keys it lacks are ignored, as in Kubernetes).
std::optional<model::LabelSelector> WithMatchLabelKeys(std::optional<model::LabelSelector> selector,
                                                       const std::vector<std::string>& keys, const model::Pod& pod) {
  if (!selector || keys.empty()) return selector;
  for (const std::string& k : keys) {
    auto it = pod.meta.labels.find(k);
    if (it != pod.meta.labels.end()) selector->match_labels[k] = it->second;
  }
  return selector;
}

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
  std::sort(t.namespaces.begin(), t.namespaces.end());
  t.self_match = t.selector.Matches(pod.meta.labels) &&
                 std::find(t.namespaces.begin(), t.namespaces.end(), pod.meta.namespace_) != t.namespaces.end();
  return t;
}

// Indexes of terms, heaviest first (stable: manifest order among equals).
std::vector<uint32_t> HeaviestFirst(const std::vector<TopologyTerm>& terms, std::vector<uint32_t> idx) {
  std::stable_sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return terms[a].weight > terms[b].weight; });
  return idx;
}

void AppendSelector(std::string& out, const model::LabelSelector& s) {
  for (const auto& [k, v] : s.match_labels) out += k + "=" + v + ",";
  out += "|";
  for (const auto& e : s.match_expressions) {
    out += e.key + "~" + std::to_string(static_cast<int>(e.op)) + ":";
    for (const auto& v : e.values) out += v + ",";
    out += ";";
  }
}

}  // namespace

PreparedPod PreparePod(const model::Pod& pod, size_t index, const ResourceSpace& space, bool any_prefer_no_schedule,
                       const VolumeRequirements* volumes) {
  PreparedPod p;
  p.index = index;
  p.pod = &pod;
  p.requests = space.ToVector(pod.EffectiveRequests());
  p.host_ports = pod.HostPorts();

  // Topology terms: required first, then preferred ones (which start hard).
  std::vector<uint32_t> required, schedule_anyway, pref_affinity, pref_anti;
  auto add = [&](TopologyTerm t, std::vector<uint32_t>* bucket) {
    bucket->push_back(static_cast<uint32_t>(p.topology.size()));
    p.topology.push_back(std::move(t));
  };
  for (const auto& c : pod.topology_spread) {
    TopologyTerm t = MakeTerm(TopologyTerm::Kind::kSpread, pod, c.topology_key,
                              WithMatchLabelKeys(c.label_selector, c.match_label_keys, pod), {});
    t.max_skew = c.max_skew;
    t.min_domains = c.min_domains.value_or(1);
    t.honor_affinity = c.node_affinity_policy == model::TopologySpreadConstraint::Policy::kHonor;
    t.honor_taints = c.node_taints_policy == model::TopologySpreadConstraint::Policy::kHonor;
    t.preferred = c.when_unsatisfiable == model::TopologySpreadConstraint::WhenUnsatisfiable::kScheduleAnyway;
    add(std::move(t), t.preferred ? &schedule_anyway : &required);
  }
  for (const auto& a : pod.required_pod_affinity) {
    add(MakeTerm(TopologyTerm::Kind::kAffinity, pod, a.topology_key,
                 WithMatchLabelKeys(a.label_selector, a.match_label_keys, pod), a.namespaces),
        &required);
  }
  for (const auto& a : pod.required_pod_anti_affinity) {
    add(MakeTerm(TopologyTerm::Kind::kAntiAffinity, pod, a.topology_key,
                 WithMatchLabelKeys(a.label_selector, a.match_label_keys, pod), a.namespaces),
        &required);
  }
  for (const auto& w : pod.preferred_pod_affinity) {
    TopologyTerm t = MakeTerm(TopologyTerm::Kind::kAffinity, pod, w.term.topology_key,
                              WithMatchLabelKeys(w.term.label_selector, w.term.match_label_keys, pod),
                              w.term.namespaces);
    t.preferred = true;
    t.weight = w.weight;
    add(std::move(t), &pref_affinity);
  }
  for (const auto& w : pod.preferred_pod_anti_affinity) {
    TopologyTerm t = MakeTerm(TopologyTerm::Kind::kAntiAffinity, pod, w.term.topology_key,
                              WithMatchLabelKeys(w.term.label_selector, w.term.match_label_keys, pod),
                              w.term.namespaces);
    t.preferred = true;
    t.weight = w.weight;
    add(std::move(t), &pref_anti);
  }
  pref_affinity = HeaviestFirst(p.topology, pref_affinity);
  pref_anti = HeaviestFirst(p.topology, pref_anti);

  // Required node-affinity terms are ORed: tried in order.
  model::Requirements selector = model::Requirements::FromLabels(pod.node_selector);
  std::vector<model::Requirements> required_terms;
  if (pod.required_node_affinity.empty()) {
    required_terms.push_back(selector);
  } else {
    std::string conflict;  // the first term's, when every term conflicts with the selector
    bool all_conflict = true;
    for (const model::Requirements& term : pod.required_node_affinity) {
      bool conflicts = false;
      for (const model::Requirement& r : term.All()) {
        const model::Requirement* mine = selector.Find(r.key());
        if (!mine || mine->Intersects(r)) continue;
        if (conflict.empty()) {
          conflict = "nodeSelector " + mine->ToString() + " conflicts with required node affinity " + r.ToString();
        }
        conflicts = true;
        break;
      }
      all_conflict &= conflicts;
      model::Requirements r = selector;
      r.Add(term);
      required_terms.push_back(std::move(r));
    }
    // No node can satisfy the pod: say it is the pod's own doing, not any
    // pool's or type's.
    if (all_conflict) p.conflict_error = "the pod asks for two incompatible things: " + conflict;
  }
  // Keys Karpenter will not launch a node for (spec §2.1), wherever the pod selects them.
  auto restricted = [&](const model::Requirements& reqs, std::string_view where) {
    for (const std::string& key : reqs.Keys()) {
      if (!p.restricted_error.empty()) return;
      if (std::optional<std::string> why = model::PodRestrictedLabelReason(key)) {
        p.restricted_error = std::string(where) + " selects " + key + ", a restricted label key (" + *why +
                             "); Karpenter launches no node for such a pod";
      }
    }
  };
  restricted(selector, "nodeSelector");
  for (const model::Requirements& term : pod.required_node_affinity) restricted(term, "required node affinity");
  for (const model::PreferredNodeTerm& term : pod.preferred_node_affinity) {
    restricted(term.requirements, "preferred node affinity");
  }
  std::vector<const model::PreferredNodeTerm*> preferred_nodes;
  for (const auto& t : pod.preferred_node_affinity) preferred_nodes.push_back(&t);
  std::stable_sort(preferred_nodes.begin(), preferred_nodes.end(),
                   [](const auto* a, const auto* b) { return a->weight > b->weight; });

  // The ladder (spec §2.4): emit the current state, then relax the first
  // applicable preference, until nothing is left to relax.
  size_t req = 0, pref_node = 0, aff = 0, anti = 0, anyway = 0;
  bool tolerate = false;
  std::string relaxed;
  while (true) {
    RelaxationStep s;
    s.strict = required_terms[req];
    s.requirements = s.strict;
    if (pref_node < preferred_nodes.size()) s.requirements.Add(preferred_nodes[pref_node]->requirements);
    s.terms = required;
    s.terms.insert(s.terms.end(), pref_affinity.begin() + static_cast<long>(aff), pref_affinity.end());
    s.terms.insert(s.terms.end(), pref_anti.begin() + static_cast<long>(anti), pref_anti.end());
    s.terms.insert(s.terms.end(), schedule_anyway.begin() + static_cast<long>(anyway), schedule_anyway.end());
    std::sort(s.terms.begin(), s.terms.end());
    s.tolerate_prefer_no_schedule = tolerate;
    s.relaxed = relaxed;
    p.steps.push_back(std::move(s));
    if (required_terms.size() - req > 1) {
      ++req;
      relaxed = "required node-affinity term " + std::to_string(req);
    } else if (aff < pref_affinity.size()) {
      relaxed = "preferred pod affinity on " + p.topology[pref_affinity[aff++]].key;
    } else if (anti < pref_anti.size()) {
      relaxed = "preferred pod anti-affinity on " + p.topology[pref_anti[anti++]].key;
    } else if (pref_node < preferred_nodes.size()) {
      ++pref_node;
      relaxed = "preferred node affinity";
    } else if (anyway < schedule_anyway.size()) {
      relaxed = "ScheduleAnyway topology spread on " + p.topology[schedule_anyway[anyway++]].key;
    } else if (any_prefer_no_schedule && !tolerate) {
      tolerate = true;
      relaxed = "PreferNoSchedule taints tolerated";
    } else {
      break;
    }
  }
  if (volumes) {
    p.volume_error = volumes->error;
    // Volume alternatives are tried in turn at every rung, before relaxing
    // further: they are not preferences.
    if (!volumes->alternatives.empty()) {
      std::vector<RelaxationStep> steps;
      for (const RelaxationStep& s : p.steps) {
        for (size_t a = 0; a < volumes->alternatives.size(); ++a) {
          RelaxationStep v = s;
          v.requirements.Add(volumes->alternatives[a]);
          if (a > 0) v.relaxed = "volume topology alternative " + std::to_string(a + 1);
          steps.push_back(std::move(v));
        }
      }
      p.steps = std::move(steps);
    }
  }
  return p;
}

std::string EquivalenceKey(const PreparedPod& p) {
  const model::Pod& pod = *p.pod;
  std::string k = pod.meta.namespace_ + "\n";
  for (size_t i = 0; i < kMaxResources; ++i) k += std::to_string(p.requests[i]) + ",";
  k += "\nL";
  for (const auto& [a, b] : pod.meta.labels) k += a + "=" + b + ",";
  k += "\nS";
  for (const RelaxationStep& s : p.steps) {
    k += s.requirements.ToString() + "|" + s.strict.ToString() + "|" + (s.tolerate_prefer_no_schedule ? "T" : "F");
    for (uint32_t t : s.terms) k += std::to_string(t) + ",";
    k += ";";
  }
  k += "\nT";
  for (const auto& t : pod.tolerations) {
    k += t.key + "/" + std::to_string(static_cast<int>(t.op)) + "/" + t.value + "/" +
         (t.effect ? std::to_string(static_cast<int>(*t.effect)) : "*") + ";";
  }
  k += "\nV" + p.volume_error;
  k += "\nP";
  for (const auto& hp : p.host_ports) k += hp.host_ip + ":" + std::to_string(hp.host_port) + "/" + hp.protocol + ";";
  k += "\nG";
  for (const TopologyTerm& t : p.topology) {
    k += std::to_string(static_cast<int>(t.kind)) + t.key + "/" + std::to_string(t.max_skew) + "/" +
         std::to_string(t.min_domains) + (t.honor_affinity ? "A" : "a") + (t.honor_taints ? "T" : "t") + "/";
    for (const auto& n : t.namespaces) k += n + ",";
    AppendSelector(k, t.selector);
    k += ";";
  }
  return k;
}

}  // namespace adze::scheduling
