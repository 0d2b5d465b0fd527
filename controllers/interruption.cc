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
  // A message is deleted once handled, whatever it says (Karpenter deletes
  // unparsable ones too); a failed delete only means it comes back. One whose
  // deletion request the API refused is kept, so it comes back and is retried.
  auto done = [&](const ports::InterruptionMessage& m) {
    if (!queue_.Delete(m.receipt_handle).ok()) ++result.delete_errors;
  };
  for (const ports::InterruptionMessage& m : messages) {
    if (m.kind != Kind::kSpotInterrupted && m.kind != Kind::kScheduledChange && m.kind != Kind::kInstanceStopped &&
        m.kind != Kind::kInstanceTerminated) {
      done(m);
    }
    if (m.kind == Kind::kRebalanceRecommendation) {
      ++result.rebalance_recommendations;
      continue;
    }
    auto it = claim_of_instance.find(m.instance_id);
    if (it == claim_of_instance.end()) {
      done(m);  // unknown instance: nothing to do
      continue;
    }
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
    if (claim.deletion_requested_at || !requested.insert(claim.claim.meta.name).second) {
      done(m);
      continue;
    }
    const Status requested_deletion = cluster_.RequestNodeClaimDeletion(claim.claim.meta.name, reason);
    if (requested_deletion.ok()) {
      result.deletion_requested.emplace_back(claim.claim.meta.name, reason);
    } else if (!requested_deletion.error().Is(ErrorCode::kNotFound)) {
      requested.erase(claim.claim.meta.name);
      ++result.request_errors;
      continue;  // kept: redelivered after the visibility timeout
    }
    done(m);
  }
}

}  // namespace adze::controllers
