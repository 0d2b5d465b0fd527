// Template: a NodePool prepared for one solve (spec §2.3.1-2): its
// requirements (pool requirements ∩ template labels), the instance types
// compatible with them, each with the daemon overhead its nodes would carry
// (requests and host ports) and its offerings' prices, and the pool's
// remaining limits.
// Thread-safety: immutable once built.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/instance_type.h"
#include "model/nodepool.h"
#include "model/requirements.h"
#include "model/workloads.h"
#include "scheduling/resource_vector.h"

namespace adze::scheduling {

// The host ports the DaemonSet pods of one daemon-overhead group hold
// (spec §2.3.2, §2.7): taken on every new node of the group's types.
struct DaemonPorts {
  std::vector<model::ContainerPort> ports;
  std::vector<std::string> owners;  // parallel to ports: "DaemonSet <namespace>/<name>"
};

struct TypeOption {
  const catalog::InstanceType* type = nullptr;
  ResourceVector capacity;
  ResourceVector daemon_overhead;  // DaemonSet pods that would land on this type
  ResourceVector allocatable;      // type allocatable − daemon overhead
  int daemon_ports = -1;           // index into Template::daemon_ports; -1: its daemons hold none
};

struct Template {
  const model::NodePool* pool = nullptr;
  size_t pool_input = 0;  // index into SolverInput::pools
  model::Requirements requirements;
  std::vector<TypeOption> types;  // sorted by cheapest available offering, then name
  // One entry per distinct set of daemons with host ports that some type runs.
  std::vector<DaemonPorts> daemon_ports;
  std::optional<ResourceVector> remaining_limits;  // nullopt: no limits
  bool nodes_limit_reached = false;
};

// The cheapest available offering of type whose zone and capacity type the
// requirements allow (reserved offerings only with instances left); nullopt
// when none.
std::optional<double> CheapestCompatibleOffering(const catalog::InstanceType& type,
                                                 const model::Requirements& requirements);

// True when a DaemonSet's pods would run on nodes of this pool and type.
bool DaemonRunsOn(const model::DaemonSet& ds, const model::NodePool& pool,
                  const model::Requirements& node_requirements);

// The host ports of the DaemonSets whose pods would run on a node of this
// pool with these requirements, with their owners (empty when none).
DaemonPorts DaemonHostPorts(const std::vector<model::DaemonSet>& daemon_sets, const model::NodePool& pool,
                            const model::Requirements& node_requirements);

// Builds the template for a pool; types without an available compatible
// offering, or whose requirements conflict with the pool's, are left out.
Template BuildTemplate(const model::NodePool& pool, const std::vector<catalog::InstanceType>& types,
                       const model::ResourceList& usage, const std::vector<model::DaemonSet>& daemon_sets,
                       const ResourceSpace& space);

}  // namespace adze::scheduling
