// QueueOrder: the order pods are placed in (spec §2.4, Karpenter's
// scheduling/queue.go): CPU request descending, memory descending, creation
// time ascending (older first), then UID, then namespace/name, so equal
// pods are ordered on stable ids, never on input order alone.
// Thread-safety: a pure function of its argument.
#pragma once

#include <cstddef>
#include <vector>

#include "scheduling/solver.h"

namespace adze::scheduling {

// Indexes into input.pods, in placement order.
std::vector<size_t> QueueOrder(const SolverInput& input);

}  // namespace adze::scheduling
