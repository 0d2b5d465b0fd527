#include "adapters/twin/workload_controller.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace adze::twin {
namespace {

using nlohmann::json;

const json& Field(const json& o, const char* key) {
  static const json kNull;
  if (!o.is_object()) return kNull;
  auto it = o.find(key);
  return it == o.end() ? kNull : *it;
}

std::string StringAt(const json& o, const char* a, const char* b) {
  const json& v = Field(Field(o, a), b);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// The uid of the pod's controlling Deployment, "" when none.
std::string DeploymentUid(const json& pod) {
  const json& refs = Field(Field(pod, "metadata"), "ownerReferences");
  if (!refs.is_array()) return "";
  for (const json& r : refs) {
    if (Field(r, "controller") == true && Field(r, "kind") == "Deployment" && Field(r, "uid").is_string()) {
      return r["uid"].get<std::string>();
    }
  }
  return "";
}

bool Counts(const json& pod) {
  if (!Field(Field(pod, "metadata"), "deletionTimestamp").is_null()) return false;
  std::string phase = StringAt(pod, "status", "phase");
  return phase != "Succeeded" && phase != "Failed";
}

bool Ready(const json& pod) {
  const json& conditions = Field(Field(pod, "status"), "conditions");
  if (!conditions.is_array()) return false;
  for (const json& c : conditions) {
    if (Field(c, "type") == "Ready" && Field(c, "status") == "True") return true;
  }
  return false;
}

}  // namespace

void WorkloadController::Step() {
  std::map<std::string, std::vector<json>> pods_by_owner;  // uid -> pods
  for (json& pod : store_.List("pods", "").items) {
    std::string uid = DeploymentUid(pod);
    if (!uid.empty()) pods_by_owner[uid].push_back(std::move(pod));
  }
  std::set<std::string> deployments;
  for (const json& d : store_.List("deployments.apps", "").items) {
    const std::string ns = StringAt(d, "metadata", "namespace");
    const std::string name = StringAt(d, "metadata", "name");
    const std::string uid = StringAt(d, "metadata", "uid");
    deployments.insert(uid);
    if (!Field(Field(d, "metadata"), "deletionTimestamp").is_null()) continue;
    const json& spec = Field(d, "spec");
    const json& replicas_json = Field(spec, "replicas");
    const int64_t replicas = replicas_json.is_number_integer() ? std::max<int64_t>(0, replicas_json.get<int64_t>()) : 1;
    std::vector<json> live;
    for (json& p : pods_by_owner[uid]) {
      if (Counts(p)) live.push_back(std::move(p));
    }
    int64_t have = static_cast<int64_t>(live.size());
    for (; have < replicas; ++have) {
      const json& tmpl = Field(spec, "template");
      json pod{{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", json::object()}, {"spec", Field(tmpl, "spec")}};
      for (const char* key : {"labels", "annotations"}) {
        const json& v = Field(Field(tmpl, "metadata"), key);
        if (v.is_object()) pod["metadata"][key] = v;
      }
      pod["metadata"]["generateName"] = name + "-";
      pod["metadata"]["namespace"] = ns;
      pod["metadata"]["ownerReferences"] = json::array({json{{"apiVersion", "apps/v1"},
                                                             {"kind", "Deployment"},
                                                             {"name", name},
                                                             {"uid", uid},
                                                             {"controller", true},
                                                             {"blockOwnerDeletion", true}}});
      if (!pod["spec"].is_object()) break;  // no template: nothing to make
      if (store_.Create("pods", ns, std::move(pod)).ok()) ++created_;
    }
    if (static_cast<int64_t>(live.size()) > replicas) {
      // Newest first: the order of creationTimestamp, then name.
      std::sort(live.begin(), live.end(), [](const json& a, const json& b) {
        return std::make_pair(StringAt(a, "metadata", "creationTimestamp"), StringAt(a, "metadata", "name")) >
               std::make_pair(StringAt(b, "metadata", "creationTimestamp"), StringAt(b, "metadata", "name"));
      });
      for (size_t i = 0; i < live.size() - static_cast<size_t>(replicas); ++i) {
        (void)store_.Delete("pods", ns, StringAt(live[i], "metadata", "name"));
      }
      live.resize(static_cast<size_t>(replicas));
    }
    const int64_t ready = std::count_if(live.begin(), live.end(), Ready);
    json status{{"replicas", static_cast<int64_t>(live.size())}, {"readyReplicas", ready}, {"availableReplicas", ready}};
    const json& old = Field(d, "status");
    bool same = old.is_object() && Field(old, "replicas") == status["replicas"] &&
                Field(old, "readyReplicas") == status["readyReplicas"];
    if (!same) {
      (void)store_.Mutate("deployments.apps", ns, name, [&](json& obj) {
        obj["status"] = status;
        return OkStatus();
      });
    }
  }
  // Pods whose Deployment is gone (garbage collection by owner).
  for (const auto& [uid, pods] : pods_by_owner) {
    if (deployments.contains(uid)) continue;
    for (const json& p : pods) {
      (void)store_.Delete("pods", StringAt(p, "metadata", "namespace"), StringAt(p, "metadata", "name"));
    }
  }
}

}  // namespace adze::twin
