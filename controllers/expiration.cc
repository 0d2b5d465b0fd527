#include "controllers/expiration.h"

namespace adze::controllers {

std::vector<std::string> Expiration::Reconcile() {
  std::vector<std::string> expired;
  for (const ports::NodeClaimInfo* claim : cluster_.NodeClaims()) {
    if (claim->deletion_requested_at || !claim->claim.expire_after) continue;
    if (clock_.Now() - claim->created_at >= *claim->claim.expire_after) expired.push_back(claim->claim.meta.name);
  }
  for (const std::string& name : expired) cluster_.RequestNodeClaimDeletion(name, "Expired");
  return expired;
}

}  // namespace adze::controllers
