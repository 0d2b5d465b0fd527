#include "controllers/termination.h"

namespace adze::controllers {

model::Taint DisruptedTaint() {
  model::Taint t;
  t.key = "karpenter.sh/disrupted";
  t.effect = model::TaintEffect::kNoSchedule;
  return t;
}

bool Termination::Drain(const ports::ClusterSnapshot& snapshot, const ports::NodeClaimInfo& claim,
                        const ports::NodeInfo& node, TerminationResult& result) {
  // Until the taint is written, the kube-scheduler could still bind pods here.
  if (!cluster_.TaintNode(node.node.meta.name, DisruptedTaint()).ok()) return false;
  const model::Duration now = clock_.Now();
  std::optional<model::Duration> deadline;
  if (claim.claim.termination_grace_period) {
    deadline = *claim.deletion_requested_at + *claim.claim.termination_grace_period;
  }
  size_t waiting = 0;
  for (const std::string& name : node.pods) {
    const ports::PodInfo* pod = snapshot.GetPod(name);
    if (pod == nullptr || pod->pod.OwnedByDaemonSet()) continue;
    // Pods whose own grace period would run past the deadline go now.
    if (deadline && now >= *deadline - pod->pod.termination_grace_period_seconds * model::kSecond) {
      if (Status deleted = cluster_.DeletePod(name); deleted.ok()) {
        result.deleted.push_back(name);
      } else if (!deleted.error().Is(ErrorCode::kNotFound)) {
        ++waiting;  // retried next pass
      }
      continue;
    }
    if (pod->pod.DoNotDisruptActive(now)) {
      ++waiting;
      ++result.eviction_blocked;
      continue;
    }
    // kThrottled: a PDB forbids it now; kNotFound: already gone; anything
    // else is retried on the next pass.
    if (Status evicted = cluster_.EvictPod(name); evicted.ok()) {
      result.evicted.push_back(name);
    } else if (!evicted.error().Is(ErrorCode::kNotFound)) {
      ++waiting;
      ++result.eviction_blocked;
    }
  }
  return waiting == 0;
}

TerminationResult Termination::Reconcile() {
  TerminationResult result;
  const auto snapshot = cluster_.Snapshot();
  for (const ports::NodeClaimInfo* deleting : snapshot->NodeClaims()) {
    if (!deleting->deletion_requested_at) continue;
    const ports::NodeClaimInfo& claim = *deleting;
    const std::string& name = claim.claim.meta.name;
    const bool launched = claim.launched_at.has_value();
    auto instance = launched ? cloud_.Get(claim.claim.provider_id) : std::nullopt;
    const bool instance_gone = launched && (!instance || instance->terminated);
    if (!instance_gone) {
      if (const ports::NodeInfo* node = snapshot->GetNode(claim.claim.node_name); node != nullptr) {
        if (!Drain(*snapshot, claim, *node, result)) continue;
      }
      // The finalizer stays until EC2 accepted the termination (kNotFound:
      // already gone); a throttled or failed call is retried next pass.
      if (launched) {
        if (Status deleted = cloud_.Delete(claim.claim.provider_id);
            !deleted.ok() && !deleted.error().Is(ErrorCode::kNotFound)) {
          result.cloud_errors.emplace_back(name, deleted.error());
          continue;
        }
      }
    }
    if (cluster_.RemoveNodeClaim(name).ok()) result.terminated.emplace_back(name, claim.deletion_reason);
  }
  return result;
}

}  // namespace adze::controllers
