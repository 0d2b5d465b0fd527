// NodeGroup: an Auto Scaling group as a team configures one for Cluster
// Autoscaler — one instance type, or a mixed-instances group of types with
// the same vCPU and memory (CA requires that: it builds one template node per
// group), spot or on-demand, min/max size, and the labels and taints its
// nodes register with. DeriveNodeGroups builds them from a scenario's
// NodePools the way a team moving from Karpenter would, and says how.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/instance_type.h"
#include "model/nodepool.h"
#include "sim/scenario.h"

namespace adze::sim::baselines {

struct NodeGroup {
  std::string name;
  // The first type is the template CA simulates; the others share its vCPU
  // and memory (a mixed-instances policy).
  std::vector<std::string> instance_types;
  std::string capacity_type = "on-demand";  // spot | on-demand
  int32_t min_size = 0;
  int32_t max_size = 100;
  // The NodePool it stands for: template labels and taints, EC2NodeClass,
  // and the DaemonSets that land on its nodes.
  model::NodePool pool;
  // CA's priority expander: higher first (derived groups: the pool's weight).
  int32_t priority = 0;
};

// One group per (GPU model, GPU count) that a NodePool admits, of the
// cheapest such type that holds the largest workload pod aimed at that
// shape (else the cheapest); one mixed CPU group per NodePool that admits CPU
// types, of the smallest (vCPU, memory) shape that at least three admitted
// types share and that holds four of the largest CPU-only workload pod; spot when
// the pool allows spot, on-demand otherwise, and a second, on-demand group
// when it allows both. max_size follows the pool's limits (GPUs or CPUs ÷
// the type's), else 100 (assumption). `notes` gets one line per group saying
// why it is as it is.
std::vector<NodeGroup> DeriveNodeGroups(const Scenario& scenario, const catalog::Catalog& catalog,
                                        std::vector<std::string>* notes = nullptr);

// The scenario's node groups (`baselines.clusterAutoscaler.nodeGroups`),
// or, when it declares none, DeriveNodeGroups. notes says which.
std::vector<NodeGroup> NodeGroupsFor(const Scenario& scenario, const catalog::Catalog& catalog,
                                     std::vector<std::string>* notes = nullptr);

// The resolved type of each of the group's instance types under its pool's
// EC2NodeClass, in order. Unknown names are skipped.
std::vector<catalog::InstanceType> ResolveGroupTypes(const NodeGroup& group, const Scenario& scenario,
                                                     const catalog::Catalog& catalog);

// One line per group: "name  type(s)  capacity  min..max".
std::string DescribeNodeGroups(const std::vector<NodeGroup>& groups);

}  // namespace adze::sim::baselines
