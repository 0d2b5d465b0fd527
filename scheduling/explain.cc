// Explain: for one pod, the first constraint that rules out each NodePool and
// each of its instance types, in the order the solver checks them.
#include <algorithm>

#include "scheduling/prepared_pod.h"
#include "scheduling/solver.h"
#include "scheduling/template.h"

namespace adze::scheduling {
namespace {

std::string Shortfall(const model::ResourceList& need, const model::ResourceList& have) {
  for (const auto& [name, q] : need) {
    if (q.milli() > 0 && q > have.Get(name)) {
      std::string h = have.Has(name) ? have.Get(name).ToString() : "0";
      return "needs " + q.ToString() + " " + name + ", type has " + h + " allocatable";
    }
  }
  return "";
}

std::string OfferingGap(const catalog::InstanceType& type, const model::Requirements& reqs) {
  const model::Requirement zone = reqs.Get(model::label::kZone);
  const model::Requirement ct = reqs.Get(model::label::kCapacityType);
  bool any_available = false;
  for (const catalog::Offering& o : type.offerings) any_available |= o.available;
  if (!any_available) return "no available offering (unpriced, or marked unavailable)";
  return "no available offering for " + zone.ToString() + " and " + ct.ToString();
}

}  // namespace

std::vector<Rejection> Explain(const SolverInput& input, size_t pod_index) {
  std::vector<Rejection> out;
  const model::Pod& pod = input.pods.at(pod_index);
  model::ResourceList requests = pod.EffectiveRequests();
  // The pod's own constraints, preferences left out.
  model::Requirements reqs = model::Requirements::FromLabels(pod.node_selector);
  if (!pod.required_node_affinity.empty()) reqs.Add(pod.required_node_affinity.front());

  std::vector<const PoolInput*> pools;
  for (const auto& p : input.pools) pools.push_back(&p);
  std::stable_sort(pools.begin(), pools.end(), [](const PoolInput* a, const PoolInput* b) {
    if (a->pool.weight != b->pool.weight) return a->pool.weight > b->pool.weight;
    return a->pool.meta.name > b->pool.meta.name;
  });
  for (const PoolInput* in : pools) {
    const model::NodePool& pool = in->pool;
    model::Requirements pool_reqs;
    for (const auto& r : pool.requirements) pool_reqs.Add(r);
    for (const auto& [k, v] : pool.template_labels) pool_reqs.Add(model::Requirement::In(k, {v}));
    pool_reqs.Add(model::Requirement::In(std::string(model::label::kNodePool), {pool.meta.name}));
    const std::string& name = pool.meta.name;
    if (auto taint = model::FirstUntolerated(pool.taints, pod.tolerations)) {
      out.push_back({name, "", "taints", "taint " + taint->ToString() + " not tolerated"});
      continue;
    }
    if (auto conflict = pool_reqs.Compatible(reqs)) {
      out.push_back({name, "", "requirements", *conflict});
      continue;
    }
    model::ResourceList remaining = pool.limits;
    remaining.Subtract(in->usage);
    if (pool.limits.Has("nodes") && remaining.Get("nodes").milli() < 1000) {
      out.push_back({name, "", "limits", "nodes limit reached"});
      continue;
    }
    for (const catalog::InstanceType& type : in->instance_types) {
      Rejection r{name, type.name, "", ""};
      model::Requirements node = type.requirements;
      node.Add(pool_reqs);
      if (auto conflict = type.requirements.Intersects(pool_reqs)) {
        r.constraint = "requirements";
        r.reason = "NodePool " + *conflict;
      } else if (auto pod_conflict = node.Compatible(reqs)) {
        r.constraint = "requirements";
        r.reason = *pod_conflict;
      } else {
        model::ResourceList alloc = type.Allocatable();
        for (const model::DaemonSet& ds : input.daemon_sets) {
          if (DaemonRunsOn(ds, pool, node)) alloc.Subtract(ds.pod_template.EffectiveRequests());
        }
        std::string gap = Shortfall(requests, alloc);
        model::Requirements all = node;
        all.Add(reqs);
        if (!gap.empty()) {
          r.constraint = "resources";
          r.reason = gap;
        } else if (!CheapestCompatibleOffering(type, all)) {
          r.constraint = "offerings";
          r.reason = OfferingGap(type, all);
        } else {
          for (const auto& [res, limit] : pool.limits) {
            if (res != "nodes" && type.capacity.Get(res) > remaining.Get(res)) {
              r.constraint = "limits";
              r.reason = "pool limit on " + res + " reached (" + remaining.Get(res).ToString() + " left, type has " +
                         type.capacity.Get(res).ToString() + ")";
              break;
            }
          }
        }
      }
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace adze::scheduling
