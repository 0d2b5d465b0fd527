// SimulatedCluster: the Kubernetes API objects of a simulation (pods, nodes,
// NodeClaims, NodePools, DaemonSets, PDBs) behind the ports::Cluster
// interface the controllers use, plus the mutations the simulated kubelet,
// kube-scheduler and workloads make directly.
// Thread-safety: none; a simulation runs on one thread.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ports/clock.h"
#include "ports/cluster.h"

namespace adze::sim {

// Why a pod stopped before completing.
enum class PodEndReason { kCompleted, kEvicted, kNodeLost, kScaledDown };

class SimulatedCluster : public ports::Cluster {
 public:
  // Called when a pod leaves the cluster, so its owner can react (a Job or
  // Deployment makes a replacement, a training gang restarts).
  using PodEndListener = std::function<void(const ports::PodInfo&, PodEndReason)>;

  SimulatedCluster(const ports::Clock& clock, std::vector<model::NodePool> pools,
                   std::vector<model::DaemonSet> daemon_sets, std::vector<model::PodDisruptionBudget> pdbs);

  void SetPodEndListener(PodEndListener listener) { on_pod_end_ = std::move(listener); }

  // --- ports::Cluster
  std::vector<const ports::PodInfo*> PendingPods() const override;
  const ports::PodInfo* GetPod(const std::string& name) const override;
  std::vector<const ports::NodeInfo*> Nodes() const override;
  const ports::NodeInfo* GetNode(const std::string& name) const override;
  std::vector<const ports::NodeClaimInfo*> NodeClaims() const override;
  const ports::NodeClaimInfo* GetNodeClaim(const std::string& name) const override;
  const std::vector<model::NodePool>& NodePools() const override { return pools_; }
  const std::vector<model::DaemonSet>& DaemonSets() const override { return daemon_sets_; }
  const std::vector<model::PodDisruptionBudget>& PodDisruptionBudgets() const override { return pdbs_; }
  std::string CreateNodeClaim(model::NodeClaim claim, const std::string& node_pool) override;
  void UpdateNodeClaim(const ports::NodeClaimInfo& info) override;
  void RequestNodeClaimDeletion(const std::string& claim, const std::string& reason) override;
  void RemoveNodeClaim(const std::string& claim) override;
  void NominatePod(const std::string& pod, const std::string& claim) override;
  void TaintNode(const std::string& node, const model::Taint& taint) override;
  void RemoveTaint(const std::string& node, const std::string& key) override;
  Status EvictPod(const std::string& pod) override;
  void DeletePod(const std::string& pod) override { EndPod(pod, PodEndReason::kEvicted); }

  // --- the simulated world's own mutations
  // Replaces the NodePool of the same name (a user applied a new manifest).
  void UpdateNodePool(const model::NodePool& pool);
  void AddPod(model::Pod pod);
  void BindPod(const std::string& pod, const std::string& node);
  void MarkUnschedulable(const std::string& pod);
  void SetPodRunning(const std::string& pod);
  // Ends the pod: removes it from its node and the cluster and tells the listener.
  void EndPod(const std::string& pod, PodEndReason reason);
  // The kubelet registered the claim's node (not yet Ready).
  void RegisterNode(const std::string& claim, model::Node node);
  void SetNodeReady(const std::string& node);
  // The device plugin (or another extended-resource plugin) registered.
  void SetNodeAllocatable(const std::string& node, const model::ResourceList& allocatable);
  void SetNodeInitialized(const std::string& node);

  // Nodes that are Ready, schedulable and not being deleted.
  std::vector<const ports::NodeInfo*> SchedulableNodes() const;
  size_t pod_count() const { return pods_.size(); }
  // Bumped by every change a scheduling decision depends on.
  uint64_t generation() const { return generation_; }
  // Bumped when room may have appeared on a node: a node became Ready or
  // changed allocatable or taints, or a pod left one.
  uint64_t capacity_generation() const { return capacity_generation_; }
  // Claims that are neither initialised nor being deleted.
  size_t claims_in_flight() const { return in_flight_.size(); }

  // The node's allocatable minus its bound pods' requests.
  static model::ResourceList Free(const ports::NodeInfo& node);

 private:
  ports::PodInfo& MustPod(const std::string& name);
  bool PdbAllowsEviction(const ports::PodInfo& pod) const;

  const ports::Clock& clock_;
  std::vector<model::NodePool> pools_;
  std::vector<model::DaemonSet> daemon_sets_;
  std::vector<model::PodDisruptionBudget> pdbs_;
  std::map<std::string, ports::PodInfo> pods_;
  std::set<std::string> pending_;
  std::map<std::string, ports::NodeInfo> nodes_;
  std::map<std::string, ports::NodeClaimInfo> claims_;
  PodEndListener on_pod_end_;
  uint64_t generation_ = 0;
  uint64_t capacity_generation_ = 0;
  std::set<std::string> in_flight_;
};

}  // namespace adze::sim
