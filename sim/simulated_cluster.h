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

  // Builds the pod tables of snapshots still alive (they read this object).
  ~SimulatedCluster() override;
  SimulatedCluster(const SimulatedCluster&) = delete;
  SimulatedCluster& operator=(const SimulatedCluster&) = delete;

  void SetPodEndListener(PodEndListener listener) { on_pod_end_ = std::move(listener); }

  // --- ports::Cluster
  // Tables that did not change since the last snapshot are shared with it,
  // and objects that did not change are shared between tables.
  std::shared_ptr<const ports::ClusterSnapshot> Snapshot() const override;
  Result<std::string> CreateNodeClaim(model::NodeClaim claim, const std::string& node_pool) override;
  Status UpdateNodeClaim(const ports::NodeClaimInfo& info) override;
  Status RequestNodeClaimDeletion(const std::string& claim, const std::string& reason) override;
  Status RemoveNodeClaim(const std::string& claim) override;
  Status NominatePod(const std::string& pod, const std::string& claim) override;
  Status TaintNode(const std::string& node, const model::Taint& taint) override;
  Status RemoveTaint(const std::string& node, const std::string& key) override;
  Status EvictPod(const std::string& pod) override;
  Status DeletePod(const std::string& pod) override;

  // --- live reads for the simulated world (kubelet, kube-scheduler,
  // workloads): valid until the next mutation.
  std::vector<const ports::PodInfo*> PendingPods() const;
  const ports::PodInfo* GetPod(const std::string& name) const;
  std::vector<const ports::NodeInfo*> Nodes() const;
  const ports::NodeInfo* GetNode(const std::string& name) const;
  std::vector<const ports::NodeClaimInfo*> NodeClaims() const;
  const ports::NodeClaimInfo* GetNodeClaim(const std::string& name) const;
  const std::vector<model::NodePool>& NodePools() const { return *pools_; }

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
  // An object as the world changes it (live: stable address, what the
  // simulated kubelet and kube-scheduler read) and as the last snapshot
  // published it (copied from live when it changed since).
  template <typename T>
  struct Entry {
    T live;
    std::shared_ptr<const T> published;
    bool dirty = true;
  };
  template <typename T>
  using Store = std::map<std::string, Entry<T>>;
  template <typename T>
  static const std::shared_ptr<const T>& Publish(Entry<T>& e);
  template <typename T>
  static std::shared_ptr<const ports::ObjectTable<T>> TableOf(Store<T>& store);

  // Write access: marks the object and its table changed.
  ports::PodInfo& MutablePod(Store<ports::PodInfo>::iterator it);
  ports::NodeInfo& MutableNode(Store<ports::NodeInfo>::iterator it);
  ports::NodeClaimInfo& MutableClaim(Store<ports::NodeClaimInfo>::iterator it);
  ports::PodInfo& MustPod(const std::string& name);
  // Fills a lazy snapshot's pending table from the state now.
  void BuildPendingTable(ports::ClusterSnapshot::Tables& out);
  // Builds the pod tables of every lazy snapshot still alive: called before
  // any pod or the pending set changes, so they show the state they were taken at.
  void MaterializePods();
  void MaterializeNodes();
  template <typename Materialize>
  void MaterializeHeld(std::vector<std::weak_ptr<const ports::ClusterSnapshot>>& lazy, Materialize materialize) const;
  bool PdbAllowsEviction(const ports::PodInfo& pod) const;

  const ports::Clock& clock_;
  std::shared_ptr<std::vector<model::NodePool>> pools_;
  std::shared_ptr<const std::vector<model::DaemonSet>> daemon_sets_;
  std::shared_ptr<const std::vector<model::PodDisruptionBudget>> pdbs_;
  Store<ports::PodInfo> pods_;
  std::set<std::string> pending_;
  Store<ports::NodeInfo> nodes_;
  Store<ports::NodeClaimInfo> claims_;
  uint64_t next_resource_version_ = 1;

  // The last snapshot and which of its tables are out of date.
  mutable std::shared_ptr<const ports::ClusterSnapshot> snapshot_;
  mutable std::vector<std::weak_ptr<const ports::ClusterSnapshot>> lazy_pod_snapshots_;
  mutable std::vector<std::weak_ptr<const ports::ClusterSnapshot>> lazy_node_snapshots_;
  mutable bool pods_changed_ = true, pending_changed_ = true, nodes_changed_ = true, claims_changed_ = true,
               pools_changed_ = true;
  PodEndListener on_pod_end_;
  uint64_t generation_ = 0;
  uint64_t capacity_generation_ = 0;
  std::set<std::string> in_flight_;
};

}  // namespace adze::sim
