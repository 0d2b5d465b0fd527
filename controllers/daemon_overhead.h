// DaemonOverhead: the requests of the DaemonSet pods that will run on a node
// of a pool with the given labels, which the node's allocatable must carry
// before any other pod (spec §2.3: daemon-overhead groups).
// Thread-safety: pure function.
#pragma once

#include <vector>

#include "model/labels.h"
#include "model/nodepool.h"
#include "model/resource_list.h"
#include "model/workloads.h"

namespace adze::controllers {

model::ResourceList DaemonOverhead(const std::vector<model::DaemonSet>& daemon_sets, const model::NodePool& pool,
                                   const model::Labels& node_labels);

// The DaemonSets whose pods will run on such a node.
std::vector<const model::DaemonSet*> DaemonsOn(const std::vector<model::DaemonSet>& daemon_sets,
                                               const model::NodePool& pool, const model::Labels& node_labels);

}  // namespace adze::controllers
