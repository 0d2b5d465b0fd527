// SimulatedCluster snapshots: a held snapshot shows the cluster as it was
// when taken, whether its pod table was built, looked up by name only, or
// built only when the cluster changed under it.
#include "sim/simulated_cluster.h"

#include <gtest/gtest.h>

#include "sim/sim_clock.h"

namespace adze::sim {
namespace {

struct SimulatedClusterTest : ::testing::Test {
  EventQueue events;
  SimClock clock{events, 0};
  SimulatedCluster cluster{clock, {}, {}, {}};

  void SetUp() override {
    for (const char* name : {"a", "b", "c"}) {
      model::Pod pod;
      pod.meta.name = name;
      cluster.AddPod(pod);
    }
  }
};

TEST_F(SimulatedClusterTest, LookingUpAFewPodsDoesNotBuildThePodTable) {
  const auto snapshot = cluster.Snapshot();
  ASSERT_NE(snapshot->GetPod("a"), nullptr);
  EXPECT_EQ(snapshot->GetPod("zz"), nullptr);
  EXPECT_EQ(snapshot->PendingPods().size(), 3u);
  EXPECT_FALSE(snapshot->pods_built());
  // A reader of many pods gets the table after a few hundred lookups.
  for (int i = 0; i < 1000 && !snapshot->pods_built(); ++i) ASSERT_NE(snapshot->GetPod("c"), nullptr);
  EXPECT_TRUE(snapshot->pods_built());
}

TEST_F(SimulatedClusterTest, AHeldSnapshotKeepsThePodsItShowedAcrossChanges) {
  const auto before = cluster.Snapshot();
  const ports::PodInfo* a = before->GetPod("a");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->unschedulable);

  cluster.MarkUnschedulable("a");
  cluster.EndPod("b", PodEndReason::kCompleted);
  // The change built the held snapshot's table first: what it showed stays.
  EXPECT_TRUE(before->pods_built());
  EXPECT_FALSE(a->unschedulable);
  EXPECT_EQ(before->GetPod("a"), a);
  ASSERT_NE(before->GetPod("b"), nullptr);
  EXPECT_EQ(before->PendingPods().size(), 3u);

  const auto after = cluster.Snapshot();
  EXPECT_TRUE(after->GetPod("a")->unschedulable);
  EXPECT_EQ(after->GetPod("b"), nullptr);
  EXPECT_EQ(after->PendingPods().size(), 2u);
}

}  // namespace
}  // namespace adze::sim
