#include "model/pod.h"

namespace adze::model {

ResourceList Pod::EffectiveRequests() const {
  // Most pods have no init containers and one container: its requests are
  // the sum, copied once (this runs for every pod of every disruption pass).
  if (init_containers.empty() && containers.size() == 1) {
    ResourceList out = containers.front().requests;
    out.Add(overhead);
    out.Set(resource::kPods, Quantity::FromUnits(1));
    return out;
  }
  ResourceList sum;
  for (const Container& c : containers) sum.Add(c.requests);
  // Sidecars (restartable init containers) run for the pod's whole life; a
  // regular init container runs alone but alongside the sidecars started
  // before it (KEP-753).
  ResourceList sidecars;
  ResourceList init_peak;
  for (const Container& c : init_containers) {
    if (c.restart_always) {
      sidecars.Add(c.requests);
    } else {
      ResourceList during = sidecars;
      during.Add(c.requests);
      init_peak = ResourceList::Max(init_peak, during);
    }
  }
  sum.Add(sidecars);
  ResourceList out = ResourceList::Max(sum, init_peak);
  out.Add(overhead);
  out.Set(resource::kPods, Quantity::FromUnits(1));
  return out;
}

bool Pod::DoNotDisruptActive(Duration now) const {
  auto it = meta.annotations.find(label::kDoNotDisrupt);
  if (it == meta.annotations.end()) return false;
  if (it->second == "true") return true;
  auto d = ParseDuration(it->second);
  if (!d.ok() || *d <= 0) return false;
  return now - meta.creation_time < *d;
}

namespace {

bool RequirementMatchesLabels(const Requirement& r, const Labels& labels) {
  auto it = labels.find(r.key());
  if (it == labels.end()) return r.op() == Operator::kNotIn || r.op() == Operator::kDoesNotExist;
  return r.Has(it->second);
}

}  // namespace

bool Pod::MatchesNodeLabels(const Labels& node_labels) const {
  for (const auto& [key, value] : node_selector) {
    auto it = node_labels.find(key);
    if (it == node_labels.end() || it->second != value) return false;
  }
  if (required_node_affinity.empty()) return true;
  for (const Requirements& term : required_node_affinity) {
    bool all = true;
    for (const Requirement& r : term.All()) {
      if (!RequirementMatchesLabels(r, node_labels)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

bool Pod::HasInterPodConstraints() const {
  for (const auto& c : topology_spread) {
    if (c.when_unsatisfiable == TopologySpreadConstraint::WhenUnsatisfiable::kDoNotSchedule) return true;
  }
  return !required_pod_affinity.empty() || !required_pod_anti_affinity.empty() || !HostPorts().empty();
}

std::vector<ContainerPort> Pod::HostPorts() const {
  std::vector<ContainerPort> out;
  for (const auto* list : {&init_containers, &containers}) {
    for (const Container& c : *list) {
      for (const ContainerPort& p : c.ports) {
        if (p.host_port != 0) out.push_back(p);
      }
    }
  }
  return out;
}

}  // namespace adze::model
