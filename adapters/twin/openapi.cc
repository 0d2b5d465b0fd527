#include "adapters/twin/openapi.h"

#include <set>

#include "adapters/twin/resource_table.h"

namespace adze::twin {
namespace {

using nlohmann::json;

std::string GvPath(const ResourceType& r) { return r.group.empty() ? "api/" + r.version : "apis/" + r.GroupVersion(); }

}  // namespace

json OpenApiV3Root() {
  json paths = json::object();
  for (const ResourceType& r : ServedResources()) {
    std::string p = GvPath(r);
    paths[p] = json{{"serverRelativeURL", "/openapi/v3/" + p + "?hash=adze"}};
  }
  return json{{"paths", paths}};
}

std::optional<json> OpenApiV3Document(const std::string& gv_path) {
  json paths = json::object();
  for (const ResourceType& r : ServedResources()) {
    if (GvPath(r) != gv_path) continue;
    json gvk{{"group", r.group}, {"version", r.version}, {"kind", r.kind}};
    json params = json::array({json{{"name", "fieldValidation"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
                               json{{"name", "dryRun"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
                               json{{"name", "fieldManager"}, {"in", "query"}, {"schema", {{"type", "string"}}}}});
    json op{{"x-kubernetes-group-version-kind", gvk},
            {"parameters", params},
            {"responses", {{"200", {{"description", "OK"}}}}}};
    std::string base = "/" + gv_path + (r.namespaced ? "/namespaces/{namespace}/" : "/") + r.plural;
    paths[base] = json{{"post", op}};
    paths[base + "/{name}"] = json{{"get", op}, {"put", op}, {"patch", op}, {"delete", op}};
  }
  if (paths.empty()) return std::nullopt;
  return json{{"openapi", "3.0.0"},
              {"info", {{"title", "adze twin"}, {"version", "v1.32.0"}}},
              {"paths", paths},
              {"components", {{"schemas", json::object()}}}};
}

}  // namespace adze::twin
