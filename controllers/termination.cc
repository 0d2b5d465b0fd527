#include "controllers/termination.h"

namespace adze::controllers {

model::Taint DisruptedTaint() {
  model::Taint t;
  t.key = "karpenter.sh/disrupted";
  t.effect = model::TaintEffect::kNoSchedule;
  return t;
}

bool Termination::Drain(const ports::NodeClaimInfo& claim, const ports::NodeInfo& node, TerminationResult& result) {
  cluster_.TaintNode(node.node.meta.name, DisruptedTaint());
  const model::Duration now = clock_.Now();
  std::optional<model::Duration> deadline;
  if (claim.claim.termination_grace_period) {
    deadline = *claim.deletion_requested_at + *claim.claim.termination_grace_period;
  }
  size_t waiting = 0;
  const std::vector<std::string> pods = node.pods;  // eviction edits the node
  for (const std::string& name : pods) {
    const ports::PodInfo* pod = cluster_.GetPod(name);
    if (pod == nullptr || pod->pod.OwnedByDaemonSet()) continue;
    // Pods whose own grace period would run past the deadline go now.
    if (deadline && now >= *deadline - pod->pod.termination_grace_period_seconds * model::kSecond) {
      cluster_.DeletePod(name);
      result.deleted.push_back(name);
      continue;
    }
    if (pod->pod.DoNotDisruptActive(now)) {
      ++waiting;
      ++result.eviction_blocked;
      continue;
    }
    if (cluster_.EvictPod(name).ok()) {
      result.evicted.push_back(name);
    } else {
      ++waiting;
      ++result.eviction_blocked;
    }
  }
  return waiting == 0;
}

TerminationResult Termination::Reconcile() {
  TerminationResult result;
  std::vector<ports::NodeClaimInfo> deleting;
  for (const ports::NodeClaimInfo* c : cluster_.NodeClaims()) {
    if (c->deletion_requested_at) deleting.push_back(*c);
  }
  for (const ports::NodeClaimInfo& claim : deleting) {
    const std::string& name = claim.claim.meta.name;
    const bool launched = claim.launched_at.has_value();
    auto instance = launched ? cloud_.Get(claim.claim.provider_id) : std::nullopt;
    const bool instance_gone = launched && (!instance || instance->terminated);
    if (!instance_gone) {
      if (const ports::NodeInfo* node = cluster_.GetNode(claim.claim.node_name); node != nullptr) {
        if (!Drain(claim, *node, result)) continue;
      }
      if (launched) (void)cloud_.Delete(claim.claim.provider_id);
    }
    result.terminated.emplace_back(name, claim.deletion_reason);
    cluster_.RemoveNodeClaim(name);
  }
  return result;
}

}  // namespace adze::controllers
