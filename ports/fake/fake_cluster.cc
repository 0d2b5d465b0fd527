#include "ports/fake/fake_cluster.h"

#include <algorithm>

#include "model/check.h"

namespace adze::ports::fake {

void FakeCluster::AddPool(model::NodePool pool) {
  pools_.push_back(std::move(pool));
  ++generation_;
}

void FakeCluster::AddDaemonSet(model::DaemonSet ds) {
  daemon_sets_.push_back(std::move(ds));
  ++generation_;
}

void FakeCluster::AddPdb(model::PodDisruptionBudget pdb) {
  pdbs_.push_back(std::move(pdb));
  ++generation_;
}

void FakeCluster::AddPod(PodInfo pod) {
  const std::string name = pod.pod.meta.name;
  if (!pod.pod.node_name.empty()) {
    NodeInfo& node = nodes_.at(pod.pod.node_name);
    node.pods.push_back(name);
    node.requested.Add(pod.pod.EffectiveRequests());
  }
  pods_[name] = std::move(pod);
  ++generation_;
}

void FakeCluster::AddNode(NodeInfo node) {
  const std::string name = node.node.meta.name;
  nodes_[name] = std::move(node);
  ++generation_;
}

void FakeCluster::AddClaim(NodeClaimInfo claim) {
  claim.resource_version = next_version_++;
  const std::string name = claim.claim.meta.name;
  claims_[name] = std::move(claim);
  ++generation_;
}

NodeClaimInfo& FakeCluster::claim(const std::string& name) {
  NodeClaimInfo& c = Touch(claims_.at(name));
  c.resource_version = next_version_++;  // a test's write is a write
  return c;
}

size_t FakeCluster::CountCalls(const std::string& prefix) const {
  return static_cast<size_t>(
      std::count_if(calls_.begin(), calls_.end(), [&](const std::string& c) { return c.starts_with(prefix); }));
}

std::shared_ptr<const ClusterSnapshot> FakeCluster::Snapshot() const {
  if (frozen_) return frozen_;
  auto values = [](const auto& m) {
    std::vector<typename std::decay_t<decltype(m)>::mapped_type> out;
    for (const auto& [name, v] : m) out.push_back(v);
    return out;
  };
  auto name = [](const auto& o) { return NameOf(o); };
  ClusterSnapshot::Tables t;
  t.generation = generation_;
  t.pods = ClusterSnapshot::MakeTable(values(pods_), name);
  std::vector<PodInfo> pending;
  for (const auto& [n, p] : pods_) {
    if (p.pod.node_name.empty()) pending.push_back(p);
  }
  t.pending = ClusterSnapshot::MakeTable(std::move(pending), name);
  t.nodes = ClusterSnapshot::MakeTable(values(nodes_), name);
  t.claims = ClusterSnapshot::MakeTable(values(claims_), name);
  t.pools = std::make_shared<const std::vector<model::NodePool>>(pools_);
  t.daemon_sets = std::make_shared<const std::vector<model::DaemonSet>>(daemon_sets_);
  t.pdbs = std::make_shared<const std::vector<model::PodDisruptionBudget>>(pdbs_);
  return std::make_shared<const ClusterSnapshot>(std::move(t));
}

std::optional<Error> FakeCluster::Call(const std::string& op, const std::string& object) {
  calls_.push_back(op + " " + object);
  if (auto it = always_.find(op); it != always_.end()) return it->second;
  auto it = failures_.find(op);
  if (it == failures_.end() || it->second.empty()) return std::nullopt;
  Error e = std::move(it->second.front());
  it->second.pop_front();
  return e;
}

Status FakeCluster::Done(const std::string& op, Status status) {
  (void)op;
  if (!status.ok()) {
    calls_.back() += std::string(" -> ") + ErrorCodeName(status.error().code);
  } else {
    ++generation_;
  }
  return status;
}

Result<std::string> FakeCluster::CreateNodeClaim(model::NodeClaim claim, const std::string& node_pool) {
  const std::string name = claim.meta.name;
  if (auto e = Call("CreateNodeClaim", name)) {
    (void)Done("CreateNodeClaim", *e);
    return *e;
  }
  if (claims_.contains(name)) {
    (void)Done("CreateNodeClaim", Error::AlreadyExists(name));
    return Error::AlreadyExists("NodeClaim " + name + " exists");
  }
  NodeClaimInfo info;
  info.claim = std::move(claim);
  info.node_pool = node_pool;
  info.created_at = clock_.Now();
  info.resource_version = next_version_++;
  claims_[name] = std::move(info);
  (void)Done("CreateNodeClaim", OkStatus());
  return name;
}

Status FakeCluster::UpdateNodeClaim(const NodeClaimInfo& info) {
  const std::string& name = info.claim.meta.name;
  if (auto e = Call("UpdateNodeClaim", name)) return Done("UpdateNodeClaim", *e);
  auto it = claims_.find(name);
  if (it == claims_.end()) return Done("UpdateNodeClaim", Error::NotFound(name));
  if (it->second.resource_version != info.resource_version) return Done("UpdateNodeClaim", Error::Conflict(name));
  it->second = info;
  it->second.resource_version = next_version_++;
  return Done("UpdateNodeClaim", OkStatus());
}

Status FakeCluster::RequestNodeClaimDeletion(const std::string& claim, const std::string& reason) {
  if (auto e = Call("RequestNodeClaimDeletion", claim)) return Done("RequestNodeClaimDeletion", *e);
  auto it = claims_.find(claim);
  if (it == claims_.end()) return Done("RequestNodeClaimDeletion", Error::NotFound(claim));
  if (!it->second.deletion_requested_at) {
    it->second.deletion_requested_at = clock_.Now();
    it->second.deletion_reason = reason;
    it->second.resource_version = next_version_++;
    if (auto node = nodes_.find(it->second.claim.node_name); node != nodes_.end()) node->second.deleting = true;
  }
  return Done("RequestNodeClaimDeletion", OkStatus());
}

Status FakeCluster::RemoveNodeClaim(const std::string& claim) {
  if (auto e = Call("RemoveNodeClaim", claim)) return Done("RemoveNodeClaim", *e);
  auto it = claims_.find(claim);
  if (it == claims_.end()) return Done("RemoveNodeClaim", Error::NotFound(claim));
  if (auto node = nodes_.find(it->second.claim.node_name); node != nodes_.end()) {
    for (const std::string& pod : std::vector<std::string>(node->second.pods)) RemovePod(pod);
    nodes_.erase(node);
  }
  claims_.erase(it);
  return Done("RemoveNodeClaim", OkStatus());
}

Status FakeCluster::NominatePod(const std::string& pod, const std::string& claim) {
  if (auto e = Call("NominatePod", pod)) return Done("NominatePod", *e);
  auto it = pods_.find(pod);
  if (it == pods_.end()) return Done("NominatePod", Error::NotFound(pod));
  it->second.nominated_node_claim = claim;
  return Done("NominatePod", OkStatus());
}

Status FakeCluster::TaintNode(const std::string& node, const model::Taint& taint) {
  if (auto e = Call("TaintNode", node)) return Done("TaintNode", *e);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return Done("TaintNode", Error::NotFound(node));
  auto& taints = it->second.node.taints;
  if (std::find(taints.begin(), taints.end(), taint) == taints.end()) taints.push_back(taint);
  return Done("TaintNode", OkStatus());
}

Status FakeCluster::RemoveTaint(const std::string& node, const std::string& key) {
  if (auto e = Call("RemoveTaint", node)) return Done("RemoveTaint", *e);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return Done("RemoveTaint", Error::NotFound(node));
  std::erase_if(it->second.node.taints, [&](const model::Taint& t) { return t.key == key; });
  return Done("RemoveTaint", OkStatus());
}

Status FakeCluster::EvictPod(const std::string& pod) {
  if (auto e = Call("EvictPod", pod)) return Done("EvictPod", *e);
  if (!pods_.contains(pod)) return Done("EvictPod", Error::NotFound(pod));
  RemovePod(pod);
  return Done("EvictPod", OkStatus());
}

Status FakeCluster::DeletePod(const std::string& pod) {
  if (auto e = Call("DeletePod", pod)) return Done("DeletePod", *e);
  if (!pods_.contains(pod)) return Done("DeletePod", Error::NotFound(pod));
  RemovePod(pod);
  return Done("DeletePod", OkStatus());
}

void FakeCluster::RemovePod(const std::string& name) {
  auto it = pods_.find(name);
  if (it == pods_.end()) return;
  if (auto node = nodes_.find(it->second.pod.node_name); node != nodes_.end()) {
    std::erase(node->second.pods, name);
    node->second.requested.Subtract(it->second.pod.EffectiveRequests());
  }
  pods_.erase(it);
}

}  // namespace adze::ports::fake
