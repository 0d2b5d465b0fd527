#include "model/codec/manifests.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <string>

#include "model/codec/document_loader.h"
#include "model/codec/ec2nodeclass_decoder.h"
#include "model/codec/node_decoder.h"
#include "model/codec/nodepool_decoder.h"
#include "model/codec/pod_decoder.h"
#include "model/codec/storage_decoder.h"
#include "model/codec/workload_decoder.h"

namespace adze::codec {
namespace {

struct SupportedKind {
  std::string_view api_version;
  std::string_view kind;
};

constexpr std::array<SupportedKind, 12> kSupportedKinds = {{
    {"karpenter.sh/v1", "NodePool"},
    {"karpenter.k8s.aws/v1", "EC2NodeClass"},
    {"v1", "Pod"},
    {"v1", "Node"},
    {"v1", "List"},
    {"apps/v1", "Deployment"},
    {"apps/v1", "DaemonSet"},
    {"batch/v1", "Job"},
    {"policy/v1", "PodDisruptionBudget"},
    {"v1", "PersistentVolumeClaim"},
    {"v1", "PersistentVolume"},
    {"storage.k8s.io/v1", "StorageClass"},
}};

std::string SupportedList() {
  std::string out;
  for (const SupportedKind& k : kSupportedKinds) {
    if (!out.empty()) out += ", ";
    out += std::string(k.api_version) + " " + std::string(k.kind);
  }
  return out;
}

template <typename T>
void MoveAppend(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  from.clear();
}

}  // namespace

Result<bool> Manifests::Append(Manifests&& other) {
  for (auto& [key, where] : other.origins) {
    auto [it, inserted] = origins.emplace(key, where);
    if (!inserted) return Error::InvalidArgument(where + ": duplicate " + key + " (first at " + it->second + ")");
  }
  documents += other.documents;
  MoveAppend(node_pools, other.node_pools);
  MoveAppend(node_classes, other.node_classes);
  MoveAppend(pods, other.pods);
  MoveAppend(deployments, other.deployments);
  MoveAppend(jobs, other.jobs);
  MoveAppend(daemon_sets, other.daemon_sets);
  MoveAppend(pdbs, other.pdbs);
  MoveAppend(nodes, other.nodes);
  MoveAppend(volume_claims, other.volume_claims);
  MoveAppend(volumes, other.volumes);
  MoveAppend(storage_classes, other.storage_classes);
  MoveAppend(warnings, other.warnings);
  return true;
}

namespace {

// Records where object (already decoded as meta) was read; a second object
// with the same kind and name fails at its name.
void RecordOrigin(const YamlField& object, std::string_view kind, const model::ObjectMeta& meta, bool namespaced,
                  Manifests& out) {
  YamlField name = object["metadata"]["name"];
  if (!name.present()) return;  // generateName: the server makes it unique
  std::string key = std::string(kind) + " " + (namespaced ? meta.namespace_ + "/" : "") + meta.name;
  std::string where = name.context()->file_name() + ":" + std::to_string(name.line()) + ":" +
                      std::to_string(name.column());
  auto [it, inserted] = out.origins.emplace(key, where);
  if (!inserted) name.Fail("duplicate " + key + " (first at " + it->second + ")");
}

}  // namespace

void DecodeObject(const YamlField& object, Manifests& out) {
  if (!object.IsMap()) object.FailExpected("a Kubernetes object (a map with apiVersion and kind)");
  YamlField kind_field = object["kind"];
  YamlField version_field = object["apiVersion"];
  std::string kind = kind_field.String();
  const SupportedKind* supported = nullptr;
  for (const SupportedKind& k : kSupportedKinds) {
    if (k.kind == kind) supported = &k;
  }
  if (supported == nullptr) kind_field.FailExpected("a supported kind: " + SupportedList());
  if (version_field.String() != supported->api_version) {
    version_field.FailExpected(std::string(supported->api_version) + " for kind " + kind + " (supported: " +
                               SupportedList() + ")");
  }

  if (kind == "List") {
    object.CheckFields({"apiVersion", "kind", "items"}, {"metadata"});
    for (const YamlField& item : object["items"].Items()) DecodeObject(item, out);
  } else if (kind == "NodePool") {
    out.node_pools.push_back(DecodeNodePool(object));
    RecordOrigin(object, kind, out.node_pools.back().meta, false, out);
  } else if (kind == "EC2NodeClass") {
    out.node_classes.push_back(DecodeEC2NodeClass(object));
    RecordOrigin(object, kind, out.node_classes.back().meta, false, out);
  } else if (kind == "Pod") {
    out.pods.push_back(DecodePod(object));
    RecordOrigin(object, kind, out.pods.back().meta, true, out);
  } else if (kind == "Node") {
    out.nodes.push_back(DecodeNode(object));
    RecordOrigin(object, kind, out.nodes.back().meta, false, out);
  } else if (kind == "Deployment") {
    out.deployments.push_back(DecodeDeployment(object));
    RecordOrigin(object, kind, out.deployments.back().meta, true, out);
  } else if (kind == "DaemonSet") {
    out.daemon_sets.push_back(DecodeDaemonSet(object));
  } else if (kind == "Job") {
    out.jobs.push_back(DecodeJob(object));
  } else if (kind == "PodDisruptionBudget") {
    out.pdbs.push_back(DecodePodDisruptionBudget(object));
  } else if (kind == "PersistentVolumeClaim") {
    out.volume_claims.push_back(DecodePersistentVolumeClaim(object));
  } else if (kind == "PersistentVolume") {
    out.volumes.push_back(DecodePersistentVolume(object));
  } else if (kind == "StorageClass") {
    out.storage_classes.push_back(DecodeStorageClass(object));
  }
}

Result<Manifests> DecodeManifests(std::string_view text, std::string_view file_name) {
  DecodeContext ctx{std::string(file_name)};
  return CatchDecodeError<Manifests>(file_name, [&] {
    Manifests out;
    // One document at a time: a file of 100,000 Pods never holds 100,000
    // YAML trees (issue 15 class 8).
    ForEachDocument(text, file_name, [&](const YamlNode& doc) {
      DecodeObject(YamlField(doc, &ctx), out);
      ++out.documents;
    });
    out.warnings = std::move(ctx.warnings());
    // Decoders visit fields in their own order; report in file order.
    std::stable_sort(out.warnings.begin(), out.warnings.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return out;
  });
}

}  // namespace adze::codec
