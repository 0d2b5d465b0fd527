#include "controllers/disruption/lost_work.h"

#include <algorithm>
#include <string_view>

#include "model/labels.h"
#include "model/resource_list.h"

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
  auto take = [&](std::string_view name, int64_t requested_milli) {
    const int64_t allocatable = node.allocatable.Get(name).milli();
    if (allocatable <= 0 || requested_milli <= 0) return;
    share = std::max(share, static_cast<double>(requested_milli) / static_cast<double>(allocatable));
  };
  // This runs for every pod of every candidate in every disruption pass: the
  // common pod (one container, nothing else) is read in place, not copied
  // into its effective requests.
  if (pod.init_containers.empty() && pod.containers.size() == 1 && pod.overhead.empty()) {
    for (const auto& [name, quantity] : pod.containers.front().requests) {
      if (name != model::resource::kPods) take(name, quantity.milli());
    }
    take(model::resource::kPods, model::Quantity::FromUnits(1).milli());
  } else {
    for (const auto& [name, quantity] : pod.EffectiveRequests()) take(name, quantity.milli());
  }
  return std::min(share, 1.0);
}

double LostWorkUsd(const ports::PodInfo& pod, const model::Node& node, double price_per_hour, model::Duration now) {
  const double hours = LostWorkHours(pod, now);
  return hours > 0 ? hours * ShareOfNode(pod.pod, node) * price_per_hour : 0;
}

}  // namespace adze::controllers::disruption
