#include "ports/fake/fake_cluster.h"

#include <gtest/gtest.h>

#include "ports/fake/manual_clock.h"

namespace adze::ports::fake {
namespace {

TEST(FakeClusterTest, UpdatesNeedTheCurrentResourceVersion) {
  ManualClock clock;
  FakeCluster cluster(clock);
  model::NodeClaim claim;
  claim.meta.name = "a";
  ASSERT_TRUE(cluster.CreateNodeClaim(claim, "default").ok());
  EXPECT_EQ(cluster.CreateNodeClaim(claim, "default").error().code, ErrorCode::kAlreadyExists);
  NodeClaimInfo read = *cluster.Snapshot()->GetNodeClaim("a");
  NodeClaimInfo stale = read;
  read.instance_type = "m6i.large";
  ASSERT_TRUE(cluster.UpdateNodeClaim(read).ok());
  EXPECT_EQ(cluster.UpdateNodeClaim(stale).error().code, ErrorCode::kConflict);
  EXPECT_EQ(cluster.Snapshot()->GetNodeClaim("a")->instance_type, "m6i.large");
}

TEST(FakeClusterTest, ScriptedFailuresApplyOnceInOrderAndAreRecorded) {
  ManualClock clock;
  FakeCluster cluster(clock);
  PodInfo pod;
  pod.pod.meta.name = "p";
  cluster.AddPod(pod);
  cluster.FailNext("EvictPod", Error::Throttled("pdb"));
  EXPECT_EQ(cluster.EvictPod("p").error().code, ErrorCode::kThrottled);
  EXPECT_TRUE(cluster.EvictPod("p").ok());
  EXPECT_EQ(cluster.EvictPod("p").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(cluster.calls(), (std::vector<std::string>{"EvictPod p -> throttled", "EvictPod p", "EvictPod p -> not_found"}));
}

TEST(FakeClusterTest, ASnapshotDoesNotSeeLaterMutations) {
  ManualClock clock;
  FakeCluster cluster(clock);
  PodInfo pod;
  pod.pod.meta.name = "p";
  cluster.AddPod(pod);
  const auto before = cluster.Snapshot();
  ASSERT_TRUE(cluster.DeletePod("p").ok());
  EXPECT_NE(before->GetPod("p"), nullptr);
  EXPECT_EQ(cluster.Snapshot()->GetPod("p"), nullptr);
  EXPECT_LT(before->generation(), cluster.Snapshot()->generation());
}

TEST(ManualClockTest, FiresTimersInTimeOrderAsItAdvances) {
  ManualClock clock(0);
  std::vector<int> fired;
  clock.At(2 * model::kSecond, [&] { fired.push_back(2); });
  clock.At(1 * model::kSecond, [&] { fired.push_back(1); });
  clock.Advance(model::kSecond);
  EXPECT_EQ(fired, std::vector<int>{1});
  clock.Advance(5 * model::kSecond);
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
  EXPECT_EQ(clock.Now(), 6 * model::kSecond);
}

}  // namespace
}  // namespace adze::ports::fake
