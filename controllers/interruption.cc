#include "controllers/interruption.h"

#include <map>
#include <set>

namespace adze::controllers {

using Kind = ports::InterruptionMessage::Kind;

InterruptionResult Interruption::Reconcile() {
  InterruptionResult result;
  // Batches of kMaxMessages until the queue has no more visible ones; a
  // receive error leaves the rest for the next tick.
  for (;;) {
    Result<std::vector<ports::InterruptionMessage>> batch = queue_.Receive(kMaxMessages, 0);
    if (!batch.ok()) {
      ++result.receive_errors;
      return result;
    }
    Handle(*batch, result);
    if (batch->size() < static_cast<size_t>(kMaxMessages)) return result;
  }
}

void Interruption::Handle(const std::vector<ports::InterruptionMessage>& messages, InterruptionResult& result) {
  if (messages.empty()) return;
  // Instance id → claim: provider ids read aws:///<zone>/<instance-id>.
  std::map<std::string, const ports::NodeClaimInfo*> claim_of_instance;
  const auto snapshot = cluster_.Snapshot();
  std::set<std::string> requested;
  for (const ports::NodeClaimInfo* c : snapshot->NodeClaims()) {
    const std::string& id = c->claim.provider_id;
    if (auto slash = id.rfind('/'); slash != std::string::npos) claim_of_instance[id.substr(slash + 1)] = c;
  }
  for (const ports::InterruptionMessage& m : messages) {
    // Every message is handled once, whatever it says (Karpenter deletes
    // unparsable ones too); a failed delete only means it comes back.
    if (!queue_.Delete(m.receipt_handle).ok()) ++result.delete_errors;
    if (m.kind == Kind::kRebalanceRecommendation) {
      ++result.rebalance_recommendations;
      continue;
    }
    auto it = claim_of_instance.find(m.instance_id);
    if (it == claim_of_instance.end()) continue;  // unknown instance: nothing to do
    const ports::NodeClaimInfo& claim = *it->second;
    std::string reason = "instance_terminated";
    if (m.kind == Kind::kSpotInterrupted) {
      ++result.spot_warnings;
      cloud_.MarkUnavailable({claim.capacity_type, claim.instance_type, claim.zone});
      reason = "interrupted";
    } else if (m.kind == Kind::kScheduledChange) {
      reason = "scheduled_change";
    } else if (m.kind == Kind::kInstanceStopped) {
      reason = "instance_stopped";
    }
    // Several messages may name one instance (a warning, then its termination).
    if (claim.deletion_requested_at || !requested.insert(claim.claim.meta.name).second) continue;
    if (cluster_.RequestNodeClaimDeletion(claim.claim.meta.name, reason).ok()) {
      result.deletion_requested.emplace_back(claim.claim.meta.name, reason);
    }
  }
}

}  // namespace adze::controllers
