// Solver: Karpenter's provisioning simulation (spec §2). Given pending pods,
// the nodes that exist (with their pods), the NodePools with the instance
// types each may launch, and the DaemonSets, it decides where every pod goes:
// onto an existing node, into a new NodeClaim, or nowhere (with a reason).
//
// Two packers share every constraint check and differ only in how they pick
// among claims that could take a pod:
//   kKarpenter  Karpenter's order: pods by CPU then memory descending; each pod
//               tries existing nodes, then the claims of this pass emptiest
//               first, then a new claim from the highest-weight pool.
//   kAdze       (default) packs the same queue best-fit (fullest claim first)
//               and keeps whichever of its plan and the kKarpenter plan costs
//               less, so it never costs more than the reference.
//
// The solver is a pure function of its input: no clock, no I/O, and ties are
// broken on names and indices, so the same input gives the same plan.
// Thread-safety: Solve may run concurrently on different inputs.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "catalog/instance_type.h"
#include "model/node.h"
#include "model/nodepool.h"
#include "model/pod.h"
#include "model/requirements.h"
#include "model/resource_list.h"
#include "model/workloads.h"

namespace adze::scheduling {

// A NodePool with the instance types (and offerings) it may launch.
struct PoolInput {
  model::NodePool pool;
  std::vector<catalog::InstanceType> instance_types;
  // Summed capacity of the pool's current nodes; counts against spec.limits.
  model::ResourceList usage;
};

// A node that exists (registered, or an in-flight claim) with its bound pods.
struct NodeInput {
  model::Node node;  // labels, taints, allocatable
  std::vector<model::Pod> pods;
};

struct SolverInput {
  std::vector<model::Pod> pods;  // pending pods to place
  std::vector<NodeInput> nodes;
  std::vector<PoolInput> pools;
  std::vector<model::DaemonSet> daemon_sets;
};

enum class Packer { kAdze, kKarpenter };

struct SolverOptions {
  Packer packer = Packer::kAdze;
  // Instance-type options kept per claim (Karpenter's AWS launch cap).
  size_t max_instance_types = 60;
};

struct NewClaim {
  std::string node_pool;
  std::vector<size_t> pods;             // indexes into SolverInput::pods
  model::Requirements requirements;     // narrowed by the pods it carries
  // Options, cheapest available compatible offering first (at most
  // max_instance_types); each fits all the pods plus daemon overhead.
  std::vector<const catalog::InstanceType*> instance_types;
  size_t more_instance_types = 0;       // options dropped by the cap
  model::ResourceList requests;         // pods + daemon overhead
  std::vector<std::string> zones;
  std::vector<std::string> capacity_types;
  double price_per_hour = 0;            // cheapest offering of instance_types[0]
};

struct ExistingPlacement {
  size_t pod;
  std::string node;
};

struct Unschedulable {
  size_t pod;
  std::string reason;  // what a person can act on
};

struct Plan {
  std::vector<NewClaim> claims;
  std::vector<ExistingPlacement> placed;
  std::vector<Unschedulable> unschedulable;
  double cost_per_hour = 0;  // sum of the claims' prices
  // Spec: LB_r = sum over pods of request_r × min over types that can carry the
  // pod of price/allocatable_r; LB = max over r. 0 when no pod has a type.
  double lower_bound = 0;  // over the pods placed in new claims
};

Plan Solve(const SolverInput& input, const SolverOptions& options = {});

// Why a pool or instance type cannot carry a pod: for every pool and every
// one of its types, the first constraint that ruled it out (empty reason when
// the type could carry the pod on a new node).
struct Rejection {
  std::string node_pool;
  std::string instance_type;  // empty when the whole pool was ruled out
  std::string constraint;     // e.g. "taints", "requirements", "resources", "offerings", "limits"
  std::string reason;
};
std::vector<Rejection> Explain(const SolverInput& input, size_t pod);

}  // namespace adze::scheduling
