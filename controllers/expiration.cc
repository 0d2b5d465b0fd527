#include "controllers/expiration.h"

namespace adze::controllers {

std::vector<std::string> Expiration::Reconcile() {
  std::vector<std::string> expired;
  const auto snapshot = cluster_.Snapshot();
  for (const ports::NodeClaimInfo* claim : snapshot->NodeClaims()) {
    if (claim->deletion_requested_at || !claim->claim.expire_after) continue;
    if (clock_.Now() - claim->created_at < *claim->claim.expire_after) continue;
    // A failed request is made again on the next pass.
    if (cluster_.RequestNodeClaimDeletion(claim->claim.meta.name, "Expired").ok()) {
      expired.push_back(claim->claim.meta.name);
    }
  }
  return expired;
}

}  // namespace adze::controllers
