// PreparedPod: what the solver needs of a pending pod, computed once
// (Kubernetes' PreFilter): dense requests, the requirement sets to try in
// relaxation order, host ports and topology terms.
// Thread-safety: value type.
#pragma once

#include <string>
#include <vector>

#include "model/pod.h"
#include "model/requirements.h"
#include "scheduling/resource_vector.h"

namespace adze::scheduling {

// One required topology rule of a pod (spec §2.7).
struct TopologyTerm {
  enum class Kind { kSpread, kAffinity, kAntiAffinity };
  Kind kind;
  std::string key;             // topology key: zone, hostname, capacity type, any label
  model::LabelSelector selector;
  std::vector<std::string> namespaces;  // the pod's own when empty
  int32_t max_skew = 1;
  int32_t min_domains = 1;
  bool self_match = false;     // the pod's own labels match the selector
};

struct PreparedPod {
  size_t index = 0;  // into SolverInput::pods
  const model::Pod* pod = nullptr;
  ResourceVector requests;
  // Relaxation (spec §2.4): the first entry holds every preference as if it
  // were required (nodeSelector ∩ first required term ∩ heaviest preferred
  // term); later entries drop preferences, then try further required terms.
  std::vector<model::Requirements> requirement_options;
  std::vector<model::ContainerPort> host_ports;
  std::vector<TopologyTerm> topology;
};

PreparedPod PreparePod(const model::Pod& pod, size_t index, const ResourceSpace& space);

}  // namespace adze::scheduling
