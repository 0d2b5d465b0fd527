// OpenAPI v3 discovery as far as kubectl needs it: the root document
// (/openapi/v3) listing one document per group-version, and per-group-version
// documents whose paths carry each resource's operations with their
// x-kubernetes-group-version-kind and the fieldValidation query parameter.
// kubectl reads these to learn that the server validates fields itself
// (it then sends ?fieldValidation=Strict instead of downloading schemas to
// validate client-side). Schemas are not served: kubectl apply then builds
// its patches from its compiled-in types (built-in kinds) or as JSON merge
// patches (custom resources), as it does against servers without them.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace adze::twin {

nlohmann::json OpenApiV3Root();
// gv_path is "api/v1" or "apis/<group>/<version>"; nullopt when not served.
std::optional<nlohmann::json> OpenApiV3Document(const std::string& gv_path);

}  // namespace adze::twin
