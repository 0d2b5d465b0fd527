#include "adapters/twin/json_patch.h"

#include <algorithm>
#include <exception>
#include <map>
#include <optional>
#include <string>

namespace adze::twin {
namespace {

using nlohmann::json;

// Field name -> merge key of the list fields whose patchStrategy is "merge"
// in the core/v1 and apps/v1 types (k8s.io/api, `patchMergeKey` tags).
// Lists of primitives with patchStrategy merge (finalizers) use "" as key.
const std::map<std::string, std::string, std::less<>>& MergeKeys() {
  static const std::map<std::string, std::string, std::less<>> kKeys = {
      {"containers", "name"},
      {"initContainers", "name"},
      {"ephemeralContainers", "name"},
      {"env", "name"},
      {"volumes", "name"},
      {"volumeMounts", "mountPath"},
      {"ports", "containerPort"},
      {"conditions", "type"},
      {"ownerReferences", "uid"},
      {"finalizers", ""},
      {"imagePullSecrets", "name"},
      {"hostAliases", "ip"},
      {"addresses", "type"},
      {"containerStatuses", "name"},
  };
  return kKeys;
}

json StrategicMerge(const json& target, const json& patch);

json MergeList(const json& target, const json& patch, const std::string& key) {
  if (!target.is_array()) return patch;
  json out = target;
  for (const json& item : patch) {
    if (key.empty()) {  // primitive list: union
      if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
      continue;
    }
    if (!item.is_object() || !item.contains(key)) {
      out.push_back(item);
      continue;
    }
    bool remove = item.value("$patch", "") == "delete";
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const json& e) { return e.is_object() && e.contains(key) && e[key] == item[key]; });
    if (remove) {
      if (it != out.end()) out.erase(it);
    } else if (it != out.end()) {
      *it = StrategicMerge(*it, item);
    } else {
      json clean = item;
      clean.erase("$patch");
      out.push_back(clean);
    }
  }
  return out;
}

json StrategicMerge(const json& target, const json& patch) {
  if (!patch.is_object()) return patch;
  if (patch.value("$patch", "") == "replace") {
    json clean = patch;
    clean.erase("$patch");
    return clean;
  }
  if (patch.value("$patch", "") == "delete") return json();
  json out = target.is_object() ? target : json::object();
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const std::string& name = it.key();
    if (name == "$patch" || name == "$retainKeys" || name.rfind("$setElementOrder/", 0) == 0) continue;
    if (name.rfind("$deleteFromPrimitiveList/", 0) == 0) {
      std::string field = name.substr(sizeof("$deleteFromPrimitiveList/") - 1);
      if (out.contains(field) && out[field].is_array()) {
        for (const json& v : it.value()) {
          auto& list = out[field];
          list.erase(std::remove(list.begin(), list.end(), v), list.end());
        }
      }
      continue;
    }
    if (it.value().is_null()) {
      out.erase(name);
      continue;
    }
    auto key = MergeKeys().find(name);
    if (it.value().is_array() && key != MergeKeys().end() && out.contains(name)) {
      out[name] = MergeList(out[name], it.value(), key->second);
    } else if (it.value().is_object()) {
      out[name] = StrategicMerge(out.contains(name) ? out[name] : json(), it.value());
      if (out[name].is_null()) out.erase(name);
    } else {
      out[name] = it.value();
    }
  }
  return out;
}

}  // namespace

std::optional<PatchType> PatchTypeFromContentType(std::string_view content_type) {
  std::string_view base = content_type.substr(0, content_type.find(';'));
  if (base == "application/merge-patch+json") return PatchType::kMerge;
  if (base == "application/json-patch+json") return PatchType::kJson;
  if (base == "application/strategic-merge-patch+json") return PatchType::kStrategic;
  return std::nullopt;
}

Result<json> ApplyPatch(const json& target, const json& patch, PatchType type) {
  switch (type) {
    case PatchType::kMerge: {
      if (!patch.is_object()) return Error::InvalidArgument("a merge patch must be a JSON object");
      json out = target;
      out.merge_patch(patch);
      return out;
    }
    case PatchType::kJson:
      try {
        return target.patch(patch);
      } catch (const std::exception& e) {
        return Error::InvalidArgument(std::string("json patch: ") + e.what());
      }
    case PatchType::kStrategic:
      if (!patch.is_object()) return Error::InvalidArgument("a strategic merge patch must be a JSON object");
      return StrategicMerge(target, patch);
  }
  return Error::Internal("unknown patch type");
}

}  // namespace adze::twin
