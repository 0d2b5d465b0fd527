#include "sim/run_lower_bound.h"

#include <algorithm>

#include "scheduling/lower_bound.h"
#include "scheduling/pod_shape.h"
#include "scheduling/problem.h"
#include "scheduling/solver.h"

namespace adze::sim {

void RunLowerBound::Prime(const std::vector<model::NodePool>& pools) {
  primed_ = true;
  pools_.clear();
  for (const model::NodePool& pool : pools) {
    auto types = cloud_.GetInstanceTypes(pool);
    if (!types.ok()) continue;
    scheduling::PoolInput in;
    in.pool = pool;
    in.instance_types = std::move(types).value();
    pools_.push_back(std::move(in));
  }
}

size_t RunLowerBound::ShapeOf(const model::Pod& pod, const std::vector<model::NodePool>& pools,
                              const std::vector<model::DaemonSet>& daemon_sets) {
  if (auto it = shape_of_pod_.find(pod.meta.name); it != shape_of_pod_.end()) return it->second;
  const std::string key = scheduling::PodShapeKey(pod);
  auto [it, added] = shape_index_.emplace(key, terms_.size());
  if (added) {
    // The pod alone, against every pool and no node: the solver's bound for it.
    scheduling::SolverInput input;
    model::Pod alone = pod;
    alone.required_pod_affinity.clear();
    alone.required_pod_anti_affinity.clear();
    alone.topology_spread.clear();
    input.pods.push_back(std::move(alone));
    if (!primed_) Prime(pools);
    input.pools = pools_;
    input.daemon_sets = daemon_sets;
    const scheduling::SolverOptions options{.compute_lower_bound = false};
    const scheduling::Problem problem(input, options);
    terms_.push_back(scheduling::LowerBoundByResource(problem));
  }
  shape_of_pod_.emplace(pod.meta.name, it->second);
  return it->second;
}

void RunLowerBound::Sample(const std::vector<const model::Pod*>& pods, const std::vector<model::NodePool>& pools,
                           const std::vector<model::DaemonSet>& daemon_sets, model::Duration period) {
  std::vector<size_t> count(terms_.size(), 0);
  for (const model::Pod* pod : pods) {
    if (pod->OwnedByDaemonSet()) continue;
    const size_t shape = ShapeOf(*pod, pools, daemon_sets);
    if (shape >= count.size()) count.resize(shape + 1, 0);
    ++count[shape];
  }
  std::map<std::string, double> by_resource;
  for (size_t s = 0; s < count.size(); ++s) {
    if (count[s] == 0) continue;
    for (const auto& [name, per_pod] : terms_[s]) by_resource[name] += per_pod * static_cast<double>(count[s]);
  }
  last_per_hour_ = 0;
  for (const auto& [name, usd_per_hour] : by_resource) last_per_hour_ = std::max(last_per_hour_, usd_per_hour);
  usd_ += last_per_hour_ * static_cast<double>(period) / static_cast<double>(model::kHour);
}

}  // namespace adze::sim
