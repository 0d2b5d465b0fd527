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
//   kAdze       (default) packs the same queue best-fit (fullest claim first),
//               and a pod joins a claim only when that raises the claim's
//               price by no more than the pod would cost on a claim of its
//               own (type choice by price per packed pod); then, per pool,
//               claims whose pods have no topology, port or node constraints
//               are re-packed (column generation over pod classes and
//               types, scheduling/bin_packing.h, then pods move to claims
//               with room when that makes their own claim cheaper), kept
//               only when cheaper. It keeps whichever of its plan and the
//               kKarpenter plan costs less (after placing more pods), so it
//               never costs more than the reference.
//
// Every constraint is a predicate (scheduling/predicates/, listed in
// registry.h); per-pod work is prepared once (prepared_pod.h), including the
// relaxation ladder of spec §2.4 and the zone alternatives of the pod's
// volumes (volume_topology.h), which narrow the node but not spread counting.
// DaemonSet host ports are taken on every new node of the types their
// daemons run on (template.h), so a pod needing one skips those types. Pods with identical constraints and
// requests form an equivalence class: a node or claim that can never take one
// of them is skipped for all of them.
//
// With no pools, Solve is a scheduler for existing nodes only (pending pods
// onto ready nodes with their bound pods): PreferNoSchedule taints do not
// filter (as in kube-scheduler), and unplaced pods come back unschedulable
// with reason "no NodePool". With pools, as in Karpenter, a pod must tolerate
// PreferNoSchedule taints too until its last relaxation step. A cordoned node
// (Node::unschedulable) takes only pods that tolerate
// node.kubernetes.io/unschedulable:NoSchedule.
//
// The solver is a pure function of its input: no clock, no I/O, and ties are
// broken on names and indices, so the same input gives the same plan.
// Thread-safety: Solve may run concurrently on different inputs.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <memory>
#include <vector>

#include "catalog/instance_types.h"
#include "model/node.h"
#include "model/nodepool.h"
#include "model/pod.h"
#include "model/requirements.h"
#include "model/resource_list.h"
#include "model/storage.h"
#include "model/workloads.h"

namespace adze::scheduling {

// A NodePool with the instance types (and offerings) it may launch.
struct PoolInput {
  model::NodePool pool;
  catalog::InstanceTypes instance_types;  // shared with the provider that answered
  // Summed capacity of the pool's current nodes; counts against spec.limits.
  model::ResourceList usage;
};

// A node that exists (registered, or an in-flight claim) with its bound pods.
struct NodeInput {
  model::Node node;  // labels, taints, allocatable
  std::vector<model::Pod> pods;
  // Optional: NodeLabelRequirements(node), from a caller that keeps them
  // across solves (building them for every node of every pass was a visible
  // share of a burst's provisioning); built here when empty.
  std::shared_ptr<const model::Requirements> label_requirements;
};

// The node's labels as requirements, with its name as the hostname when it
// carries no hostname label (what pods' node affinity is matched against).
model::Requirements NodeLabelRequirements(const model::Node& node);

struct SolverInput {
  std::vector<model::Pod> pods;  // pending pods to place
  std::vector<NodeInput> nodes;
  std::vector<PoolInput> pools;
  std::vector<model::DaemonSet> daemon_sets;
  // What pods' volumes (Pod::volume_claims) resolve through (spec §2.7).
  std::vector<model::PersistentVolumeClaim> volume_claims;
  std::vector<model::PersistentVolume> volumes;
  std::vector<model::StorageClass> storage_classes;
};

enum class Packer { kAdze, kKarpenter };

// MIN_VALUES_POLICY (spec §2.8): Strict rejects a claim whose type options
// cannot keep minValues distinct values of a key; BestEffort lowers minValues
// to what is achievable and marks the claim (min_values_relaxed).
enum class MinValuesPolicy { kStrict, kBestEffort };

struct SolverOptions {
  Packer packer = Packer::kAdze;
  // Instance-type options kept per claim (Karpenter's AWS launch cap).
  size_t max_instance_types = 60;
  MinValuesPolicy min_values_policy = MinValuesPolicy::kStrict;
  // kAdze only: also try two more price-per-pod thresholds (about twice the
  // time; often cheaper on many small pods). Default off.
  bool thorough = false;
  // Plan::lower_bound costs a pass over every pod × type; controllers that do
  // not report it turn it off.
  bool compute_lower_bound = true;
  // kAdze only: of the candidate packings that place the most pods, take the
  // one with the fewest new GPU (or other accelerator) nodes among those
  // costing at most (1 + this) × the cheapest and no more than Karpenter's
  // packing (ties: the cheaper, then the earlier). Fewer, larger GPU nodes
  // cost more per GPU, but a burst waits on fewer boots of minutes each (the
  // slowest of N boots grows with N) and later pods find room on nodes
  // already up. CPU-only nodes boot fast: they are not counted.
  // 0 (the default): the cheapest packing.
  double fewer_nodes_premium = 0;
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
  // BestEffort lowered a minValues to what the options could keep
  // (Karpenter's karpenter.sh/nodeclaim-min-values-relaxed=true).
  bool min_values_relaxed = false;
  // Capacity reservations this claim holds (spec §2.10); when non-empty the
  // claim launches as capacity type "reserved" into one of them, and
  // instance_types/zones are narrowed to the held reservations.
  std::vector<std::string> reservation_ids;
};

struct ExistingPlacement {
  size_t pod;
  std::string node;
};

struct Unschedulable {
  size_t pod;
  std::string reason;  // what a person can act on
  // The pod failed only because compatible reserved offerings were all taken
  // (spec §2.10): not relaxed, no lower-weight fallback; retry next loop.
  bool reserved_capacity = false;
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

// Why a node, pool or instance type cannot carry a pod: for every existing
// node (as the input has it, before any pending pod is placed), then every
// pool and every one of its types, the first constraint that ruled it out
// (empty reason when it could carry the pod).
struct Rejection {
  std::string node_pool;      // empty for an existing node
  std::string instance_type;  // empty when the whole pool was ruled out
  std::string node;           // an existing node (then node_pool and instance_type are empty)
  std::string constraint;     // e.g. "taints", "requirements", "resources", "offerings", "limits"
  std::string reason;
};
std::vector<Rejection> Explain(const SolverInput& input, size_t pod);

}  // namespace adze::scheduling
