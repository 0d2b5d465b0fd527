#include "scheduling/template.h"

#include <algorithm>

namespace adze::scheduling {

std::optional<double> CheapestCompatibleOffering(const catalog::InstanceType& type,
                                                 const model::Requirements& requirements) {
  const model::Requirement* zone = requirements.Find(model::label::kZone);
  const model::Requirement* capacity_type = requirements.Find(model::label::kCapacityType);
  std::optional<double> best;
  for (const catalog::Offering& o : type.offerings) {
    if (!o.available) continue;
    if (zone && !zone->Has(o.zone)) continue;
    if (capacity_type && !capacity_type->Has(o.capacity_type)) continue;
    if (!best || o.price_per_hour < *best) best = o.price_per_hour;
  }
  return best;
}

bool DaemonRunsOn(const model::DaemonSet& ds, const model::NodePool& pool,
                  const model::Requirements& node_requirements) {
  const model::Pod& pod = ds.pod_template;
  // NoSchedule/NoExecute taints must be tolerated; PreferNoSchedule is ignored (spec §2.3.2).
  if (model::FirstUntolerated(pool.taints, pod.tolerations)) return false;
  model::Requirements pod_reqs = model::Requirements::FromLabels(pod.node_selector);
  if (pod.required_node_affinity.empty()) return !node_requirements.Compatible(pod_reqs);
  // The DaemonSet's affinity terms are ORed: any compatible term will do.
  for (const model::Requirements& term : pod.required_node_affinity) {
    model::Requirements r = pod_reqs;
    r.Add(term);
    if (!node_requirements.Compatible(r)) return true;
  }
  return false;
}

Template BuildTemplate(const model::NodePool& pool, const std::vector<catalog::InstanceType>& types,
                       const model::ResourceList& usage, const std::vector<model::DaemonSet>& daemon_sets,
                       const ResourceSpace& space) {
  Template t;
  t.pool = &pool;
  for (const model::Requirement& r : pool.requirements) t.requirements.Add(r);
  for (const auto& [k, v] : pool.template_labels) t.requirements.Add(model::Requirement::In(k, {v}));
  t.requirements.Add(model::Requirement::In(std::string(model::label::kNodePool), {pool.meta.name}));

  if (!pool.limits.empty()) {
    // Only limited resources count: usage of others must not become a negative limit.
    model::ResourceList remaining = pool.limits;
    for (const auto& [name, q] : pool.limits) remaining.Set(name, q - usage.Get(name));
    ResourceVector limits;
    // Resources the pool does not limit get an unreachable ceiling.
    for (size_t i = 0; i < kMaxResources; ++i) limits[i] = INT64_MAX / 4;
    for (size_t i = 0; i < space.size(); ++i) {
      if (remaining.Has(space.name(i))) limits[i] = remaining.Get(space.name(i)).milli();
    }
    t.remaining_limits = limits;
    if (pool.limits.Has("nodes") && remaining.Get("nodes").milli() < 1000) t.nodes_limit_reached = true;
  }

  std::vector<std::pair<double, TypeOption>> ranked;
  for (const catalog::InstanceType& type : types) {
    if (type.requirements.Intersects(t.requirements)) continue;
    model::Requirements node_reqs = type.requirements;
    node_reqs.Add(t.requirements);
    std::optional<double> price = CheapestCompatibleOffering(type, node_reqs);
    if (!price) continue;
    TypeOption opt;
    opt.type = &type;
    opt.capacity = space.ToVector(type.capacity);
    for (const model::DaemonSet& ds : daemon_sets) {
      if (DaemonRunsOn(ds, pool, node_reqs)) opt.daemon_overhead += space.ToVector(ds.pod_template.EffectiveRequests());
    }
    opt.allocatable = space.ToVector(type.Allocatable()) - opt.daemon_overhead;
    ranked.emplace_back(*price, opt);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.second.type->name < b.second.type->name;
  });
  for (auto& [price, opt] : ranked) t.types.push_back(opt);
  return t;
}

}  // namespace adze::scheduling
