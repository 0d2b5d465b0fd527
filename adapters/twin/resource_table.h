// ResourceTable: the API resources the twin serves — group, version, plural,
// kind, scope, short names, subresources — from which it answers discovery
// (/api, /apis) and routes requests. A subset of a real API server's, enough
// for kubectl, the Python client and adze's own client.
// Thread-safety: immutable after construction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace adze::twin {

struct ResourceType {
  std::string group;  // "" for the core group
  std::string version;
  std::string plural;  // pods
  std::string singular;
  std::string kind;  // Pod
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> subresources;  // "status", "binding", "eviction"

  // "v1" or "group/version".
  std::string GroupVersion() const { return group.empty() ? version : group + "/" + version; }
  // The store key: "pods", "nodepools.karpenter.sh".
  std::string Key() const { return group.empty() ? plural : plural + "." + group; }
  bool HasSubresource(std::string_view name) const;
};

const std::vector<ResourceType>& ServedResources();
// nullptr when the twin does not serve it.
const ResourceType* FindResource(std::string_view group, std::string_view version, std::string_view plural);
const ResourceType* FindResourceByKind(std::string_view group_version, std::string_view kind);

}  // namespace adze::twin
