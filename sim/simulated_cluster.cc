#include "sim/simulated_cluster.h"

#include <algorithm>
#include <cmath>

#include "model/check.h"

namespace adze::sim {

using ports::NodeClaimInfo;
using ports::NodeInfo;
using ports::PodInfo;
using ports::PodPhase;

SimulatedCluster::SimulatedCluster(const ports::Clock& clock, std::vector<model::NodePool> pools,
                                   std::vector<model::DaemonSet> daemon_sets,
                                   std::vector<model::PodDisruptionBudget> pdbs)
    : clock_(clock),
      pools_(std::make_shared<std::vector<model::NodePool>>(std::move(pools))),
      daemon_sets_(std::make_shared<const std::vector<model::DaemonSet>>(std::move(daemon_sets))),
      pdbs_(std::make_shared<const std::vector<model::PodDisruptionBudget>>(std::move(pdbs))) {}

template <typename T>
const std::shared_ptr<const T>& SimulatedCluster::Publish(Entry<T>& e) {
  if (e.dirty) {
    e.published = std::make_shared<const T>(e.live);
    e.dirty = false;
  }
  return e.published;
}

template <typename T>
std::shared_ptr<const ports::ObjectTable<T>> SimulatedCluster::TableOf(Store<T>& store) {
  auto table = std::make_shared<ports::ObjectTable<T>>();
  table->reserve(store.size());
  for (auto& [name, entry] : store) table->push_back(Publish(entry));
  return table;
}

std::shared_ptr<const ports::ClusterSnapshot> SimulatedCluster::Snapshot() const {
  if (snapshot_ && snapshot_->generation() == generation_ && !pods_changed_ && !pending_changed_ && !nodes_changed_ &&
      !claims_changed_ && !pools_changed_) {
    return snapshot_;
  }
  // Publishing copies changed objects; the world's state is unchanged.
  auto& self = const_cast<SimulatedCluster&>(*this);
  ports::ClusterSnapshot::Tables t = snapshot_ ? snapshot_->tables() : ports::ClusterSnapshot::Tables{};
  t.generation = generation_;
  // The pod tables are the big ones and most passes never read them: they
  // are built on first read, and before any pod changes (MaterializePods).
  const bool lazy = !snapshot_ || pods_changed_ || pending_changed_ || !snapshot_->pods_built();
  if (lazy) {
    t.pods = t.pending = nullptr;
    t.build_pods = [&self](ports::ClusterSnapshot::Tables& out) { out.pods = TableOf(self.pods_); };
    t.build_pending = [&self](ports::ClusterSnapshot::Tables& out) { self.BuildPendingTable(out); };
    // The live pod is the snapshot's until the next change, and before any
    // change every held snapshot builds its table (MaterializePods), which
    // keeps the published copies handed out here alive.
    t.find_pod = [&self](const std::string& name) -> const PodInfo* {
      auto it = self.pods_.find(name);
      return it == self.pods_.end() ? nullptr : Publish(it->second).get();
    };
  }
  const bool lazy_nodes = !snapshot_ || nodes_changed_ || !snapshot_->nodes_built();
  if (lazy_nodes) {
    t.nodes = nullptr;
    t.build_nodes = [&self](ports::ClusterSnapshot::Tables& out) { out.nodes = TableOf(self.nodes_); };
  }
  if (!snapshot_ || claims_changed_) t.claims = TableOf(self.claims_);
  if (!snapshot_ || pools_changed_) t.pools = std::make_shared<const std::vector<model::NodePool>>(*pools_);
  t.daemon_sets = daemon_sets_;
  t.pdbs = pdbs_;
  snapshot_ = std::make_shared<const ports::ClusterSnapshot>(std::move(t));
  if (lazy) lazy_pod_snapshots_.push_back(snapshot_);
  if (lazy_nodes) lazy_node_snapshots_.push_back(snapshot_);
  pods_changed_ = pending_changed_ = nodes_changed_ = claims_changed_ = pools_changed_ = false;
  return snapshot_;
}

void SimulatedCluster::BuildPendingTable(ports::ClusterSnapshot::Tables& out) {
  auto pending = std::make_shared<ports::ObjectTable<PodInfo>>();
  pending->reserve(pending_.size());
  for (const auto& name : pending_) pending->push_back(Publish(pods_.at(name)));
  out.pending = std::move(pending);
}

// Only snapshots someone still reads need their tables; the cached one
// nobody else holds is replaced by the next Snapshot() (its table changed).
template <typename Materialize>
void SimulatedCluster::MaterializeHeld(std::vector<std::weak_ptr<const ports::ClusterSnapshot>>& lazy,
                                       Materialize materialize) const {
  for (const auto& weak : lazy) {
    auto snapshot = weak.lock();
    const long ours = snapshot == snapshot_ ? 2 : 1;
    if (snapshot && snapshot.use_count() > ours) materialize(*snapshot);
  }
  lazy.clear();
}

void SimulatedCluster::MaterializePods() {
  if (lazy_pod_snapshots_.empty()) return;
  MaterializeHeld(lazy_pod_snapshots_, [](const ports::ClusterSnapshot& s) { s.MaterializePods(); });
}

void SimulatedCluster::MaterializeNodes() {
  if (lazy_node_snapshots_.empty()) return;
  MaterializeHeld(lazy_node_snapshots_, [](const ports::ClusterSnapshot& s) { s.MaterializeNodes(); });
}

SimulatedCluster::~SimulatedCluster() {
  MaterializePods();
  MaterializeNodes();
}

PodInfo& SimulatedCluster::MutablePod(Store<PodInfo>::iterator it) {
  MaterializePods();
  pods_changed_ = true;
  if (pending_.contains(it->first)) pending_changed_ = true;
  it->second.dirty = true;
  return it->second.live;
}

NodeInfo& SimulatedCluster::MutableNode(Store<NodeInfo>::iterator it) {
  MaterializeNodes();
  nodes_changed_ = true;
  it->second.dirty = true;
  return it->second.live;
}

NodeClaimInfo& SimulatedCluster::MutableClaim(Store<NodeClaimInfo>::iterator it) {
  claims_changed_ = true;
  it->second.dirty = true;
  return it->second.live;
}

std::vector<const PodInfo*> SimulatedCluster::PendingPods() const {
  std::vector<const PodInfo*> out;
  out.reserve(pending_.size());
  for (const auto& name : pending_) out.push_back(&pods_.at(name).live);
  return out;
}

const PodInfo* SimulatedCluster::GetPod(const std::string& name) const {
  auto it = pods_.find(name);
  return it == pods_.end() ? nullptr : &it->second.live;
}

std::vector<const NodeInfo*> SimulatedCluster::Nodes() const {
  std::vector<const NodeInfo*> out;
  out.reserve(nodes_.size());
  for (const auto& [name, node] : nodes_) out.push_back(&node.live);
  return out;
}

const NodeInfo* SimulatedCluster::GetNode(const std::string& name) const {
  auto it = nodes_.find(name);
  return it == nodes_.end() ? nullptr : &it->second.live;
}

std::vector<const NodeClaimInfo*> SimulatedCluster::NodeClaims() const {
  std::vector<const NodeClaimInfo*> out;
  out.reserve(claims_.size());
  for (const auto& [name, claim] : claims_) out.push_back(&claim.live);
  return out;
}

const NodeClaimInfo* SimulatedCluster::GetNodeClaim(const std::string& name) const {
  auto it = claims_.find(name);
  return it == claims_.end() ? nullptr : &it->second.live;
}

Result<std::string> SimulatedCluster::CreateNodeClaim(model::NodeClaim claim, const std::string& node_pool) {
  if (claim.meta.name.empty()) return Error::InvalidArgument("NodeClaim without a name");
  if (claims_.contains(claim.meta.name)) return Error::AlreadyExists("NodeClaim " + claim.meta.name + " exists");
  claim.meta.creation_time = clock_.Now();
  Entry<NodeClaimInfo> entry;
  NodeClaimInfo& info = entry.live;
  info.node_pool = node_pool;
  info.created_at = clock_.Now();
  info.resource_version = next_resource_version_++;
  std::string name = claim.meta.name;
  info.claim = std::move(claim);
  claims_.emplace(name, std::move(entry));
  claims_changed_ = true;
  in_flight_.insert(name);
  ++generation_;
  return name;
}

Status SimulatedCluster::UpdateNodeClaim(const NodeClaimInfo& info) {
  auto it = claims_.find(info.claim.meta.name);
  if (it == claims_.end()) return Error::NotFound("NodeClaim " + info.claim.meta.name + " not found");
  if (info.resource_version != it->second.live.resource_version) {
    return Error::Conflict("NodeClaim " + info.claim.meta.name + " changed since it was read");
  }
  NodeClaimInfo& claim = MutableClaim(it);
  claim = info;
  claim.resource_version = next_resource_version_++;
  // The node carries the claim's initialised state (karpenter.sh/initialized).
  if (auto node = nodes_.find(info.claim.node_name); node != nodes_.end()) {
    MutableNode(node).initialized = info.initialized_at.has_value();
  }
  if (info.initialized_at || info.deletion_requested_at) in_flight_.erase(info.claim.meta.name);
  ++generation_;
  return OkStatus();
}

Status SimulatedCluster::RequestNodeClaimDeletion(const std::string& claim_name, const std::string& reason) {
  auto it = claims_.find(claim_name);
  if (it == claims_.end()) return Error::NotFound("NodeClaim " + claim_name + " not found");
  if (it->second.live.deletion_requested_at) return OkStatus();
  NodeClaimInfo& claim = MutableClaim(it);
  claim.deletion_requested_at = clock_.Now();
  claim.deletion_reason = reason;
  claim.resource_version = next_resource_version_++;
  in_flight_.erase(claim_name);
  if (auto node = nodes_.find(claim.claim.node_name); node != nodes_.end()) MutableNode(node).deleting = true;
  ++generation_;
  return OkStatus();
}

Status SimulatedCluster::RemoveNodeClaim(const std::string& claim) {
  auto it = claims_.find(claim);
  if (it == claims_.end()) return Error::NotFound("NodeClaim " + claim + " not found");
  const std::string node_name = it->second.live.claim.node_name;
  if (auto node = nodes_.find(node_name); !node_name.empty() && node != nodes_.end()) {
    // Whatever still runs there dies with the instance.
    const std::vector<std::string> remaining = node->second.live.pods;
    for (const auto& pod : remaining) EndPod(pod, PodEndReason::kNodeLost);
    MaterializeNodes();
    nodes_.erase(node_name);
    nodes_changed_ = true;
  }
  for (auto pod = pods_.begin(); pod != pods_.end(); ++pod) {
    if (pod->second.live.nominated_node_claim == claim) MutablePod(pod).nominated_node_claim.clear();
  }
  claims_.erase(claim);
  claims_changed_ = true;
  in_flight_.erase(claim);
  ++generation_;
  ++capacity_generation_;
  return OkStatus();
}

Status SimulatedCluster::NominatePod(const std::string& pod, const std::string& claim) {
  auto it = pods_.find(pod);
  if (it == pods_.end()) return Error::NotFound("pod " + pod + " not found");
  MutablePod(it).nominated_node_claim = claim;
  return OkStatus();
}

Status SimulatedCluster::TaintNode(const std::string& node, const model::Taint& taint) {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return Error::NotFound("node " + node + " not found");
  if (std::find(it->second.live.node.taints.begin(), it->second.live.node.taints.end(), taint) ==
      it->second.live.node.taints.end()) {
    MutableNode(it).node.taints.push_back(taint);
  }
  ++generation_;
  ++capacity_generation_;
  return OkStatus();
}

Status SimulatedCluster::RemoveTaint(const std::string& node, const std::string& key) {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return Error::NotFound("node " + node + " not found");
  std::erase_if(MutableNode(it).node.taints, [&](const model::Taint& t) { return t.key == key; });
  ++generation_;
  ++capacity_generation_;
  return OkStatus();
}

Status SimulatedCluster::EvictPod(const std::string& pod) {
  auto it = pods_.find(pod);
  if (it == pods_.end()) return Error::NotFound("pod " + pod + " not found");
  if (!PdbAllowsEviction(it->second.live)) {
    return Error::Throttled("evicting pod " + pod + " would violate its PodDisruptionBudget");
  }
  EndPod(pod, PodEndReason::kEvicted);
  return OkStatus();
}

Status SimulatedCluster::DeletePod(const std::string& pod) {
  if (!pods_.contains(pod)) return Error::NotFound("pod " + pod + " not found");
  EndPod(pod, PodEndReason::kEvicted);
  return OkStatus();
}

bool SimulatedCluster::PdbAllowsEviction(const PodInfo& target) const {
  // An unhealthy pod may always go (Kubernetes' AlwaysAllow for not-ready pods).
  if (target.phase != PodPhase::kRunning) return true;
  for (const auto& pdb : *pdbs_) {
    if (!pdb.Selects(target.pod)) continue;
    int32_t expected = 0, healthy = 0;
    for (const auto& [name, entry] : pods_) {
      const PodInfo& p = entry.live;
      if (!pdb.Selects(p.pod)) continue;
      ++expected;
      healthy += p.phase == PodPhase::kRunning;
    }
    if (pdb.DisruptionsAllowed(expected, healthy) == 0) return false;
  }
  return true;
}

void SimulatedCluster::UpdateNodePool(const model::NodePool& pool) {
  for (model::NodePool& p : *pools_) {
    if (p.meta.name == pool.meta.name) p = pool;
  }
  pools_changed_ = true;
  ++generation_;
}

void SimulatedCluster::AddPod(model::Pod pod) {
  MaterializePods();
  Entry<PodInfo> entry;
  entry.live.created_at = clock_.Now();
  pod.meta.creation_time = clock_.Now();
  std::string name = pod.meta.name;
  entry.live.pod = std::move(pod);
  auto [it, inserted] = pods_.emplace(name, std::move(entry));
  ADZE_CHECK(inserted);
  pending_.insert(name);
  pods_changed_ = pending_changed_ = true;
  ++generation_;
}

void SimulatedCluster::BindPod(const std::string& pod_name, const std::string& node_name) {
  PodInfo& pod = MustPod(pod_name);
  ADZE_CHECK(pod.phase == PodPhase::kPending);
  NodeInfo& node = MutableNode(nodes_.find(node_name));
  pod.phase = PodPhase::kStarting;
  pod.pod.node_name = node_name;
  pod.bound_at = clock_.Now();
  pod.unschedulable = false;
  node.pods.push_back(pod_name);
  node.requested.Add(pod.pod.EffectiveRequests());
  node.last_pod_event = clock_.Now();
  pending_.erase(pod_name);
  pending_changed_ = true;
  ++generation_;
}

void SimulatedCluster::MarkUnschedulable(const std::string& pod) {
  // Already marked: no change, so snapshots need not copy the pod again.
  auto it = pods_.find(pod);
  ADZE_CHECK(it != pods_.end());
  if (it->second.live.unschedulable) return;
  MutablePod(it).unschedulable = true;
}

void SimulatedCluster::SetPodRunning(const std::string& pod) {
  PodInfo& info = MustPod(pod);
  info.phase = PodPhase::kRunning;
  info.running_at = clock_.Now();
}

void SimulatedCluster::EndPod(const std::string& pod_name, PodEndReason reason) {
  auto it = pods_.find(pod_name);
  if (it == pods_.end()) return;
  MaterializePods();
  PodInfo info = std::move(it->second.live);
  pods_.erase(it);
  pods_changed_ = true;
  if (pending_.erase(pod_name)) pending_changed_ = true;
  if (!info.pod.node_name.empty()) {
    if (auto node_it = nodes_.find(info.pod.node_name); node_it != nodes_.end()) {
      NodeInfo& node = MutableNode(node_it);
      auto& names = node.pods;
      names.erase(std::remove(names.begin(), names.end(), pod_name), names.end());
      node.requested.Subtract(info.pod.EffectiveRequests());
      node.last_pod_event = clock_.Now();
    }
  }
  info.phase = reason == PodEndReason::kCompleted ? PodPhase::kSucceeded : PodPhase::kFailed;
  ++generation_;
  if (!info.pod.node_name.empty()) ++capacity_generation_;
  if (on_pod_end_) on_pod_end_(info, reason);
}

void SimulatedCluster::RegisterNode(const std::string& claim_name, model::Node node) {
  NodeClaimInfo& claim = MutableClaim(claims_.find(claim_name));
  node.meta.creation_time = clock_.Now();
  Entry<NodeInfo> entry;
  NodeInfo& info = entry.live;
  info.node = std::move(node);
  info.node_claim = claim_name;
  info.registered_at = clock_.Now();
  info.last_pod_event = clock_.Now();
  info.deleting = claim.deletion_requested_at.has_value();
  claim.claim.node_name = info.node.meta.name;
  claim.claim.registered = true;
  claim.registered_at = clock_.Now();
  claim.resource_version = next_resource_version_++;
  std::string name = info.node.meta.name;
  MaterializeNodes();
  nodes_.emplace(name, std::move(entry));
  nodes_changed_ = true;
  ++generation_;
}

void SimulatedCluster::SetNodeReady(const std::string& node) {
  if (auto it = nodes_.find(node); it != nodes_.end()) {
    MutableNode(it).node.ready = true;
    ++generation_;
    ++capacity_generation_;
  }
}

void SimulatedCluster::SetNodeAllocatable(const std::string& node, const model::ResourceList& allocatable) {
  if (auto it = nodes_.find(node); it != nodes_.end()) {
    MutableNode(it).node.allocatable = allocatable;
    ++generation_;
    ++capacity_generation_;
  }
}

void SimulatedCluster::SetNodeInitialized(const std::string& node) {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return;
  MutableNode(it).initialized = true;
  if (auto claim_it = claims_.find(it->second.live.node_claim); claim_it != claims_.end()) {
    NodeClaimInfo& claim = MutableClaim(claim_it);
    claim.claim.initialized = true;
    claim.initialized_at = clock_.Now();
    claim.resource_version = next_resource_version_++;
  }
  ++generation_;
}

std::vector<const NodeInfo*> SimulatedCluster::SchedulableNodes() const {
  std::vector<const NodeInfo*> out;
  for (const auto& [name, entry] : nodes_) {
    const NodeInfo& node = entry.live;
    if (node.node.ready && !node.node.unschedulable && !node.deleting) out.push_back(&node);
  }
  return out;
}

model::ResourceList SimulatedCluster::Free(const NodeInfo& node) {
  model::ResourceList free = node.node.allocatable;
  free.Subtract(node.requested);
  return free;
}

PodInfo& SimulatedCluster::MustPod(const std::string& name) {
  auto it = pods_.find(name);
  ADZE_CHECK(it != pods_.end());
  return MutablePod(it);
}

}  // namespace adze::sim
