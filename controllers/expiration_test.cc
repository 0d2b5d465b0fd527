#include "controllers/expiration.h"

#include <gtest/gtest.h>

#include "controllers/controller_test_util.h"

namespace adze::controllers {
namespace {

TEST(ExpirationTest, DeletesClaimsPastExpireAfterAndRetriesAFailedRequest) {
  testing::World w;
  w.AddRunningNode("old");
  w.cluster.claim("old").claim.expire_after = 24 * model::kHour;
  w.AddRunningNode("forever");  // no expireAfter
  Expiration expiration(w.cluster, w.clock);
  EXPECT_TRUE(expiration.Reconcile().empty());
  w.clock.Advance(24 * model::kHour);
  w.cluster.FailNext("RequestNodeClaimDeletion", Error::Unavailable("apiserver down"));
  EXPECT_TRUE(expiration.Reconcile().empty());
  EXPECT_EQ(expiration.Reconcile(), std::vector<std::string>{"old"});
  EXPECT_EQ(w.cluster.Snapshot()->GetNodeClaim("old")->deletion_reason, "Expired");
  EXPECT_FALSE(w.cluster.Snapshot()->GetNodeClaim("forever")->deletion_requested_at);
  EXPECT_TRUE(expiration.Reconcile().empty());  // requested once
}

}  // namespace
}  // namespace adze::controllers
