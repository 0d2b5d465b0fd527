#include "controllers/pool_usage.h"

namespace adze::controllers {

model::ResourceList PoolUsage(const model::NodePool& pool, const std::vector<const ports::NodeClaimInfo*>& claims,
                              bool count_nodes) {
  model::ResourceList usage;
  if (pool.limits.empty()) return usage;
  int64_t nodes = 0;
  for (const ports::NodeClaimInfo* claim : claims) {
    if (claim->node_pool != pool.meta.name) continue;
    ++nodes;
    for (const auto& [name, limit] : pool.limits) {
      const model::Quantity held = claim->claim.capacity.Get(name);
      if (!held.IsZero()) usage.Set(name, usage.Get(name) + held);
    }
  }
  if (count_nodes && pool.limits.Has("nodes") && nodes > 0) usage.Set("nodes", model::Quantity::FromUnits(nodes));
  return usage;
}

}  // namespace adze::controllers
