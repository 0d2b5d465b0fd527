#include "controllers/operator.h"

#include <gtest/gtest.h>

#include "controllers/controller_test_util.h"
#include "ports/metrics_registry.h"

namespace adze::controllers {
namespace {

using testing::kSecond;

class NoMessages : public ports::InterruptionQueue {
 public:
  Result<std::vector<ports::InterruptionMessage>> Receive(int, model::Duration) override {
    return std::vector<ports::InterruptionMessage>{};
  }
  Status Delete(const std::string&) override { return OkStatus(); }
};

class FixedStopwatch : public ports::Stopwatch {
 public:
  double Seconds() const override { return 0; }
};

class Recorder : public OperatorListener {
 public:
  void OnProvisioned(const ProvisioningResult& r) override { provisioned.push_back(r); }
  void OnClaimLaunched(const ports::NodeClaimInfo& c) override { launched.push_back(c.claim.meta.name); }
  void OnClaimTerminated(const std::string& c, const std::string& reason) override {
    terminated.push_back(c + ":" + reason);
  }
  std::vector<ProvisioningResult> provisioned;
  std::vector<std::string> launched, terminated;
};

struct OperatorTest : ::testing::Test {
  testing::World w;
  NoMessages queue;
  ports::MetricsRegistry metrics;
  FixedStopwatch stopwatch;
  Recorder recorder;
  OperatorOptions options;
  std::unique_ptr<Operator> op;

  void Start() {
    op = std::make_unique<Operator>(OperatorPorts{w.cluster, w.cloud, queue, w.clock, metrics, stopwatch}, options,
                                    &recorder);
  }
  // One simulated second: the clock moves (firing timers), then the operator ticks.
  void Second() {
    w.clock.Advance(kSecond);
    op->Tick();
  }
};

TEST_F(OperatorTest, AnUnschedulablePodOpensABatchThatClosesOnAClockTimer) {
  w.cloud.SetInstanceTypes({});  // no type fits: the pass finds the pod unschedulable
  ports::PodInfo pod;
  pod.pod.meta.name = "web-1";
  pod.unschedulable = true;
  w.cluster.AddPod(pod);
  Start();
  op->OnUnschedulable({"web-1"});
  EXPECT_EQ(w.clock.timers(), 1u);
  EXPECT_TRUE(recorder.provisioned.empty());
  Second();  // 1 s idle: the batch closes
  ASSERT_EQ(recorder.provisioned.size(), 1u);
  EXPECT_EQ(recorder.provisioned[0].pods, 1u);
  EXPECT_EQ(recorder.provisioned[0].unschedulable, 1u);
  EXPECT_EQ(metrics.Counter("adze_provisioning_passes_total"), 1);
  EXPECT_EQ(metrics.Observations("adze_provisioning_decision_seconds").size(), 1u);
}

// The simulator applies each launch answer the instant it arrives; `adze
// controller` runs every answer that came back together, then applies them
// in one lifecycle pass.
TEST_F(OperatorTest, LaunchAnswersAreAppliedTheInstantTheyArrive) {
  w.AddPendingClaim("a");
  w.AddPendingClaim("b");
  Start();
  op->Tick();          // starts both launches
  w.clock.Advance(0);  // both answers arrive
  EXPECT_EQ(recorder.launched, (std::vector<std::string>{"a", "b"}));
}

TEST_F(OperatorTest, CoalescedLaunchAnswersWaitForTheShellAndAreAppliedTogether) {
  options.coalesce_launch_completions = true;
  w.AddPendingClaim("a");
  w.AddPendingClaim("b");
  Start();
  op->Tick();
  w.clock.Advance(0);
  EXPECT_TRUE(recorder.launched.empty());
  op->ApplyCompletedLaunches();
  EXPECT_EQ(recorder.launched, (std::vector<std::string>{"a", "b"}));
  op->ApplyCompletedLaunches();  // nothing more to apply
  EXPECT_EQ(recorder.launched.size(), 2u);
}

TEST_F(OperatorTest, ABatchStaysOpenWhilePodsKeepArrivingUpToTheMaximum) {
  w.cloud.SetInstanceTypes({});
  Start();
  // A pod every 0.5 s never leaves the batch idle for 1 s.
  for (int i = 0; i < 30 && recorder.provisioned.empty(); ++i) {
    ports::PodInfo pod;
    pod.pod.meta.name = "job-" + std::to_string(i);
    pod.unschedulable = true;
    w.cluster.AddPod(pod);
    op->OnUnschedulable({pod.pod.meta.name});
    w.clock.Advance(500 * model::kMillisecond);
  }
  ASSERT_EQ(recorder.provisioned.size(), 1u);
  EXPECT_EQ(recorder.provisioned[0].pods, 20u);  // closed by the 10 s maximum
}

TEST_F(OperatorTest, TerminatesClaimsDeletedByAnyoneAndCountsThemByReason) {
  w.AddRunningNode("n");
  Start();
  // As `kubectl delete nodeclaim` would: not requested by the operator.
  ASSERT_TRUE(w.cluster.RequestNodeClaimDeletion("n", "interrupted").ok());
  Second();
  ASSERT_EQ(recorder.terminated, std::vector<std::string>{"n:interrupted"});
  EXPECT_EQ(metrics.Counter("adze_nodeclaims_terminated_total", {{"reason", "interrupted"}}), 1);
  EXPECT_TRUE(w.cloud.List().empty());
}

TEST_F(OperatorTest, CountsControllerErrorsByCode) {
  w.AddPendingClaim("a");
  w.cloud.FailNextCreate(Error::Throttled("RequestLimitExceeded"));
  Start();
  Second();  // the launch starts; CreateFleet answers at the next instant
  Second();
  EXPECT_EQ(metrics.Counter("adze_controller_errors_total", {{"code", "throttled"}, {"controller", "lifecycle"}}), 1);
  EXPECT_TRUE(recorder.launched.empty());
  // Nothing changed in the cluster: the launch is retried on the 10 s resync.
  for (int i = 0; i < 9; ++i) Second();
  EXPECT_EQ(recorder.launched, std::vector<std::string>{"a"});
}

// `adze controller` ticks about once a second on the wall clock, never
// exactly on started + k seconds. The periodic controllers must still run:
// before, their cadence was (now - started) % period == 0, which a real
// clock practically never meets, so garbage collection and disruption never ran.
TEST_F(OperatorTest, PeriodicControllersRunOnAClockThatNeverTicksOnTheSecond) {
  const std::string provider_id = w.AddRunningNode("a");
  Start();
  w.cloud.Vanish(provider_id);
  for (int i = 0; i < 130 && recorder.terminated.empty(); ++i) {
    w.clock.Advance(kSecond + 3 * model::kMillisecond);  // a tick that drifts
    op->Tick();
  }
  EXPECT_EQ(recorder.terminated, std::vector<std::string>{"a:instance_terminated"});
}

}  // namespace
}  // namespace adze::controllers
