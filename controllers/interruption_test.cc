#include "controllers/interruption.h"

#include <gtest/gtest.h>

#include "controllers/controller_test_util.h"
#include "ports/fake/fake_interruption_queue.h"

namespace adze::controllers {
namespace {

using Kind = ports::InterruptionMessage::Kind;

struct InterruptionTest : ::testing::Test {
  testing::World w;
  ports::fake::FakeInterruptionQueue queue{w.clock};
  Interruption interruption{w.cluster, w.cloud, queue};
  std::string instance_id;

  void SetUp() override {
    const std::string provider_id = w.AddRunningNode("spot-node");
    instance_id = provider_id.substr(provider_id.rfind('/') + 1);
  }
};

TEST_F(InterruptionTest, ASpotWarningMarksTheOfferingAndDeletesTheClaimOnce) {
  queue.Post(Kind::kSpotInterrupted, instance_id);
  queue.Post(Kind::kInstanceTerminated, instance_id);  // the same instance again
  const InterruptionResult r = interruption.Reconcile();
  EXPECT_EQ(r.spot_warnings, 1u);
  ASSERT_EQ(r.deletion_requested.size(), 1u);
  EXPECT_EQ(r.deletion_requested[0].second, "interrupted");
  ASSERT_EQ(w.cloud.marked_unavailable().size(), 1u);
  EXPECT_EQ(w.cloud.marked_unavailable()[0].instance_type, "m6i.large");
  EXPECT_EQ(queue.size(), 0u);  // both handled and deleted
}

TEST_F(InterruptionTest, AReceiveErrorIsRetriedOnTheNextTick) {
  queue.Post(Kind::kSpotInterrupted, instance_id);
  queue.FailNextReceive(Error::Unavailable("sqs: connection reset"));
  InterruptionResult r = interruption.Reconcile();
  EXPECT_EQ(r.receive_errors, 1u);
  EXPECT_TRUE(r.deletion_requested.empty());
  r = interruption.Reconcile();
  EXPECT_EQ(r.deletion_requested.size(), 1u);
}

TEST_F(InterruptionTest, AMessageWhoseDeleteFailedComesBackAndIsHarmless) {
  queue.Post(Kind::kScheduledChange, instance_id);
  queue.FailNextDelete(Error::Throttled("sqs: throttled"));
  InterruptionResult r = interruption.Reconcile();
  EXPECT_EQ(r.delete_errors, 1u);
  EXPECT_EQ(r.deletion_requested.size(), 1u);
  w.clock.Advance(ports::fake::FakeInterruptionQueue::kVisibilityTimeout);
  r = interruption.Reconcile();  // redelivered: the claim is already being deleted
  EXPECT_TRUE(r.deletion_requested.empty());
  EXPECT_EQ(queue.size(), 0u);
}

TEST_F(InterruptionTest, MessagesForUnknownInstancesAndRebalancesOnlyCount) {
  queue.Post(Kind::kSpotInterrupted, "i-0000000000000dead");
  queue.Post(Kind::kRebalanceRecommendation, instance_id);
  const InterruptionResult r = interruption.Reconcile();
  EXPECT_EQ(r.rebalance_recommendations, 1u);
  EXPECT_TRUE(r.deletion_requested.empty());
  EXPECT_EQ(w.cluster.CountCalls("RequestNodeClaimDeletion"), 0u);
}

TEST_F(InterruptionTest, AWarningWhoseDeletionRequestFailedIsNotLost) {
  queue.Post(Kind::kSpotInterrupted, instance_id);
  w.cluster.FailNext("RequestNodeClaimDeletion", Error::Unavailable("apiserver down"));
  InterruptionResult r = interruption.Reconcile();
  EXPECT_TRUE(r.deletion_requested.empty());
  EXPECT_EQ(r.request_errors, 1u);
  EXPECT_FALSE(w.cluster.Snapshot()->GetNodeClaim("spot-node")->deletion_requested_at);
  EXPECT_EQ(queue.size(), 1u);  // kept for redelivery
  w.clock.Advance(ports::fake::FakeInterruptionQueue::kVisibilityTimeout);
  r = interruption.Reconcile();
  ASSERT_EQ(r.deletion_requested.size(), 1u);
  EXPECT_EQ(queue.size(), 0u);
}

}  // namespace
}  // namespace adze::controllers
