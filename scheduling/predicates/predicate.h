// Predicate: one scheduling constraint (spec §2.5-2.8), in the shape of the
// Kubernetes scheduler's Filter plugins. A predicate looks at a pod (prepared
// once, at one relaxation step) and a candidate place — an existing node, a
// claim of this solve, a pool template or one instance type of it — and
// returns a Verdict: pass, or fail with a reason a person can act on.
//
// Per-pod work (Kubernetes' PreFilter) is done once, for every predicate, by
// PreparePod (prepared_pod.h): requests, relaxation steps, ports, topology
// terms and their groups. Predicates only read it.
//
// A candidate fills only the fields that apply to it; a predicate whose
// fields are unset passes (a pool template has no host ports, an existing
// node has no offerings). All predicates are listed, in the order the solver
// and Explain try them, in registry.h.
// Thread-safety: predicates are stateless; Check may run concurrently.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/instance_type.h"
#include "model/nodepool.h"
#include "model/requirements.h"
#include "model/taint.h"
#include "scheduling/prepared_pod.h"
#include "scheduling/resource_vector.h"

namespace adze::scheduling {

class Topology;

struct Verdict {
  bool ok = true;
  std::string reason;  // set when !ok and the candidate asked for reasons
  // False when a later placement could turn this failure into a pass (a pod
  // waiting for an affinity match); the solver memoises only permanent ones.
  bool permanent = true;

  static Verdict Pass() { return {}; }
  static Verdict Fail(std::string reason, bool permanent = true) { return {false, std::move(reason), permanent}; }
  explicit operator bool() const { return ok; }
};

// The pod at one rung of its relaxation ladder.
struct PodView {
  const PreparedPod* pod = nullptr;
  const RelaxationStep* step = nullptr;
};

struct Candidate {
  const model::NodePool* pool = nullptr;               // claims, templates, types
  const std::vector<model::Taint>* taints = nullptr;   // node or pool taints
  const model::Requirements* requirements = nullptr;   // node labels / claim or template (∩ type) requirements
  const ResourceVector* free = nullptr;                // resources left for pods
  const ResourceSpace* space = nullptr;                // resource names, for reasons
  const std::vector<model::ContainerPort>* host_ports = nullptr;  // ports in use
  const std::vector<std::string>* host_port_owners = nullptr;     // parallel to host_ports, for reasons
  // Offerings: the type and the requirements its launch must satisfy.
  const catalog::InstanceType* type = nullptr;
  const model::Requirements* offering_requirements = nullptr;
  // Limits: the pool's remaining limits (null: none) and the type's capacity.
  const ResourceVector* limits = nullptr;
  const ResourceVector* capacity = nullptr;
  bool nodes_limit_reached = false;
  // Optional named forms, used for reasons when set (Explain): resources
  // left, the pool's remaining limits and the type's capacity.
  const model::ResourceList* free_list = nullptr;
  const model::ResourceList* limits_list = nullptr;
  const model::ResourceList* capacity_list = nullptr;
  // Topology: a concrete place (existing node) with its domain per key.
  const Topology* topology = nullptr;
  const std::function<int(int key)>* domain_of = nullptr;
  bool explain = false;  // build reasons (they cost; the solver asks only when it reports)
};

class Predicate {
 public:
  virtual ~Predicate() = default;
  // Short name shown by Explain ("taints", "requirements", "resources", ...).
  virtual std::string_view Name() const = 0;
  virtual Verdict Check(const PodView& pod, const Candidate& candidate) const = 0;
};

}  // namespace adze::scheduling
