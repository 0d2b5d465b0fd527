// FixedFleet: a fleet that never scales — the nodes a team buys for its
// workload's peak, or for its mean, all launched at the start of the run
// (on-demand, so no interruption ever shrinks it) and kept to the end.
// SizeFixedFleet says how many nodes of each node group: from a Cluster
// Autoscaler run on the same workload and draws, the most nodes the group
// had at once (peak) or its time-averaged node count rounded up (mean).
// Thread-safety: none.
#pragma once

#include <string>
#include <vector>

#include "sim/autoscaler.h"
#include "sim/baselines/auto_scaling_groups.h"
#include "sim/baselines/cluster_autoscaler.h"

namespace adze::sim::baselines {

struct FixedFleetSpec {
  std::vector<NodeGroup> groups;  // on-demand
  std::vector<int32_t> nodes;     // per group
  std::string how;                // one sentence for people
};

enum class FleetSizing { kPeak, kMean };

// REQUIRES: stats from a finished ClusterAutoscaler run.
FixedFleetSpec SizeFixedFleet(const ClusterAutoscalerStats& stats, FleetSizing sizing);

class FixedFleet : public Autoscaler {
 public:
  FixedFleet(const AutoscalerWorld& world, FixedFleetSpec spec, AsgOptions options = {});
  void Tick() override;
  void OnUnschedulable(const std::vector<std::string>&) override {}

 private:
  AutoScalingGroups asgs_;
  std::vector<int32_t> nodes_;
  bool launched_ = false;
};

}  // namespace adze::sim::baselines
