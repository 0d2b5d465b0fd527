// WorkloadController: the part of kube-controller-manager that keeps a
// Deployment's pods alive, so that a pod evicted by a drain (consolidation,
// a spot interruption) comes back as a new pending pod — which is what makes
// "pods moved, none lost" observable in the twin. Reduced to what the twin
// needs: a Deployment (apps/v1) owns its pods directly (no ReplicaSet in
// between); spec.replicas (default 1) pods are kept from spec.template, named
// <deployment>-<suffix>, with an ownerReference (controller: true) to the
// Deployment; finished (Succeeded/Failed) and deleting pods do not count;
// extra pods are deleted newest first; a deleted Deployment's pods are
// deleted (garbage collection by owner). status.replicas, readyReplicas and
// availableReplicas are kept current. No rollout strategy: template changes
// apply to new pods only.
// Thread-safety: Step from one thread; the store is thread-safe.
#pragma once

#include <cstdint>

#include "adapters/twin/object_store.h"

namespace adze::twin {

class WorkloadController {
 public:
  explicit WorkloadController(ObjectStore& store) : store_(store) {}

  void Step();

  // Pods created so far (for the twin's log and tests).
  uint64_t created() const { return created_; }

 private:
  ObjectStore& store_;
  uint64_t created_ = 0;
};

}  // namespace adze::twin
