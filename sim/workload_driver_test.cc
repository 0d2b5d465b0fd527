// WorkloadDriver: trace pods keep their task's name, and the GPU time a
// batch or trace pod had run when evicted is counted as redone work, apart
// from the unique work requested, and reruns are told apart from arrivals
// (issue 16).
#include "sim/workload_driver.h"

#include <gtest/gtest.h>

#include "sim/sim_clock.h"

namespace adze::sim {
namespace {

struct World {
  EventQueue events;
  SimClock clock{events, 0};
  SimulatedCluster cluster{clock, {}, {}, {}};
  Scenario scenario;
  std::unique_ptr<WorkloadDriver> driver;

  explicit World(std::vector<AlibabaTask> tasks) {
    scenario.duration = 10 * model::kHour;
    TraceReplay replay;
    replay.name = "alibaba";
    scenario.traces.push_back(replay);
    driver = std::make_unique<WorkloadDriver>(events, cluster, scenario,
                                              std::vector<std::vector<AlibabaTask>>{std::move(tasks)});
    cluster.SetPodEndListener([this](const ports::PodInfo& pod, PodEndReason reason) { driver->OnPodEnd(pod, reason); });
    driver->Start();
  }
};

AlibabaTask GpuTask(std::string name) {
  AlibabaTask t;
  t.name = std::move(name);
  t.cpu_milli = 4000;
  t.memory_mib = 8192;
  t.num_gpu = 2;
  t.gpu_milli = 1000;
  t.creation_time = 0;
  t.scheduled_time = 0;
  t.deletion_time = 7200;
  return t;
}

TEST(WorkloadDriverTest, TracePodsAreNamedAfterTheirTaskAndRerunsSaySo) {
  World w({GpuTask("openb-pod-0042")});
  w.events.RunUntil(model::kMinute);
  const ports::PodInfo* pod = w.cluster.GetPod("openb-pod-0042");
  ASSERT_NE(pod, nullptr) << "the pod carries the trace's task name";
  EXPECT_EQ(pod->pod.meta.annotations.at(std::string(kTraceTaskAnnotation)), "openb-pod-0042");

  w.driver->OnPodRunning("openb-pod-0042");
  w.events.RunUntil(31 * model::kMinute);  // runs for 30 minutes, then is evicted
  w.cluster.EndPod("openb-pod-0042", PodEndReason::kEvicted);

  const ports::PodInfo* rerun = w.cluster.GetPod("openb-pod-0042-retry-1");
  ASSERT_NE(rerun, nullptr);
  EXPECT_EQ(rerun->pod.meta.annotations.at(std::string(kTraceTaskAnnotation)), "openb-pod-0042");
  // Half an hour on two GPUs, redone from scratch: lost, not useful work.
  EXPECT_DOUBLE_EQ(w.driver->stats().gpu_hours_redone, 1.0);
  EXPECT_DOUBLE_EQ(w.driver->stats().gpu_hours_requested, 0.0);

  // The rerun completes: its two hours on two GPUs are the unique work.
  w.driver->OnPodRunning("openb-pod-0042-retry-1");
  w.events.RunUntil(31 * model::kMinute + 2 * model::kHour);
  w.cluster.EndPod("openb-pod-0042-retry-1", PodEndReason::kCompleted);
  EXPECT_DOUBLE_EQ(w.driver->stats().gpu_hours_requested, 4.0);
  EXPECT_DOUBLE_EQ(w.driver->stats().gpu_hours_redone, 1.0);
}

// Time to running is also reported over arrivals only: a rerun the
// autoscaler's eviction caused is not a new arrival.
TEST(WorkloadDriverTest, ARerunAfterAnEvictionIsRecreatedAndTheFirstRunIsNot) {
  World w({GpuTask("openb-pod-0007")});
  w.events.RunUntil(model::kMinute);
  EXPECT_FALSE(w.driver->Recreated("openb-pod-0007"));
  w.driver->OnPodRunning("openb-pod-0007");
  w.cluster.EndPod("openb-pod-0007", PodEndReason::kEvicted);
  EXPECT_TRUE(w.driver->Recreated("openb-pod-0007-retry-1"));
  EXPECT_FALSE(w.driver->Recreated("no-such-pod"));
}

}  // namespace
}  // namespace adze::sim
