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
    : clock_(clock), pools_(std::move(pools)), daemon_sets_(std::move(daemon_sets)), pdbs_(std::move(pdbs)) {}

std::vector<const PodInfo*> SimulatedCluster::PendingPods() const {
  std::vector<const PodInfo*> out;
  out.reserve(pending_.size());
  for (const auto& name : pending_) out.push_back(&pods_.at(name));
  return out;
}

const PodInfo* SimulatedCluster::GetPod(const std::string& name) const {
  auto it = pods_.find(name);
  return it == pods_.end() ? nullptr : &it->second;
}

std::vector<const NodeInfo*> SimulatedCluster::Nodes() const {
  std::vector<const NodeInfo*> out;
  out.reserve(nodes_.size());
  for (const auto& [name, node] : nodes_) out.push_back(&node);
  return out;
}

const NodeInfo* SimulatedCluster::GetNode(const std::string& name) const {
  auto it = nodes_.find(name);
  return it == nodes_.end() ? nullptr : &it->second;
}

std::vector<const NodeClaimInfo*> SimulatedCluster::NodeClaims() const {
  std::vector<const NodeClaimInfo*> out;
  out.reserve(claims_.size());
  for (const auto& [name, claim] : claims_) out.push_back(&claim);
  return out;
}

const NodeClaimInfo* SimulatedCluster::GetNodeClaim(const std::string& name) const {
  auto it = claims_.find(name);
  return it == claims_.end() ? nullptr : &it->second;
}

std::string SimulatedCluster::CreateNodeClaim(model::NodeClaim claim, const std::string& node_pool) {
  ADZE_CHECK(!claim.meta.name.empty() && !claims_.contains(claim.meta.name));
  claim.meta.creation_time = clock_.Now();
  NodeClaimInfo info;
  info.node_pool = node_pool;
  info.created_at = clock_.Now();
  std::string name = claim.meta.name;
  info.claim = std::move(claim);
  claims_.emplace(name, std::move(info));
  in_flight_.insert(name);
  ++generation_;
  return name;
}

void SimulatedCluster::UpdateNodeClaim(const NodeClaimInfo& info) {
  auto it = claims_.find(info.claim.meta.name);
  ADZE_CHECK(it != claims_.end());
  it->second = info;
  // The node carries the claim's initialised state (karpenter.sh/initialized).
  if (auto node = nodes_.find(info.claim.node_name); node != nodes_.end()) {
    node->second.initialized = info.initialized_at.has_value();
  }
  if (info.initialized_at || info.deletion_requested_at) in_flight_.erase(info.claim.meta.name);
  ++generation_;
}

void SimulatedCluster::RequestNodeClaimDeletion(const std::string& claim, const std::string& reason) {
  auto it = claims_.find(claim);
  if (it == claims_.end() || it->second.deletion_requested_at) return;
  it->second.deletion_requested_at = clock_.Now();
  it->second.deletion_reason = reason;
  in_flight_.erase(claim);
  if (auto node = nodes_.find(it->second.claim.node_name); node != nodes_.end()) node->second.deleting = true;
  ++generation_;
}

void SimulatedCluster::RemoveNodeClaim(const std::string& claim) {
  auto it = claims_.find(claim);
  if (it == claims_.end()) return;
  const std::string node_name = it->second.claim.node_name;
  if (auto node = nodes_.find(node_name); !node_name.empty() && node != nodes_.end()) {
    // Whatever still runs there dies with the instance.
    const std::vector<std::string> remaining = node->second.pods;
    for (const auto& pod : remaining) EndPod(pod, PodEndReason::kNodeLost);
    nodes_.erase(node_name);
  }
  for (auto& [name, pod] : pods_) {
    if (pod.nominated_node_claim == claim) pod.nominated_node_claim.clear();
  }
  claims_.erase(it);
  in_flight_.erase(claim);
  ++generation_;
  ++capacity_generation_;
}

void SimulatedCluster::NominatePod(const std::string& pod, const std::string& claim) {
  MustPod(pod).nominated_node_claim = claim;
}

void SimulatedCluster::TaintNode(const std::string& node, const model::Taint& taint) {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return;
  auto& taints = it->second.node.taints;
  if (std::find(taints.begin(), taints.end(), taint) == taints.end()) taints.push_back(taint);
  ++generation_;
  ++capacity_generation_;
}

void SimulatedCluster::RemoveTaint(const std::string& node, const std::string& key) {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return;
  std::erase_if(it->second.node.taints, [&](const model::Taint& t) { return t.key == key; });
  ++generation_;
  ++capacity_generation_;
}

Status SimulatedCluster::EvictPod(const std::string& pod) {
  auto it = pods_.find(pod);
  if (it == pods_.end()) return Error::NotFound("pod " + pod + " not found");
  if (!PdbAllowsEviction(it->second)) {
    return Error{ErrorCode::kThrottled, "evicting pod " + pod + " would violate its PodDisruptionBudget"};
  }
  EndPod(pod, PodEndReason::kEvicted);
  return OkStatus();
}

bool SimulatedCluster::PdbAllowsEviction(const PodInfo& target) const {
  // An unhealthy pod may always go (Kubernetes' AlwaysAllow for not-ready pods).
  if (target.phase != PodPhase::kRunning) return true;
  for (const auto& pdb : pdbs_) {
    if (!pdb.Selects(target.pod)) continue;
    int32_t expected = 0, healthy = 0;
    for (const auto& [name, p] : pods_) {
      if (!pdb.Selects(p.pod)) continue;
      ++expected;
      healthy += p.phase == PodPhase::kRunning;
    }
    if (pdb.DisruptionsAllowed(expected, healthy) == 0) return false;
  }
  return true;
}

void SimulatedCluster::UpdateNodePool(const model::NodePool& pool) {
  for (model::NodePool& p : pools_) {
    if (p.meta.name == pool.meta.name) p = pool;
  }
  ++generation_;
}

void SimulatedCluster::AddPod(model::Pod pod) {
  PodInfo info;
  info.created_at = clock_.Now();
  pod.meta.creation_time = clock_.Now();
  std::string name = pod.meta.name;
  info.pod = std::move(pod);
  auto [it, inserted] = pods_.emplace(name, std::move(info));
  ADZE_CHECK(inserted);
  pending_.insert(name);
  ++generation_;
}

void SimulatedCluster::BindPod(const std::string& pod_name, const std::string& node_name) {
  PodInfo& pod = MustPod(pod_name);
  ADZE_CHECK(pod.phase == PodPhase::kPending);
  NodeInfo& node = nodes_.at(node_name);
  pod.phase = PodPhase::kStarting;
  pod.pod.node_name = node_name;
  pod.bound_at = clock_.Now();
  pod.unschedulable = false;
  node.pods.push_back(pod_name);
  node.requested.Add(pod.pod.EffectiveRequests());
  node.last_pod_event = clock_.Now();
  pending_.erase(pod_name);
  ++generation_;
}

void SimulatedCluster::MarkUnschedulable(const std::string& pod) { MustPod(pod).unschedulable = true; }

void SimulatedCluster::SetPodRunning(const std::string& pod) {
  PodInfo& info = MustPod(pod);
  info.phase = PodPhase::kRunning;
  info.running_at = clock_.Now();
}

void SimulatedCluster::EndPod(const std::string& pod_name, PodEndReason reason) {
  auto it = pods_.find(pod_name);
  if (it == pods_.end()) return;
  PodInfo info = std::move(it->second);
  pods_.erase(it);
  pending_.erase(pod_name);
  if (!info.pod.node_name.empty()) {
    if (auto node = nodes_.find(info.pod.node_name); node != nodes_.end()) {
      auto& names = node->second.pods;
      names.erase(std::remove(names.begin(), names.end(), pod_name), names.end());
      node->second.requested.Subtract(info.pod.EffectiveRequests());
      node->second.last_pod_event = clock_.Now();
    }
  }
  info.phase = reason == PodEndReason::kCompleted ? PodPhase::kSucceeded : PodPhase::kFailed;
  ++generation_;
  if (!info.pod.node_name.empty()) ++capacity_generation_;
  if (on_pod_end_) on_pod_end_(info, reason);
}

void SimulatedCluster::RegisterNode(const std::string& claim_name, model::Node node) {
  NodeClaimInfo& claim = claims_.at(claim_name);
  node.meta.creation_time = clock_.Now();
  NodeInfo info;
  info.node = std::move(node);
  info.node_claim = claim_name;
  info.registered_at = clock_.Now();
  info.last_pod_event = clock_.Now();
  info.deleting = claim.deletion_requested_at.has_value();
  claim.claim.node_name = info.node.meta.name;
  claim.claim.registered = true;
  claim.registered_at = clock_.Now();
  std::string name = info.node.meta.name;
  nodes_.emplace(name, std::move(info));
  ++generation_;
}

void SimulatedCluster::SetNodeReady(const std::string& node) {
  if (auto it = nodes_.find(node); it != nodes_.end()) {
    it->second.node.ready = true;
    ++generation_;
    ++capacity_generation_;
  }
}

void SimulatedCluster::SetNodeAllocatable(const std::string& node, const model::ResourceList& allocatable) {
  if (auto it = nodes_.find(node); it != nodes_.end()) {
    it->second.node.allocatable = allocatable;
    ++generation_;
    ++capacity_generation_;
  }
}

void SimulatedCluster::SetNodeInitialized(const std::string& node) {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return;
  it->second.initialized = true;
  if (auto claim = claims_.find(it->second.node_claim); claim != claims_.end()) {
    claim->second.claim.initialized = true;
    claim->second.initialized_at = clock_.Now();
  }
  ++generation_;
}

std::vector<const NodeInfo*> SimulatedCluster::SchedulableNodes() const {
  std::vector<const NodeInfo*> out;
  for (const auto& [name, node] : nodes_) {
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
  return it->second;
}

}  // namespace adze::sim
