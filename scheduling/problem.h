// Problem: one solve's shared, read-only preparation (spec §2.3): the pools
// as templates in weight order with their usable offerings, prices and
// allocatable per type, the pending pods prepared once (relaxation ladder,
// volumes, equivalence classes), the existing nodes in the order pods try
// them with their free room, and the topology seeded with bound pods. Every
// packing of the solve starts from it.
// Thread-safety: immutable once built; packings read it concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/requirements.h"
#include "model/taint.h"
#include "scheduling/offering_index.h"
#include "scheduling/predicates/offerings.h"
#include "scheduling/prepared_pod.h"
#include "scheduling/resource_vector.h"
#include "scheduling/solver.h"
#include "scheduling/template.h"
#include "scheduling/topology.h"

namespace adze::scheduling {

struct ExistingNode {
  const NodeInput* input = nullptr;
  // The node's taints, plus node.kubernetes.io/unschedulable:NoSchedule when
  // it is cordoned (as the node controller adds it).
  std::vector<model::Taint> taints;
  std::shared_ptr<const model::Requirements> labels;  // NodeLabelRequirements, maybe the caller's
  ResourceVector remaining;
  std::vector<model::ContainerPort> host_ports;
  std::vector<int> domains;  // by topology key id; -1 when the node lacks the label
  std::function<int(int)> domain_of;
};

// One solve's shared, read-only preparation.
class Problem {
 public:
  Problem(const SolverInput& input, const SolverOptions& options);

  size_t ClassStep(const PreparedPod& p, size_t step) const { return class_steps_[p.equivalence_class] + step; }

  // True when f allows exactly the offerings the template does, so the
  // template's price order holds.
  bool SameAsTemplate(const OfferingFilter& f, size_t tmpl) const {
    const OfferingFilter& t = template_filters_[tmpl];
    return !f.reservation && f.zones == t.zones && f.capacity_types == t.capacity_types;
  }

  const SolverInput& input_;
  const SolverOptions& options_;
  ResourceSpace space_;
  std::vector<Template> templates_;
  std::vector<int64_t> nodes_left_;  // per template; -1: unlimited
  std::vector<bool> has_min_values_;  // per template
  std::vector<PreparedPod> pods_;
  std::vector<PreparedPod> bound_;
  std::vector<ExistingNode> nodes_;
  Topology topology_;
  ReservationCounts reservations_;
  OfferingIndex offering_index_;
  std::vector<std::vector<std::vector<CompactOffering>>> offers_;  // [template][type]: usable offerings
  std::vector<std::vector<double>> base_price_;  // [template][type]: cheapest offering under the template
  std::vector<OfferingFilter> template_filters_;  // per template
  std::vector<std::vector<char>> exotic_;         // [template][type]
  // [template][type × space size + r]: allocatable (after daemons), packed so
  // the per-claim type filters stay in cache.
  std::vector<std::vector<int64_t>> alloc_;
  std::vector<size_t> class_steps_;  // per class: first class-step id
  size_t num_class_steps_ = 0;
  ResourceVector smallest_;
};

}  // namespace adze::scheduling
