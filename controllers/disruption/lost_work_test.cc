#include "controllers/disruption/lost_work.h"

#include <gtest/gtest.h>

#include "model/labels.h"

namespace adze::controllers::disruption {
namespace {

using model::kHour;
using model::kMinute;
using model::Quantity;

// A pod running since t = 0, requesting one GPU and 4 CPUs, owned by `owner`
// (none when empty).
ports::PodInfo RunningPod(const std::string& owner_kind) {
  ports::PodInfo p;
  p.pod.meta.name = "task";
  if (!owner_kind.empty()) {
    p.pod.meta.owner = model::OwnerReference{.kind = owner_kind, .name = "x", .controller = true};
  }
  model::Container c;
  c.requests = {{"cpu", Quantity::FromUnits(4)}, {"nvidia.com/gpu", Quantity::FromUnits(1)}};
  p.pod.containers = {c};
  p.phase = ports::PodPhase::kRunning;
  p.created_at = p.bound_at = p.running_at = 0;
  return p;
}

// A node with 4 GPUs and 48 CPUs.
model::Node FourGpuNode() {
  model::Node n;
  n.allocatable = {{"cpu", Quantity::FromUnits(48)}, {"nvidia.com/gpu", Quantity::FromUnits(4)}};
  return n;
}

TEST(LostWorkTest, ABarePodOrAJobLosesItsWholeRun) {
  EXPECT_DOUBLE_EQ(LostWorkHours(RunningPod(""), 3 * kHour), 3.0);
  EXPECT_DOUBLE_EQ(LostWorkHours(RunningPod("Job"), 90 * kMinute), 1.5);
}

TEST(LostWorkTest, PodsOfServingControllersLoseNothing) {
  EXPECT_EQ(LostWorkHours(RunningPod("ReplicaSet"), 3 * kHour), 0);
  EXPECT_EQ(LostWorkHours(RunningPod("StatefulSet"), 3 * kHour), 0);
}

TEST(LostWorkTest, ACheckpointingPodLosesOnlyTheTimeSinceItsLastCheckpoint) {
  ports::PodInfo p = RunningPod("Job");
  p.pod.meta.annotations[std::string(model::label::kCheckpointInterval)] = "30m";
  EXPECT_DOUBLE_EQ(LostWorkHours(p, 100 * kMinute), 10.0 / 60);
  // A value adze cannot read promises nothing: the whole run is at stake.
  p.pod.meta.annotations[std::string(model::label::kCheckpointInterval)] = "often";
  EXPECT_DOUBLE_EQ(LostWorkHours(p, 100 * kMinute), 100.0 / 60);
}

TEST(LostWorkTest, APodNotYetRunningLosesNothing) {
  ports::PodInfo p = RunningPod("");
  p.phase = ports::PodPhase::kPending;
  p.running_at = -1;
  EXPECT_EQ(LostWorkHours(p, kHour), 0);
}

TEST(LostWorkTest, TheWorkIsPricedAtThePodsShareOfItsNode) {
  // One GPU of four is the largest share (CPU: 4 of 48).
  EXPECT_DOUBLE_EQ(ShareOfNode(RunningPod("").pod, FourGpuNode()), 0.25);
  // Two hours on a quarter of a $8/h node.
  EXPECT_DOUBLE_EQ(LostWorkUsd(RunningPod(""), FourGpuNode(), 8.0, 2 * kHour), 4.0);
  EXPECT_EQ(LostWorkUsd(RunningPod("ReplicaSet"), FourGpuNode(), 8.0, 2 * kHour), 0);
}

TEST(LostWorkTest, APodOfSeveralContainersCountsWhatTheySumTo) {
  ports::PodInfo p = RunningPod("");
  p.pod.containers.push_back(p.pod.containers.front());  // two GPUs, 8 CPUs
  EXPECT_DOUBLE_EQ(ShareOfNode(p.pod, FourGpuNode()), 0.5);
  // An init container larger than the app containers sets the pod's size.
  model::Container init;
  init.requests = {{"cpu", Quantity::FromUnits(36)}};
  p.pod.init_containers = {init};
  EXPECT_DOUBLE_EQ(ShareOfNode(p.pod, FourGpuNode()), 0.75);
}

}  // namespace
}  // namespace adze::controllers::disruption
