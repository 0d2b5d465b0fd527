// The PATCH bodies the API server accepts, applied to a JSON object:
//   application/merge-patch+json            RFC 7386 JSON merge patch
//   application/json-patch+json             RFC 6902 JSON patch
//   application/strategic-merge-patch+json  Kubernetes' strategic merge patch,
//     for the fields kubectl apply/label/cordon/drain touch: maps merge as in
//     a merge patch; lists with a merge key (containers, env, ports, volumes,
//     conditions; taints and tolerations are replaced, as upstream) merge
//     element-wise by that key; `$patch: delete|replace` and
//     `$deleteFromPrimitiveList/` directives are honoured; `$setElementOrder/`
//     and `$retainKeys` are accepted and ignored (order is the patch's).
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "model/result.h"

namespace adze::twin {

enum class PatchType { kMerge, kJson, kStrategic };

// Maps a Content-Type to its patch type; nullopt for anything else
// (e.g. server-side apply, which the twin does not serve).
std::optional<PatchType> PatchTypeFromContentType(std::string_view content_type);

Result<nlohmann::json> ApplyPatch(const nlohmann::json& target, const nlohmann::json& patch, PatchType type);

}  // namespace adze::twin
