// The disruption controller's error paths, on the fake cluster: what happens
// when the API refuses or has already done what a command asks.
#include "controllers/disruption/disruption_controller.h"

#include <gtest/gtest.h>

#include <initializer_list>

#include "controllers/controller_test_util.h"

namespace adze::controllers::disruption {
namespace {

using controllers::testing::kSecond;

class ZeroStopwatch : public ports::Stopwatch {
 public:
  double Seconds() const override { return 0; }
};

// Pool "batch" (consolidateAfter 0, the budget given) with empty running
// nodes, and a disruption controller over it.
struct EmptyNodesFixture : ::testing::Test {
  controllers::testing::World w;
  ZeroStopwatch stopwatch;
  std::unique_ptr<DisruptionController> controller;

  void MakeCluster(model::Budget budget, std::initializer_list<const char*> nodes) {
    model::NodePool pool;
    pool.meta.name = "batch";
    pool.consolidate_after = 0;
    pool.budgets = {budget};
    w.cluster.AddPool(pool);
    for (const char* name : nodes) {
      w.AddRunningNode(name);
      w.cluster.claim(name).node_pool = "batch";
    }
    DisruptionOptions options;
    options.headroom = false;
    controller = std::make_unique<DisruptionController>(w.cluster, w.cloud, w.clock, stopwatch, options);
  }
};

struct DisruptionErrorTest : EmptyNodesFixture {
  void SetUp() override {
    // A pool whose empty nodes may all go at once.
    model::Budget all;
    all.nodes = 100;
    all.percent = true;
    MakeCluster(all, {"a", "b"});
  }

  // Decides, waits out the 15 s validation, executes.
  DisruptionResult DecideAndExecute() {
    const DisruptionResult decided = controller->Reconcile();
    EXPECT_EQ(decided.decided.size(), 1u);
    w.clock.Advance(15 * kSecond);
    return controller->Reconcile();
  }
};

TEST_F(DisruptionErrorTest, EmptyNodesGoEvenWhenTheirTaintCannotBeWritten) {
  w.cluster.FailAlways("TaintNode", Error::Unavailable("apiserver down"));
  const DisruptionResult r = DecideAndExecute();
  ASSERT_EQ(r.executed.size(), 1u);
  EXPECT_EQ(r.executed[0].candidates.size(), 2u);
  // Termination taints again before it drains; the deletion was requested.
  EXPECT_TRUE(w.cluster.Snapshot()->GetNodeClaim("a")->deletion_requested_at);
  EXPECT_EQ(controller->in_flight(), 0u);
}

TEST_F(DisruptionErrorTest, AClaimAlreadyGoneIsNotAnError) {
  const DisruptionResult decided = controller->Reconcile();
  ASSERT_EQ(decided.decided.size(), 1u);
  w.clock.Advance(15 * kSecond);
  // Between validation and execution the claim disappears.
  w.cluster.FailNext("RequestNodeClaimDeletion", Error::NotFound("a"));
  const DisruptionResult r = controller->Reconcile();
  ASSERT_EQ(r.executed.size(), 1u);
  EXPECT_TRUE(w.cluster.Snapshot()->GetNodeClaim("b")->deletion_requested_at);
  EXPECT_EQ(controller->in_flight(), 0u);  // nothing left marked
}

TEST_F(DisruptionErrorTest, AConflictOnTheNodeBetweenDecisionAndValidationAbandonsTheCommand) {
  const DisruptionResult decided = controller->Reconcile();
  ASSERT_EQ(decided.decided.size(), 1u);
  // A pod lands on "a" during the validation window: it is no longer empty.
  w.AddBoundPod("late", "a");
  w.clock.Advance(15 * kSecond);
  const DisruptionResult r = controller->Reconcile();
  EXPECT_TRUE(r.executed.empty());
  ASSERT_EQ(r.abandoned.size(), 1u);
  EXPECT_NE(r.abandoned[0].second.find("no longer"), std::string::npos);
  EXPECT_FALSE(w.cluster.Snapshot()->GetNodeClaim("a")->deletion_requested_at);
}

// A pool whose budget lets one node go at a time, with three empty nodes.
struct DisruptionBudgetTest : EmptyNodesFixture {
  void SetUp() override {
    model::Budget one;
    one.nodes = 1;
    MakeCluster(one, {"a", "b", "c"});
  }

  size_t DeletionsRequested() const {
    size_t n = 0;
    for (const char* name : {"a", "b", "c"}) n += w.cluster.Snapshot()->GetNodeClaim(name)->deletion_requested_at ? 1 : 0;
    return n;
  }
};

TEST_F(DisruptionBudgetTest, ADeletionTheViewDoesNotShowYetStillCountsAgainstTheBudget) {
  const DisruptionResult decided = controller->Reconcile();
  ASSERT_EQ(decided.decided.size(), 1u);
  ASSERT_EQ(decided.decided[0].candidates.size(), 1u);
  w.clock.Advance(15 * kSecond);
  // The watch cache lags: the pass that deletes the node does not see it go.
  w.cluster.FreezeView();
  const DisruptionResult executed = controller->Reconcile();
  ASSERT_EQ(executed.executed.size(), 1u);
  EXPECT_TRUE(executed.decided.empty()) << "a second node decided while the first is still going";
  w.clock.Advance(10 * kSecond);
  EXPECT_TRUE(controller->Reconcile().decided.empty());
  w.cluster.ThawView();
  EXPECT_EQ(DeletionsRequested(), 1u);
}

TEST_F(DisruptionBudgetTest, ValidationDropsACommandTheBudgetNoLongerAllows) {
  const DisruptionResult decided = controller->Reconcile();
  ASSERT_EQ(decided.decided.size(), 1u);
  const std::string chosen = decided.decided[0].candidates.at(0);
  // During the validation window another node of the pool goes (kubectl
  // delete nodeclaim): it spends the pool's one disruption.
  const std::string other = chosen == "a" ? "b" : "a";
  ASSERT_TRUE(w.cluster.RequestNodeClaimDeletion(other, "manual").ok());
  w.clock.Advance(15 * kSecond);
  const DisruptionResult r = controller->Reconcile();
  EXPECT_TRUE(r.executed.empty());
  ASSERT_EQ(r.abandoned.size(), 1u);
  EXPECT_NE(r.abandoned[0].second.find("budget"), std::string::npos) << r.abandoned[0].second;
  EXPECT_FALSE(w.cluster.Snapshot()->GetNodeClaim(chosen)->deletion_requested_at);
}

}  // namespace
}  // namespace adze::controllers::disruption
