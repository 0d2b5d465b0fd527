// Template: a NodePool prepared for one solve (spec §2.3.1-2): its
// requirements (pool requirements ∩ template labels), the instance types
// compatible with them, each with the daemon overhead its nodes would carry
// and its offerings' prices, and the pool's remaining limits.
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

struct TypeOption {
  const catalog::InstanceType* type = nullptr;
  ResourceVector capacity;
  ResourceVector daemon_overhead;  // DaemonSet pods that would land on this type
  ResourceVector allocatable;      // type allocatable − daemon overhead
};

struct Template {
  const model::NodePool* pool = nullptr;
  size_t pool_input = 0;  // index into SolverInput::pools
  model::Requirements requirements;
  std::vector<TypeOption> types;  // sorted by cheapest available offering, then name
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

// Builds the template for a pool; types without an available compatible
// offering, or whose requirements conflict with the pool's, are left out.
Template BuildTemplate(const model::NodePool& pool, const std::vector<catalog::InstanceType>& types,
                       const model::ResourceList& usage, const std::vector<model::DaemonSet>& daemon_sets,
                       const ResourceSpace& space);

}  // namespace adze::scheduling
