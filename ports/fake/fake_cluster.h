// FakeCluster: an in-memory ports::Cluster for controller unit tests. It
// keeps pods, nodes, NodeClaims and NodePools as plain values a test sets
// up, records every mutation ("EvictPod pod-a"), and fails the ones a test
// scripts (FailNext), as a real API server would: conflicts, not-found,
// throttling. Mutations behave as the API does: UpdateNodeClaim checks the
// resource_version, EvictPod and DeletePod remove the pod, RemoveNodeClaim
// removes the claim and its node.
// Thread-safety: none.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ports/clock.h"
#include "ports/cluster.h"

namespace adze::ports::fake {

class FakeCluster final : public Cluster {
 public:
  explicit FakeCluster(const Clock& clock) : clock_(clock) {}

  // --- set-up (each bumps the generation)
  void AddPool(model::NodePool pool);
  void AddDaemonSet(model::DaemonSet ds);
  void AddPdb(model::PodDisruptionBudget pdb);
  void AddPod(PodInfo pod);          // bound when pod.pod.node_name is set (the node must exist)
  void AddNode(NodeInfo node);
  void AddClaim(NodeClaimInfo claim);  // resource_version is assigned
  // Direct access for a test that changes what the controllers will see.
  PodInfo& pod(const std::string& name) { return Touch(pods_.at(name)); }
  NodeInfo& node(const std::string& name) { return Touch(nodes_.at(name)); }
  NodeClaimInfo& claim(const std::string& name);
  bool HasPod(const std::string& name) const { return pods_.contains(name); }
  bool HasClaim(const std::string& name) const { return claims_.contains(name); }

  // The next call of `op` (the method's name, e.g. "UpdateNodeClaim") fails
  // with `error`; queued failures apply in order.
  void FailNext(const std::string& op, Error error) { failures_[op].push_back(std::move(error)); }
  // Every call of `op` fails until Heal(op).
  void FailAlways(const std::string& op, Error error) { always_[op] = std::move(error); }
  void Heal(const std::string& op) { always_.erase(op); }
  // Snapshot() keeps answering with the view as it is now, whatever changes,
  // until ThawView(): a watch cache that has not caught up with the writes.
  void FreezeView() { frozen_ = Snapshot(); }
  void ThawView() { frozen_.reset(); }

  // Mutations made, successful or not: "<op> <object>" and " -> <code>" when refused.
  const std::vector<std::string>& calls() const { return calls_; }
  size_t CountCalls(const std::string& prefix) const;

  // --- ports::Cluster
  std::shared_ptr<const ClusterSnapshot> Snapshot() const override;
  Result<std::string> CreateNodeClaim(model::NodeClaim claim, const std::string& node_pool) override;
  Status UpdateNodeClaim(const NodeClaimInfo& info) override;
  Status RequestNodeClaimDeletion(const std::string& claim, const std::string& reason) override;
  Status RemoveNodeClaim(const std::string& claim) override;
  Status NominatePod(const std::string& pod, const std::string& claim) override;
  Status TaintNode(const std::string& node, const model::Taint& taint) override;
  Status RemoveTaint(const std::string& node, const std::string& key) override;
  Status EvictPod(const std::string& pod) override;
  Status DeletePod(const std::string& pod) override;

 private:
  template <typename T>
  T& Touch(T& object) {
    ++generation_;
    return object;
  }
  // Records the call; the scripted failure, if any.
  std::optional<Error> Call(const std::string& op, const std::string& object);
  Status Done(const std::string& op, Status status);
  void RemovePod(const std::string& name);

  const Clock& clock_;
  uint64_t generation_ = 1;
  uint64_t next_version_ = 1;
  std::map<std::string, PodInfo> pods_;
  std::map<std::string, NodeInfo> nodes_;
  std::map<std::string, NodeClaimInfo> claims_;
  std::vector<model::NodePool> pools_;
  std::vector<model::DaemonSet> daemon_sets_;
  std::vector<model::PodDisruptionBudget> pdbs_;
  std::map<std::string, std::deque<Error>> failures_;
  std::map<std::string, Error> always_;
  std::vector<std::string> calls_;
  std::shared_ptr<const ClusterSnapshot> frozen_;
};

}  // namespace adze::ports::fake
