// Cluster: the Kubernetes state the controllers read and the mutations they
// may ask for (DESIGN.md, "the three interfaces"). The simulator implements it
// over its in-memory API objects; the Kubernetes adapter over watches and
// API calls. Reads return views that stay valid until the next mutation.
// Thread-safety: implementations say; controllers call from one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/duration.h"
#include "model/node.h"
#include "model/nodeclaim.h"
#include "model/nodepool.h"
#include "model/pod.h"
#include "model/result.h"
#include "model/taint.h"
#include "model/workloads.h"

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
};

class Cluster {
 public:
  virtual ~Cluster() = default;

  // --- reads
  virtual std::vector<const PodInfo*> PendingPods() const = 0;
  virtual const PodInfo* GetPod(const std::string& name) const = 0;
  virtual std::vector<const NodeInfo*> Nodes() const = 0;  // by name
  virtual const NodeInfo* GetNode(const std::string& name) const = 0;
  virtual std::vector<const NodeClaimInfo*> NodeClaims() const = 0;  // by name
  virtual const NodeClaimInfo* GetNodeClaim(const std::string& name) const = 0;
  virtual const std::vector<model::NodePool>& NodePools() const = 0;
  virtual const std::vector<model::DaemonSet>& DaemonSets() const = 0;
  virtual const std::vector<model::PodDisruptionBudget>& PodDisruptionBudgets() const = 0;

  // --- mutations
  // Creates the claim; its name must be unique. Returns the name.
  virtual std::string CreateNodeClaim(model::NodeClaim claim, const std::string& node_pool) = 0;
  // Writes the claim's status fields (launched, provider id, capacity, ...).
  virtual void UpdateNodeClaim(const NodeClaimInfo& info) = 0;
  // Starts the claim's deletion; the termination controller finishes it.
  virtual void RequestNodeClaimDeletion(const std::string& claim, const std::string& reason) = 0;
  // Removes the claim and its node (after termination).
  virtual void RemoveNodeClaim(const std::string& claim) = 0;
  virtual void NominatePod(const std::string& pod, const std::string& claim) = 0;
  virtual void TaintNode(const std::string& node, const model::Taint& taint) = 0;
  virtual void RemoveTaint(const std::string& node, const std::string& key) = 0;
  // Eviction API: kThrottled when a PodDisruptionBudget forbids it now.
  virtual Status EvictPod(const std::string& pod) = 0;
  // Deletes the pod outright (past its node's termination deadline).
  virtual void DeletePod(const std::string& pod) = 0;
};

}  // namespace adze::ports
