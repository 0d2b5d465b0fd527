#include "sim/baselines/fixed_fleet.h"

#include <cmath>

#include "model/labels.h"

namespace adze::sim::baselines {

FixedFleetSpec SizeFixedFleet(const ClusterAutoscalerStats& stats, FleetSizing sizing) {
  FixedFleetSpec spec;
  const double observed = static_cast<double>(stats.observed) / model::kSecond;
  for (size_t g = 0; g < stats.groups.size(); ++g) {
    int32_t n = sizing == FleetSizing::kPeak
                    ? stats.peak_nodes[g]
                    : static_cast<int32_t>(std::ceil(observed > 0 ? stats.node_seconds[g] / observed - 1e-9 : 0));
    if (n <= 0) continue;
    NodeGroup group = stats.groups[g];
    group.capacity_type = std::string(model::label::kCapacityTypeOnDemand);
    group.min_size = group.max_size = n;
    spec.groups.push_back(std::move(group));
    spec.nodes.push_back(n);
  }
  spec.how = sizing == FleetSizing::kPeak
                 ? "per node group, the most nodes Cluster Autoscaler ran at once on the same workload, on-demand, "
                   "from the start"
                 : "per node group, Cluster Autoscaler's time-averaged node count rounded up, on-demand, from the start";
  return spec;
}

FixedFleet::FixedFleet(const AutoscalerWorld& world, FixedFleetSpec spec, AsgOptions options)
    : asgs_(world, std::move(spec.groups), options), nodes_(std::move(spec.nodes)) {}

void FixedFleet::Tick() {
  if (!launched_) {
    launched_ = true;
    for (size_t g = 0; g < nodes_.size(); ++g) {
      for (int32_t i = 0; i < nodes_[g]; ++i) asgs_.Launch(g, "fixed_fleet");
    }
  }
  asgs_.Tick();
}

}  // namespace adze::sim::baselines
