#include "controllers/disruption/lost_work.h"

#include <algorithm>

#include "model/labels.h"

namespace adze::controllers::disruption {

namespace {

bool RunsToCompletion(const model::Pod& pod) { return !pod.meta.owner || pod.meta.owner->kind == "Job"; }

}  // namespace

double LostWorkHours(const ports::PodInfo& pod, model::Duration now) {
  if (pod.phase != ports::PodPhase::kRunning || pod.running_at < 0 || now <= pod.running_at) return 0;
  if (!RunsToCompletion(pod.pod)) return 0;
  model::Duration lost = now - pod.running_at;
  if (auto it = pod.pod.meta.annotations.find(model::label::kCheckpointInterval);
      it != pod.pod.meta.annotations.end()) {
    // Unparsable or non-positive: no checkpoint is promised, the whole run is at stake.
    Result<model::Duration> interval = model::ParseDuration(it->second);
    if (interval.ok() && *interval > 0) lost %= *interval;
  }
  return static_cast<double>(lost) / model::kHour;
}

double ShareOfNode(const model::Pod& pod, const model::Node& node) {
  double share = 0;
  for (const auto& [name, quantity] : pod.EffectiveRequests()) {
    const int64_t allocatable = node.allocatable.Get(name).milli();
    if (allocatable <= 0 || quantity.milli() <= 0) continue;
    share = std::max(share, static_cast<double>(quantity.milli()) / static_cast<double>(allocatable));
  }
  return std::min(share, 1.0);
}

double LostWorkUsd(const ports::PodInfo& pod, const model::Node& node, double price_per_hour, model::Duration now) {
  const double hours = LostWorkHours(pod, now);
  return hours > 0 ? hours * ShareOfNode(pod.pod, node) * price_per_hour : 0;
}

}  // namespace adze::controllers::disruption
