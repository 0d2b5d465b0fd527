// MakeNodeClaim: the NodeClaim for a claim the solver planned — the pool's
// template labels, annotations and taints, the planned requirements narrowed
// to its instance-type options, zones and capacity types, the requests, and
// the pool's hash (for drift). Shared by provisioning and the replacements
// that disruption launches.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "model/nodeclaim.h"
#include "model/nodepool.h"
#include "scheduling/solver.h"

namespace adze::controllers {

model::NodeClaim MakeNodeClaim(const scheduling::NewClaim& planned, const model::NodePool& pool, std::string name);

// The hash of the NodePool fields that drift a claim when they change
// (template labels, annotations, taints, startup taints, node class,
// expireAfter, terminationGracePeriod; never weight, limits or disruption
// settings), stamped on each claim as kNodePoolHashAnnotation. Requirements
// are not hashed: a claim drifts only when its labels stop satisfying them
// (RequirementsDrifted, spec §6.5), so widening a pool never drifts.
std::string NodePoolHash(const model::NodePool& pool);
inline constexpr std::string_view kNodePoolHashAnnotation = "karpenter.sh/nodepool-hash";

}  // namespace adze::controllers
