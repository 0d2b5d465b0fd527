// Manifests: the Kubernetes and Karpenter objects adze reads from files, and
// DecodeManifests, which turns the text of a YAML or JSON manifest file into
// them with file:line:col errors.
//
// Supported kinds: karpenter.sh/v1 NodePool, karpenter.k8s.aws/v1
// EC2NodeClass, v1 Pod, Node and List (items[]), apps/v1 Deployment and
// DaemonSet, batch/v1 Job, policy/v1 PodDisruptionBudget, v1
// PersistentVolumeClaim and PersistentVolume, storage.k8s.io/v1 StorageClass.
// Thread-safety: pure functions; Manifests is a value type.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/codec/diagnostic.h"
#include "model/codec/yaml_field.h"
#include "model/ec2nodeclass.h"
#include "model/node.h"
#include "model/nodepool.h"
#include "model/pod.h"
#include "model/result.h"
#include "model/storage.h"
#include "model/workloads.h"

namespace adze::codec {

struct Manifests {
  std::vector<model::NodePool> node_pools;
  std::vector<model::EC2NodeClass> node_classes;
  std::vector<model::Pod> pods;
  std::vector<model::Deployment> deployments;
  std::vector<model::Job> jobs;
  std::vector<model::DaemonSet> daemon_sets;
  std::vector<model::PodDisruptionBudget> pdbs;
  std::vector<model::Node> nodes;
  std::vector<model::PersistentVolumeClaim> volume_claims;
  std::vector<model::PersistentVolume> volumes;
  std::vector<model::StorageClass> storage_classes;
  // Non-fatal findings: unknown fields, fields adze does not model.
  std::vector<Diagnostic> warnings;
  // Non-empty YAML documents (or JSON texts) read, of any kind: 0 means the
  // input held nothing at all (an empty file, only comments).
  size_t documents = 0;
  // Where each named object was read, "file:line:col", keyed by
  // "Kind namespace/name" (cluster-scoped: "Kind name"): the API server
  // keeps one object per key, so a second one is an error naming both places.
  std::map<std::string, std::string, std::less<>> origins;

  // Moves every object and warning of other to the end of this. Fails,
  // naming both places, when other holds an object this already has.
  Result<bool> Append(Manifests&& other);
};

// Decodes every document of a YAML stream (multi-document '---') or a JSON
// text, including `kind: List` (items[]) as printed by `kubectl get ... -o
// yaml|json`. No I/O: the caller reads the file; file_name is only used in
// messages. The first error stops decoding and is returned as an
// InvalidArgument Error whose message is
//   "<file>:<line>:<col>: <field path>: <what was found and what was expected>".
// Unknown fields never fail; they are returned as warnings.
Result<Manifests> DecodeManifests(std::string_view text, std::string_view file_name);

// Decodes one object (a document, or a List item) by its apiVersion and kind
// into out, recursing into List items. For other file formats that embed
// manifests. Throws DecodeError (see yaml_field.h) on the first error.
void DecodeObject(const YamlField& object, Manifests& out);

}  // namespace adze::codec
