#include "adapters/twin/admission.h"

#include <optional>

#include "adapters/kube/json_yaml.h"
#include "adapters/kube/object_codec.h"
#include "model/codec/manifests.h"
#include "model/codec/yaml_field.h"

namespace adze::twin {

std::optional<AdmissionError> Admit(const ResourceType& type, const nlohmann::json& object) {
  if (type.kind == "NodeClaim") {
    auto claim = kube::DecodeNodeClaim(object);
    if (!claim.ok()) return AdmissionError{"", claim.error().message};
    return std::nullopt;
  }
  // Kinds the manifest decoders know; everything else is stored as given.
  static const char* kDecoded[] = {"Pod",
                                   "Node",
                                   "NodePool",
                                   "EC2NodeClass",
                                   "DaemonSet",
                                   "Deployment",
                                   "Job",
                                   "PodDisruptionBudget",
                                   "PersistentVolumeClaim",
                                   "PersistentVolume",
                                   "StorageClass"};
  bool decoded = false;
  for (const char* k : kDecoded) decoded = decoded || type.kind == k;
  if (!decoded) return std::nullopt;
  codec::DecodeContext ctx(type.kind);
  try {
    codec::Manifests out;
    codec::DecodeObject(codec::YamlField(kube::JsonToYaml(object), &ctx), out);
  } catch (const codec::DecodeError& e) {
    return AdmissionError{e.diagnostic().field, e.diagnostic().message};
  }
  return std::nullopt;
}

}  // namespace adze::twin
