#include "controllers/nodeclaim_lifecycle.h"

#include <gtest/gtest.h>

#include "controllers/controller_test_util.h"

namespace adze::controllers {
namespace {

using testing::kMinute;
using testing::kSecond;

struct LifecycleTest : ::testing::Test {
  testing::World w;
  NodeClaimLifecycle lifecycle{w.cluster, w.cloud, w.clock, LifecycleOptions{}};

  // Starts launches, lets the cloud answer, applies the answers.
  LifecycleResult LaunchPass() {
    LifecycleResult started = lifecycle.Reconcile();
    w.clock.Advance(0);
    LifecycleResult applied = lifecycle.Reconcile();
    applied.launch_errors.insert(applied.launch_errors.begin(), started.launch_errors.begin(),
                                 started.launch_errors.end());
    return applied;
  }
};

TEST_F(LifecycleTest, LaunchesAndRecordsTheInstanceOnTheClaim) {
  w.AddPendingClaim("a");
  EXPECT_TRUE(lifecycle.Reconcile().launched.empty());  // the launch does not block the pass
  w.clock.Advance(0);
  const LifecycleResult r = lifecycle.Reconcile();
  ASSERT_EQ(r.launched, std::vector<std::string>{"a"});
  const auto snapshot = w.cluster.Snapshot();  // keeps the claim it hands out alive
  const ports::NodeClaimInfo* claim = snapshot->GetNodeClaim("a");
  ASSERT_TRUE(claim->launched_at);
  EXPECT_EQ(claim->instance_type, "m6i.large");
  EXPECT_FALSE(claim->claim.provider_id.empty());
}

// A Cluster whose snapshots lag its writes while frozen, as the kube cache
// lags the API server (the write lands, the watch event comes later). It
// counts the snapshots taken: on a large cluster each one reads everything.
class LaggingCluster : public ports::Cluster {
 public:
  explicit LaggingCluster(ports::Cluster& c) : c_(c) {}
  void Freeze() { frozen_ = c_.Snapshot(); }
  void Thaw() { frozen_.reset(); }
  int snapshots() const { return snapshots_; }
  std::shared_ptr<const ports::ClusterSnapshot> Snapshot() const override {
    ++snapshots_;
    return frozen_ ? frozen_ : c_.Snapshot();
  }
  Result<std::string> CreateNodeClaim(model::NodeClaim claim, const std::string& pool) override {
    return c_.CreateNodeClaim(std::move(claim), pool);
  }
  Status UpdateNodeClaim(const ports::NodeClaimInfo& info) override { return c_.UpdateNodeClaim(info); }
  Status RequestNodeClaimDeletion(const std::string& claim, const std::string& reason) override {
    return c_.RequestNodeClaimDeletion(claim, reason);
  }
  Status RemoveNodeClaim(const std::string& claim) override { return c_.RemoveNodeClaim(claim); }
  Status NominatePod(const std::string& pod, const std::string& claim) override { return c_.NominatePod(pod, claim); }
  Status TaintNode(const std::string& node, const model::Taint& taint) override { return c_.TaintNode(node, taint); }
  Status RemoveTaint(const std::string& node, const std::string& key) override { return c_.RemoveTaint(node, key); }
  Status EvictPod(const std::string& pod) override { return c_.EvictPod(pod); }
  Status DeletePod(const std::string& pod) override { return c_.DeletePod(pod); }

 private:
  ports::Cluster& c_;
  std::shared_ptr<const ports::ClusterSnapshot> frozen_;
  mutable int snapshots_ = 0;
};

// Launch answers that arrive together (a burst on the live path) are applied
// with one read of the cluster, not one per answer: each read of a
// 10,000-pod cluster costs what a pass costs.
TEST_F(LifecycleTest, LaunchesAnsweredTogetherAreAppliedWithOneReadOfTheCluster) {
  auto reads_to_apply = [this](int claims) {
    testing::World world;
    LaggingCluster counting(world.cluster);
    NodeClaimLifecycle lc{counting, world.cloud, world.clock, LifecycleOptions{}};
    for (int i = 0; i < claims; ++i) world.AddPendingClaim("c" + std::to_string(i));
    lc.Reconcile();
    world.clock.Advance(0);  // every answer arrives
    const int before = counting.snapshots();
    const LifecycleResult r = lc.Reconcile();
    EXPECT_EQ(r.launched.size(), static_cast<size_t>(claims));
    EXPECT_EQ(world.cloud.List().size(), static_cast<size_t>(claims));
    return counting.snapshots() - before;
  };
  EXPECT_EQ(reads_to_apply(20), reads_to_apply(1));
}

TEST_F(LifecycleTest, AStaleSnapshotAfterTheLaunchWasWrittenDoesNotLaunchAgain) {
  LaggingCluster lagging(w.cluster);
  NodeClaimLifecycle lc{lagging, w.cloud, w.clock, LifecycleOptions{}};
  w.AddPendingClaim("a");
  lagging.Freeze();  // the cache still shows "a" unlaunched after the write below
  lc.Reconcile();
  w.clock.Advance(0);
  EXPECT_EQ(lc.Reconcile().launched, std::vector<std::string>{"a"});
  w.clock.Advance(kSecond);
  lc.Reconcile();
  w.clock.Advance(kSecond);
  lc.Reconcile();
  EXPECT_EQ(w.cloud.CountCalls("Create "), 1u);
  EXPECT_EQ(w.cloud.CountCalls("Delete "), 0u);
  lagging.Thaw();
  lc.Reconcile();
  EXPECT_EQ(w.cloud.CountCalls("Create "), 1u);
}

TEST_F(LifecycleTest, InsufficientCapacityDeletesTheClaimAtOnce) {
  w.AddPendingClaim("a");
  w.cloud.FailNextCreate(Error::InsufficientCapacity("no p5.48xlarge in us-east-1a"));
  const LifecycleResult r = LaunchPass();
  EXPECT_EQ(r.deleted_insufficient_capacity, std::vector<std::string>{"a"});
  EXPECT_FALSE(w.cluster.HasClaim("a"));
}

TEST_F(LifecycleTest, ThrottledOrTimedOutLaunchesRetryUntilTheLaunchTimeout) {
  w.AddPendingClaim("a");
  w.cloud.FailNextCreate(Error::Throttled("RequestLimitExceeded"));
  LifecycleResult r = LaunchPass();
  EXPECT_TRUE(r.launched.empty());
  ASSERT_EQ(r.launch_errors.size(), 1u);
  EXPECT_EQ(r.launch_errors[0].second.code, ErrorCode::kThrottled);
  EXPECT_TRUE(w.cluster.HasClaim("a"));

  w.clock.Advance(10 * kSecond);
  w.cloud.SetLatency(2 * kMinute);  // slower than the 1 min attempt deadline
  r = LaunchPass();
  w.clock.Advance(2 * kMinute);
  r = lifecycle.Reconcile();
  EXPECT_TRUE(w.cluster.HasClaim("a"));
  ASSERT_EQ(r.launch_errors.size(), 1u);
  EXPECT_EQ(r.launch_errors.at(0).second.code, ErrorCode::kDeadlineExceeded);

  w.cloud.SetLatency(2 * kSecond);
  w.clock.Advance(kSecond);
  lifecycle.Reconcile();  // the third try works
  w.clock.Advance(2 * kSecond);
  r = lifecycle.Reconcile();
  EXPECT_EQ(r.launched, std::vector<std::string>{"a"});
}

TEST_F(LifecycleTest, GivesUpAfterTheLaunchTimeout) {
  w.AddPendingClaim("a");
  w.clock.Advance(5 * kMinute);
  w.cloud.FailNextCreate(Error::Unavailable("connection reset"));
  const LifecycleResult r = LaunchPass();
  ASSERT_EQ(r.deletion_requested.size(), 1u);
  EXPECT_EQ(r.deletion_requested[0].second, "launch_timeout");
  EXPECT_FALSE(w.cluster.HasClaim("a"));
}

// The launch cache: an instance whose claim could not be written (a
// conflict with a stale cache, the API down) is kept and written on the next
// pass, not terminated and bought again; the orphan collector leaves it be.
TEST_F(LifecycleTest, AFailedWriteOfTheLaunchIsRetriedWithoutASecondInstance) {
  w.AddPendingClaim("a");
  w.cluster.FailNext("UpdateNodeClaim", Error::Conflict("a changed"));
  LifecycleResult r = LaunchPass();
  EXPECT_TRUE(r.launched.empty());
  ASSERT_EQ(r.launch_errors.size(), 1u);
  EXPECT_EQ(w.cloud.CountCalls("Delete "), 0u);
  ASSERT_EQ(w.cloud.List().size(), 1u);
  const std::string provider_id = w.cloud.List()[0].provider_id;
  w.clock.Advance(kMinute);  // past the orphan grace period
  EXPECT_TRUE(lifecycle.CollectOrphanInstances(w.cloud.List()).orphans_terminated.empty());
  r = lifecycle.Reconcile();
  EXPECT_EQ(r.launched, std::vector<std::string>{"a"});
  EXPECT_EQ(w.cloud.CountCalls("Create "), 1u);
  EXPECT_EQ(w.cluster.Snapshot()->GetNodeClaim("a")->claim.provider_id, provider_id);
  EXPECT_EQ(w.cloud.List().size(), 1u);
}

TEST_F(LifecycleTest, AKeptLaunchWhoseClaimWentIsTerminated) {
  w.AddPendingClaim("a");
  w.cluster.FailNext("UpdateNodeClaim", Error::Unavailable("apiserver down"));
  LaunchPass();
  ASSERT_EQ(w.cloud.List().size(), 1u);
  ASSERT_TRUE(w.cluster.RemoveNodeClaim("a").ok());
  lifecycle.Reconcile();
  EXPECT_EQ(w.cloud.CountCalls("Delete "), 1u);
  EXPECT_TRUE(w.cloud.List().empty());
}

TEST_F(LifecycleTest, NotRegisteredInTimeIsDeletedAndAFailedRequestIsRetried) {
  w.AddPendingClaim("a");
  ASSERT_EQ(LaunchPass().launched.size(), 1u);
  w.clock.Advance(15 * kMinute);
  w.cluster.FailNext("RequestNodeClaimDeletion", Error::Unavailable("apiserver down"));
  EXPECT_TRUE(lifecycle.Reconcile().deletion_requested.empty());
  const LifecycleResult r = lifecycle.Reconcile();
  ASSERT_EQ(r.deletion_requested.size(), 1u);
  EXPECT_EQ(r.deletion_requested[0].second, "registration_timeout");
}

TEST_F(LifecycleTest, AnInstanceThatArrivesForAClaimAlreadyGoneIsTerminated) {
  w.AddPendingClaim("a");
  w.cloud.SetLatency(2 * kSecond);
  lifecycle.Reconcile();
  ASSERT_TRUE(w.cluster.RemoveNodeClaim("a").ok());  // deleted while CreateFleet ran
  w.clock.Advance(2 * kSecond);
  const LifecycleResult r = lifecycle.Reconcile();
  EXPECT_TRUE(r.launched.empty());
  EXPECT_TRUE(w.cloud.List().empty());
}

TEST_F(LifecycleTest, GarbageCollectsAClaimWhoseInstanceVanished) {
  const std::string provider_id = w.AddRunningNode("a");
  w.AddRunningNode("b");
  w.cloud.Vanish(provider_id);
  const LifecycleResult r = lifecycle.CollectGarbage(w.cloud.List());
  EXPECT_EQ(r.garbage_collected, std::vector<std::string>{"a"});
  EXPECT_FALSE(w.cluster.HasClaim("a"));
  EXPECT_TRUE(w.cluster.HasClaim("b"));
  // One List answers for every claim it holds; only the missing one is asked about.
  EXPECT_EQ(w.cloud.CountCalls("Get "), 1u);
}

// A List that came back short (an EC2 error, eventual consistency) must not
// remove claims whose instances still run: each is confirmed with Get first.
TEST_F(LifecycleTest, GarbageCollectionConfirmsWhatTheListLacks) {
  w.AddRunningNode("a");
  w.AddRunningNode("b");
  const LifecycleResult r = lifecycle.CollectGarbage({});
  EXPECT_TRUE(r.garbage_collected.empty());
  EXPECT_TRUE(w.cluster.HasClaim("a"));
  EXPECT_TRUE(w.cluster.HasClaim("b"));
  EXPECT_EQ(w.cloud.CountCalls("Get "), 2u);
}

// A controller killed between CreateFleet and recording the instance leaves
// an instance no claim knows: it is terminated after the 30 s grace, not before,
// and instances that claims record are left alone.
TEST_F(LifecycleTest, TerminatesAnInstanceNoClaimRecordsAfterTheGracePeriod) {
  w.AddRunningNode("kept");
  const ports::Instance orphan = w.cloud.AddInstance("lost-answer", "m6i.large");
  w.clock.Advance(NodeClaimLifecycle::kOrphanGrace);
  // Not older than the grace yet.
  EXPECT_TRUE(lifecycle.CollectOrphanInstances(w.cloud.List()).orphans_terminated.empty());
  w.clock.Advance(kSecond);
  const LifecycleResult r = lifecycle.CollectOrphanInstances(w.cloud.List());
  ASSERT_EQ(r.orphans_terminated.size(), 1u);
  EXPECT_EQ(r.orphans_terminated[0].provider_id, orphan.provider_id);
  ASSERT_EQ(w.cloud.List().size(), 1u);
  EXPECT_EQ(w.cloud.List()[0].node_claim, "kept");
}

TEST_F(LifecycleTest, AnInstanceWhoseLaunchAnswerIsStillOnTheWayIsNotAnOrphan) {
  w.AddPendingClaim("a");
  w.cloud.SetLatency(2 * kMinute);  // EC2 made the instance; the answer is slow
  lifecycle.Reconcile();
  w.cloud.AddInstance("a", "m6i.large");
  w.clock.Advance(kMinute);
  EXPECT_TRUE(lifecycle.CollectOrphanInstances(w.cloud.List()).orphans_terminated.empty());
}

}  // namespace
}  // namespace adze::controllers
