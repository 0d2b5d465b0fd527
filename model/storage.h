// Storage objects the scheduler reads for volume topology (spec §2.7
// "Volumes"): PersistentVolumeClaim, PersistentVolume and StorageClass, only
// the fields that decide where a pod using them may run.
// Thread-safety: value types.
#pragma once

#include <string>
#include <vector>

#include "model/object_meta.h"
#include "model/requirements.h"

namespace adze::model {

// core/v1 PersistentVolumeClaim (namespaced). Bound when volume_name is set.
struct PersistentVolumeClaim {
  ObjectMeta meta;
  std::string storage_class_name;  // spec.storageClassName; empty: none
  std::string volume_name;         // spec.volumeName; empty: not bound yet
};

// core/v1 PersistentVolume (cluster-scoped).
struct PersistentVolume {
  ObjectMeta meta;
  // spec.nodeAffinity.required.nodeSelectorTerms: ORed, each term ANDed.
  // Empty: the volume can be used from any node.
  std::vector<Requirements> node_affinity;
  // spec.local or spec.hostPath: the volume lives on one node, whose
  // hostname a new node cannot have, so that term is not a constraint.
  bool node_local = false;
};

enum class VolumeBindingMode { kImmediate, kWaitForFirstConsumer };

// storage.k8s.io/v1 StorageClass (cluster-scoped).
struct StorageClass {
  ObjectMeta meta;
  std::string provisioner;
  VolumeBindingMode volume_binding_mode = VolumeBindingMode::kImmediate;
  // allowedTopologies: ORed terms, each a set of key In [values]. Empty: any.
  std::vector<Requirements> allowed_topologies;
};

}  // namespace adze::model
