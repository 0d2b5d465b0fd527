// PoolUsage: what a NodePool's claims hold of the resources its limits name
// (spec §2.5.3), which is all its remaining limits are computed from. Other
// resources are left out: nothing reads them, and adding up every claim's
// whole capacity was a visible share of each pass on a 4,000-node cluster.
// Thread-safety: pure function.
#pragma once

#include <vector>

#include "model/nodepool.h"
#include "model/resource_list.h"
#include "ports/cluster_objects.h"

namespace adze::controllers {

// `claims` may hold other pools' claims; only the pool's own count. With
// `count_nodes`, a limit on "nodes" counts the pool's claims (registered and
// in flight). Empty when the pool has no limits.
model::ResourceList PoolUsage(const model::NodePool& pool, const std::vector<const ports::NodeClaimInfo*>& claims,
                              bool count_nodes);

}  // namespace adze::controllers
