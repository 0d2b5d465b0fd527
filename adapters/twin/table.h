// Server-side printing: the meta.k8s.io/v1 Table a real API server returns
// when a client asks for `as=Table` (kubectl get does), with the columns
// kubectl users know — pods (Ready, Status, Restarts, Age; wide: Node,
// Nominated Node), nodes (Status, Roles, Age, Version), NodeClaims and
// NodePools (Karpenter's printer columns), events — and Name/Age for the
// rest. Rows carry the object's metadata (PartialObjectMetadata), or the
// whole object with includeObject=Object.
// Thread-safety: pure functions (reads the wall clock for ages).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/twin/resource_table.h"

namespace adze::twin {

// True when the Accept header asks for a Table.
bool WantsTable(std::string_view accept);

nlohmann::json ToTable(const ResourceType& type, const std::vector<nlohmann::json>& objects,
                       const std::string& resource_version, bool include_object);

// kubectl's short age: 45s, 3m20s, 17m, 5h30m, 3d.
std::string HumanAge(int64_t seconds);

}  // namespace adze::twin
