#include "controllers/termination.h"

#include <gtest/gtest.h>

#include "controllers/controller_test_util.h"

namespace adze::controllers {
namespace {

struct TerminationTest : ::testing::Test {
  testing::World w;
  Termination termination{w.cluster, w.cloud, w.clock};
  std::string provider_id;

  void SetUp() override {
    provider_id = w.AddRunningNode("n");
    w.AddBoundPod("p1", "n");
    w.AddBoundPod("p2", "n");
    ASSERT_TRUE(w.cluster.RequestNodeClaimDeletion("n", "Underutilized").ok());
  }
};

TEST_F(TerminationTest, DrainsThenTerminatesTheInstanceThenRemovesTheClaim) {
  const TerminationResult r = termination.Reconcile();
  EXPECT_EQ(r.evicted.size(), 2u);
  ASSERT_EQ(r.terminated.size(), 1u);
  EXPECT_EQ(r.terminated[0].second, "Underutilized");
  EXPECT_FALSE(w.cluster.HasClaim("n"));
  EXPECT_TRUE(w.cloud.List().empty());
}

TEST_F(TerminationTest, AThrottledEvictionWaitsAndIsRetried) {
  w.cluster.FailNext("EvictPod", Error::Throttled("PodDisruptionBudget allows no disruption"));
  TerminationResult r = termination.Reconcile();
  EXPECT_EQ(r.eviction_blocked, 1u);
  EXPECT_TRUE(r.terminated.empty());
  EXPECT_TRUE(w.cluster.HasClaim("n"));
  EXPECT_EQ(w.cloud.CountCalls("Delete "), 0u);  // the instance stays while pods remain
  r = termination.Reconcile();
  EXPECT_EQ(r.terminated.size(), 1u);
}

TEST_F(TerminationTest, APodAlreadyGoneDoesNotHoldTheNode) {
  w.cluster.FailNext("EvictPod", Error::NotFound("p1"));
  const TerminationResult r = termination.Reconcile();
  EXPECT_EQ(r.eviction_blocked, 0u);
  EXPECT_EQ(r.terminated.size(), 1u);
}

TEST_F(TerminationTest, NoEvictionBeforeTheTaintIsWritten) {
  w.cluster.FailNext("TaintNode", Error::Conflict("node n changed"));
  TerminationResult r = termination.Reconcile();
  EXPECT_TRUE(r.evicted.empty());
  EXPECT_TRUE(w.cluster.HasPod("p1"));
  r = termination.Reconcile();
  EXPECT_EQ(r.evicted.size(), 2u);
}

TEST_F(TerminationTest, KeepsTheFinalizerUntilEc2AcceptsTheTermination) {
  w.cloud.FailNextDelete(Error::Throttled("RequestLimitExceeded"));
  TerminationResult r = termination.Reconcile();
  EXPECT_TRUE(r.terminated.empty());
  ASSERT_EQ(r.cloud_errors.size(), 1u);
  EXPECT_TRUE(w.cluster.HasClaim("n"));
  r = termination.Reconcile();
  EXPECT_EQ(r.terminated.size(), 1u);
  EXPECT_TRUE(w.cloud.List().empty());
}

TEST_F(TerminationTest, AnInstanceThatVanishedNeedsNoDrain) {
  w.cloud.Vanish(provider_id);
  const TerminationResult r = termination.Reconcile();
  EXPECT_TRUE(r.evicted.empty());
  EXPECT_EQ(r.terminated.size(), 1u);
}

}  // namespace
}  // namespace adze::controllers
