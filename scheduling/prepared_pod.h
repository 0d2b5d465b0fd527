// PreparedPod: what the solver needs of a pending pod, computed once
// (Kubernetes' PreFilter): dense requests, the relaxation ladder (spec §2.4),
// host ports, topology terms and the pod's equivalence class.
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/pod.h"
#include "model/requirements.h"
#include "scheduling/resource_vector.h"
#include "scheduling/volume_topology.h"

namespace adze::scheduling {

// One topology rule of a pod (spec §2.7): a spread constraint, or a pod
// (anti-)affinity term, required or preferred. Preferred terms (and
// ScheduleAnyway spreads) start hard and are relaxed one at a time.
struct TopologyTerm {
  enum class Kind { kSpread, kAffinity, kAntiAffinity };
  Kind kind = Kind::kSpread;
  std::string key;  // topology key: zone, hostname, capacity type, any label
  model::LabelSelector selector;          // matchLabelKeys already folded in
  std::vector<std::string> namespaces;    // the pod's own when empty in the manifest
  int32_t max_skew = 1;
  int32_t min_domains = 1;
  bool self_match = false;  // the pod's own labels match the selector
  bool preferred = false;   // preferred (anti-)affinity or ScheduleAnyway spread
  int32_t weight = 0;       // preferred terms
  // Spread only (spec §2.7): which nodes count. Honor affinity: nodes that
  // match the pod's strict node requirements; honor taints: nodes whose
  // taints the pod tolerates.
  bool honor_affinity = true;
  bool honor_taints = false;
  // Set by Topology::Register.
  int group = -1;        // the group whose counts this term reads
  int owner_group = -1;  // required anti-affinity: the group its owners count in
};

// One rung of the relaxation ladder: the pod's constraints at that step.
struct RelaxationStep {
  // nodeSelector ∩ the current required term ∩ the heaviest preferred node term left.
  model::Requirements requirements;
  // nodeSelector ∩ the current required term (no preferences): topology's view.
  model::Requirements strict;
  std::vector<uint32_t> terms;  // active indexes into PreparedPod::topology
  bool tolerate_prefer_no_schedule = false;
  std::string relaxed;  // what was dropped to reach this step ("" for the first)
};

struct PreparedPod {
  size_t index = 0;  // into SolverInput::pods (SIZE_MAX for bound pods)
  const model::Pod* pod = nullptr;
  ResourceVector requests;
  // Never empty. With volume alternatives (volume_topology.h), each rung
  // appears once per alternative, which its requirements include (strict
  // does not: spread counting ignores volumes).
  std::vector<RelaxationStep> steps;
  std::string volume_error;  // non-empty: the pod's volumes rule out every node
  // Non-empty: the pod's nodeSelector conflicts with every required
  // node-affinity term (no node, existing or new, can satisfy both).
  std::string conflict_error;
  // Non-empty: the pod selects a restricted label key (spec §2.1), so
  // Karpenter launches nothing for it (existing nodes may still take it).
  std::string restricted_error;
  std::vector<model::ContainerPort> host_ports;
  std::vector<TopologyTerm> topology;
  // Groups whose selector picks this pod (it counts in them when placed),
  // and groups where it counts as the owner of a required anti-affinity term.
  std::vector<int> selected_by;
  std::vector<int> owner_of;
  // Pods with the same class have identical constraints and requests, so a
  // claim that permanently rejects one rejects them all (spec §9 speed).
  uint32_t equivalence_class = 0;
};

// Builds the prepared pod. any_prefer_no_schedule: some pool carries a
// PreferNoSchedule taint (only then is "tolerate all PreferNoSchedule" a
// relaxation step, spec §2.4).
// volumes: the pod's volume requirements, when it uses PVCs.
PreparedPod PreparePod(const model::Pod& pod, size_t index, const ResourceSpace& space,
                       bool any_prefer_no_schedule = false, const VolumeRequirements* volumes = nullptr);

// A string that is equal for two pods iff they have the same constraints and
// requests (namespace, labels, selectors, affinities, tolerations, topology,
// host ports, requests).
std::string EquivalenceKey(const PreparedPod& pod);

}  // namespace adze::scheduling
