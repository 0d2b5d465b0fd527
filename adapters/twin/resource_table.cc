#include "adapters/twin/resource_table.h"

#include <algorithm>

namespace adze::twin {

bool ResourceType::HasSubresource(std::string_view name) const {
  return std::find(subresources.begin(), subresources.end(), name) != subresources.end();
}

const std::vector<ResourceType>& ServedResources() {
  static const std::vector<ResourceType> kResources = {
      {"", "v1", "namespaces", "namespace", "Namespace", false, {"ns"}, {"status"}},
      {"", "v1", "pods", "pod", "Pod", true, {"po"}, {"status", "binding", "eviction"}},
      {"", "v1", "nodes", "node", "Node", false, {"no"}, {"status"}},
      {"", "v1", "events", "event", "Event", true, {"ev"}, {}},
      {"", "v1", "configmaps", "configmap", "ConfigMap", true, {"cm"}, {}},
      {"", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, {"sa"}, {}},
      {"", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, {"pvc"}, {"status"}},
      {"", "v1", "persistentvolumes", "persistentvolume", "PersistentVolume", false, {"pv"}, {"status"}},
      {"apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, {"ds"}, {"status"}},
      {"apps", "v1", "deployments", "deployment", "Deployment", true, {"deploy"}, {"status"}},
      {"batch", "v1", "jobs", "job", "Job", true, {}, {"status"}},
      {"policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, {"pdb"}, {"status"}},
      {"coordination.k8s.io", "v1", "leases", "lease", "Lease", true, {}, {}},
      // Stored only (kubectl apply -k deploy/): the twin does not authorize.
      {"rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, {}, {}},
      {"rbac.authorization.k8s.io",
       "v1",
       "clusterrolebindings",
       "clusterrolebinding",
       "ClusterRoleBinding",
       false,
       {},
       {}},
      {"rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, {}, {}},
      {"rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, {}, {}},
      {"storage.k8s.io", "v1", "storageclasses", "storageclass", "StorageClass", false, {"sc"}, {}},
      {"apiextensions.k8s.io",
       "v1",
       "customresourcedefinitions",
       "customresourcedefinition",
       "CustomResourceDefinition",
       false,
       {"crd", "crds"},
       {"status"}},
      {"karpenter.sh", "v1", "nodepools", "nodepool", "NodePool", false, {}, {"status"}},
      {"karpenter.sh", "v1", "nodeclaims", "nodeclaim", "NodeClaim", false, {}, {"status"}},
      {"karpenter.k8s.aws",
       "v1",
       "ec2nodeclasses",
       "ec2nodeclass",
       "EC2NodeClass",
       false,
       {"ec2nc", "ec2ncs"},
       {"status"}},
  };
  return kResources;
}

const ResourceType* FindResource(std::string_view group, std::string_view version, std::string_view plural) {
  for (const ResourceType& r : ServedResources()) {
    if (r.group == group && r.version == version && r.plural == plural) return &r;
  }
  return nullptr;
}

const ResourceType* FindResourceByKind(std::string_view group_version, std::string_view kind) {
  for (const ResourceType& r : ServedResources()) {
    if (r.GroupVersion() == group_version && r.kind == kind) return &r;
  }
  return nullptr;
}

}  // namespace adze::twin
