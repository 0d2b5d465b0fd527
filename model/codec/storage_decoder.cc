#include "model/codec/storage_decoder.h"

#include <string>
#include <vector>

#include "model/codec/core_decoders.h"
#include "model/labels.h"

namespace adze::codec {

model::PersistentVolumeClaim DecodePersistentVolumeClaim(const YamlField& object) {
  object.CheckFields({"apiVersion", "kind", "metadata", "spec"}, {"status"});
  model::PersistentVolumeClaim out;
  out.meta = DecodeObjectMeta(object["metadata"], MetaScope::kNamespaced);
  YamlField spec = object["spec"].RequireMap();
  spec.CheckFields({"storageClassName", "volumeName"},
                   {"accessModes", "resources", "selector", "volumeMode", "dataSource", "dataSourceRef",
                    "volumeAttributesClassName"});
  out.storage_class_name = spec["storageClassName"].StringOr("");
  out.volume_name = spec["volumeName"].StringOr("");
  return out;
}

model::PersistentVolume DecodePersistentVolume(const YamlField& object) {
  object.CheckFields({"apiVersion", "kind", "metadata", "spec"}, {"status"});
  model::PersistentVolume out;
  out.meta = DecodeObjectMeta(object["metadata"], MetaScope::kCluster);
  YamlField spec = object["spec"].RequireMap();
  spec.CheckFields(
      {"nodeAffinity", "local", "hostPath"},
      {"capacity", "accessModes", "persistentVolumeReclaimPolicy", "storageClassName", "claimRef", "volumeMode",
       "mountOptions", "volumeAttributesClassName", "csi", "nfs", "awsElasticBlockStore", "fc", "iscsi",
       "cephfs", "rbd", "glusterfs", "flexVolume", "azureDisk", "azureFile", "gcePersistentDisk"});
  YamlField affinity = spec["nodeAffinity"];
  affinity.CheckFields({"required"});
  out.node_affinity = DecodeNodeSelector(affinity["required"]);
  out.node_local = spec["local"].present() || spec["hostPath"].present();
  return out;
}

model::StorageClass DecodeStorageClass(const YamlField& object) {
  // A StorageClass has no spec: its fields sit at the top level.
  object.CheckFields({"apiVersion", "kind", "metadata", "provisioner", "volumeBindingMode", "allowedTopologies"},
                     {"parameters", "reclaimPolicy", "allowVolumeExpansion", "mountOptions"});
  model::StorageClass out;
  out.meta = DecodeObjectMeta(object["metadata"], MetaScope::kCluster);
  out.provisioner = object["provisioner"].String();
  if (out.provisioner.empty()) object["provisioner"].FailExpected("the name of a volume provisioner");
  std::optional<std::string> mode = object["volumeBindingMode"].OptKeyword({"Immediate", "WaitForFirstConsumer"});
  if (mode == "WaitForFirstConsumer") out.volume_binding_mode = model::VolumeBindingMode::kWaitForFirstConsumer;
  for (const YamlField& term : object["allowedTopologies"].Items()) {
    term.CheckFields({"matchLabelExpressions"});
    std::vector<YamlField> exprs = term["matchLabelExpressions"].Items();
    if (exprs.empty()) term["matchLabelExpressions"].Fail("a topology term needs at least one expression");
    model::Requirements reqs;
    for (const YamlField& expr : exprs) {
      expr.CheckFields({"key", "values"});
      std::string key = expr["key"].String();
      if (key.empty()) expr["key"].FailExpected("a label key such as topology.kubernetes.io/zone");
      std::vector<std::string> values = expr["values"].StringList();
      if (values.empty()) expr["values"].FailExpected("a non-empty list of label values");
      reqs.Add(model::Requirement::In(std::string(model::NormalizeLabelKey(key)), values));
    }
    out.allowed_topologies.push_back(std::move(reqs));
  }
  return out;
}

}  // namespace adze::codec
