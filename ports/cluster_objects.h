// The Kubernetes objects controllers read through ports::Cluster, with the
// status the controllers act on: pods with their phase and nomination, nodes
// with their bound pods, NodeClaims with their lifecycle times.
// Times are ports::Time (absolute UTC microseconds).
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/duration.h"
#include "model/node.h"
#include "model/nodeclaim.h"
#include "model/pod.h"
#include "model/resource_list.h"

namespace adze::ports {

enum class PodPhase {
  kPending,    // not bound to a node
  kStarting,   // bound; pulling images, loading weights
  kRunning,
  kSucceeded,
  kFailed,
};

struct PodInfo {
  model::Pod pod;  // pod.node_name is set once bound
  PodPhase phase = PodPhase::kPending;
  // The kube-scheduler gave up on it (PodScheduled=False, Unschedulable):
  // what makes a pending pod provisionable (spec §2.1).
  bool unschedulable = false;
  std::string nominated_node_claim;  // set by the provisioner
  model::Duration created_at = 0;
  model::Duration bound_at = -1;
  model::Duration running_at = -1;
  bool deleting = false;
};

struct NodeInfo {
  model::Node node;
  std::string node_claim;
  std::vector<std::string> pods;  // bound pods that have not finished
  model::ResourceList requested;  // sum of those pods' requests
  bool initialized = false;       // karpenter.sh/initialized
  bool deleting = false;          // its NodeClaim is being deleted
  model::Duration registered_at = 0;
  // Last time a pod was bound to or left the node (consolidateAfter counts from it).
  model::Duration last_pod_event = 0;
};

struct NodeClaimInfo {
  model::NodeClaim claim;  // claim.meta.labels carries karpenter.sh/nodepool
  std::string node_pool;
  model::Duration created_at = 0;
  std::optional<model::Duration> launched_at;
  std::optional<model::Duration> registered_at;
  std::optional<model::Duration> initialized_at;
  // Deletion requested (karpenter.sh/termination finalizer running).
  std::optional<model::Duration> deletion_requested_at;
  std::string deletion_reason;  // e.g. interrupted, registration_timeout
  // Known once launched.
  std::string instance_type;
  std::string zone;
  std::string capacity_type;
  double price_per_hour = 0;
  // Optimistic concurrency: UpdateNodeClaim fails with kConflict unless this
  // is the version the cluster holds (Kubernetes' metadata.resourceVersion).
  uint64_t resource_version = 0;
};

}  // namespace adze::ports
