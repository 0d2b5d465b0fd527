#include "sim/baselines/node_group.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "model/labels.h"
#include "model/taint.h"

namespace adze::sim::baselines {
namespace {

namespace label = model::label;
namespace resource = model::resource;

catalog::CapacityOptions CapacityOptionsOf(const Scenario& s) {
  catalog::CapacityOptions o;
  o.prefix_delegation = s.cluster.prefix_delegation;
  o.region = s.region;
  o.zones = s.zones;
  return o;
}

const model::EC2NodeClass* NodeClassOf(const Scenario& s, const model::NodePool& pool) {
  for (const auto& nc : s.node_classes) {
    if (nc.meta.name == pool.node_class_ref.name) return &nc;
  }
  return nullptr;
}

// The labels a node of this type in this pool registers with.
model::Labels NodeLabels(const catalog::InstanceType& type, const model::NodePool& pool) {
  model::Labels labels = type.requirements.SingleValuedLabels();
  for (const auto& [k, v] : pool.template_labels) labels[k] = v;
  return labels;
}

// The workload pods whose templates the scenario names (traces have none).
std::vector<const model::Pod*> WorkloadPods(const Scenario& s) {
  std::vector<const model::Pod*> pods;
  for (const auto& j : s.training_jobs) pods.push_back(&j.pod_template);
  for (const auto& i : s.inference_services) pods.push_back(&i.pod_template);
  for (const auto& b : s.batch_jobs) pods.push_back(&b.pod_template);
  return pods;
}

bool Lands(const model::Pod& pod, const catalog::InstanceType& type, const model::NodePool& pool) {
  if (model::FirstUntolerated(pool.taints, pod.tolerations)) return false;
  return pod.MatchesNodeLabels(NodeLabels(type, pool));
}

bool Holds(const catalog::InstanceType& type, const model::Pod& pod) {
  return model::ResourceList::Fits(pod.EffectiveRequests(), type.Allocatable());
}

double Price(const catalog::InstanceType& t, const std::string& capacity_type) {
  return t.CheapestPrice(capacity_type).value_or(1e18);
}

// max_size from the pool's limits on the resource the group's nodes carry.
int32_t MaxSize(const model::NodePool& pool, const catalog::InstanceType& t) {
  constexpr int32_t kDefaultMax = 100;  // assumption: a team's usual ASG max
  const int64_t gpus = t.info->gpu_count;
  if (gpus > 0 && pool.limits.Has(resource::kNvidiaGpu)) {
    return static_cast<int32_t>(std::max<int64_t>(1, pool.limits.Get(resource::kNvidiaGpu).Value() / gpus));
  }
  if (pool.limits.Has(resource::kCpu) && t.info->vcpu > 0) {
    return static_cast<int32_t>(std::max<int64_t>(1, pool.limits.Get(resource::kCpu).Value() / t.info->vcpu));
  }
  return kDefaultMax;
}

std::vector<std::string> CapacityTypes(const model::NodePool& pool) {
  const model::Requirement r = pool.NodeRequirements().Get(label::kCapacityType);
  std::vector<std::string> out;
  // Spot first: the group a team would scale first.
  for (std::string_view ct : {label::kCapacityTypeSpot, label::kCapacityTypeOnDemand}) {
    if (r.Has(std::string(ct))) out.emplace_back(ct);
  }
  return out;
}

}  // namespace

std::vector<NodeGroup> DeriveNodeGroups(const Scenario& scenario, const catalog::Catalog& catalog,
                                        std::vector<std::string>* notes) {
  std::vector<NodeGroup> groups;
  const std::vector<const model::Pod*> pods = WorkloadPods(scenario);
  for (const model::NodePool& pool : scenario.node_pools) {
    const model::EC2NodeClass* nc = NodeClassOf(scenario, pool);
    if (nc == nullptr) continue;
    const std::vector<std::string> capacity_types = CapacityTypes(pool);
    if (capacity_types.empty()) continue;
    const std::string& ct = capacity_types.front();
    const model::Requirements pool_reqs = pool.NodeRequirements();
    std::vector<catalog::InstanceType> admitted;
    for (catalog::InstanceType& t : catalog::ResolveInstanceTypes(catalog, *nc, CapacityOptionsOf(scenario))) {
      if (pool_reqs.Intersects(t.requirements)) continue;
      if (!t.HasAvailableOffering(ct)) continue;
      admitted.push_back(std::move(t));
    }
    auto add = [&](std::vector<const catalog::InstanceType*> types, const std::string& suffix, const std::string& why) {
      for (size_t i = 0; i < capacity_types.size(); ++i) {
        NodeGroup g;
        g.name = pool.meta.name + "-" + suffix + (capacity_types.size() > 1 ? "-" + capacity_types[i] : "");
        for (const auto* t : types) {
          if (t->HasAvailableOffering(capacity_types[i])) g.instance_types.push_back(t->name);
        }
        if (g.instance_types.empty()) continue;
        g.capacity_type = capacity_types[i];
        g.max_size = MaxSize(pool, *types.front());
        g.pool = pool;
        // Spot before on-demand under the priority expander; pool weight first.
        g.priority = pool.weight * 10 + (capacity_types[i] == label::kCapacityTypeSpot ? 1 : 0);
        if (notes != nullptr) {
          notes->push_back(fmt::format("{}: {} {} (max {}) from NodePool {}: {}", g.name, fmt::join(g.instance_types, ","),
                                       g.capacity_type, g.max_size, pool.meta.name, why));
        }
        groups.push_back(std::move(g));
      }
    };

    // GPU shapes: (GPU model, GPU count).
    std::map<std::pair<std::string, int32_t>, std::vector<const catalog::InstanceType*>> shapes;
    std::vector<const catalog::InstanceType*> cpu_types;
    for (const auto& t : admitted) {
      if (t.info->gpu_count > 0) {
        shapes[{t.info->gpu_name, t.info->gpu_count}].push_back(&t);
      } else if (t.info->gpu_name.empty()) {
        cpu_types.push_back(&t);
      }
    }
    for (auto& [shape, types] : shapes) {
      std::sort(types.begin(), types.end(), [&](const auto* a, const auto* b) {
        return std::pair(Price(*a, ct), a->name) < std::pair(Price(*b, ct), b->name);
      });
      // Pods aimed at this shape: they land on one of its types.
      std::vector<const model::Pod*> aimed;
      for (const model::Pod* p : pods) {
        if (p->EffectiveRequests().Get(resource::kNvidiaGpu).Value() <= 0) continue;
        if (std::any_of(types.begin(), types.end(), [&](const auto* t) { return Lands(*p, *t, pool); })) {
          aimed.push_back(p);
        }
      }
      const catalog::InstanceType* pick = types.front();
      std::string why = fmt::format("the cheapest {} × {} type", shape.second, shape.first);
      if (!aimed.empty()) {
        for (const auto* t : types) {
          if (std::all_of(aimed.begin(), aimed.end(), [&](const model::Pod* p) { return !Lands(*p, *t, pool) || Holds(*t, *p); }) &&
              std::any_of(aimed.begin(), aimed.end(), [&](const model::Pod* p) { return Lands(*p, *t, pool) && Holds(*t, *p); })) {
            pick = t;
            why += " that holds the workload's pods";
            break;
          }
        }
      }
      add({pick}, fmt::format("{}x{}", shape.first, shape.second), why);
    }

    if (!cpu_types.empty()) {
      // The largest CPU-only pod that lands in this pool.
      model::ResourceList largest;
      for (const model::Pod* p : pods) {
        if (p->EffectiveRequests().Get(resource::kNvidiaGpu).Value() > 0) continue;
        if (!std::any_of(cpu_types.begin(), cpu_types.end(), [&](const auto* t) { return Lands(*p, *t, pool); })) continue;
        model::ResourceList r = p->EffectiveRequests();
        if (r.Get(resource::kCpu).milli() > largest.Get(resource::kCpu).milli()) largest = r;
      }
      // The smallest (vCPU, memory) shape offered by at least kMixedTypes
      // admitted types that holds four of the largest CPU pod: a node shared
      // by several pods, with a few types to fall back on (as a team writes
      // a mixed-instances policy); else the shape with the most types.
      constexpr size_t kMixedTypes = 3;
      std::map<std::pair<int32_t, int64_t>, std::vector<const catalog::InstanceType*>> by_shape;
      const model::ResourceList four = largest.Times(4);
      for (const auto* t : cpu_types) {
        if (model::ResourceList::Fits(four, t->Allocatable())) by_shape[{t->info->vcpu, t->info->memory_mib}].push_back(t);
      }
      const std::vector<const catalog::InstanceType*>* best = nullptr;
      for (const auto& [shape, types] : by_shape) {  // ascending: the smallest qualifying shape wins
        if (types.size() >= kMixedTypes) {
          best = &types;
          break;
        }
      }
      for (const auto& [shape, types] : by_shape) {
        if (best == nullptr || (best->size() < kMixedTypes && types.size() > best->size())) best = &types;
      }
      if (best != nullptr) {
        std::vector<const catalog::InstanceType*> types = *best;
        std::sort(types.begin(), types.end(), [&](const auto* a, const auto* b) {
          return std::pair(Price(*a, ct), a->name) < std::pair(Price(*b, ct), b->name);
        });
        if (types.size() > 20) types.resize(20);  // a short override list, as teams write them
        add(types, fmt::format("cpu-{}x{}g", types.front()->info->vcpu, types.front()->info->memory_mib / 1024),
            "the smallest vCPU × memory shape of 3+ admitted types that holds four of the largest CPU pod");
      }
    }
  }
  return groups;
}

std::vector<NodeGroup> NodeGroupsFor(const Scenario& scenario, const catalog::Catalog& catalog,
                                     std::vector<std::string>* notes) {
  const auto& specs = scenario.baselines.cluster_autoscaler.node_groups;
  if (specs.empty()) {
    if (notes != nullptr) notes->push_back("node groups derived from the NodePools (no baselines.clusterAutoscaler.nodeGroups):");
    return DeriveNodeGroups(scenario, catalog, notes);
  }
  if (notes != nullptr) notes->push_back("node groups from the scenario's baselines.clusterAutoscaler.nodeGroups:");
  std::vector<NodeGroup> groups;
  for (const NodeGroupSpec& spec : specs) {
    NodeGroup g;
    g.name = spec.name;
    g.instance_types = spec.instance_types;
    g.capacity_type = spec.capacity_type;
    g.min_size = spec.min_size;
    g.max_size = spec.max_size;
    g.priority = spec.priority;
    for (const auto& pool : scenario.node_pools) {
      if (pool.meta.name == spec.node_pool) g.pool = pool;
    }
    if (notes != nullptr) {
      notes->push_back(fmt::format("{}: {} {} ({}..{}) with NodePool {}'s labels and taints", g.name,
                                   fmt::join(g.instance_types, ","), g.capacity_type, g.min_size, g.max_size,
                                   spec.node_pool));
    }
    groups.push_back(std::move(g));
  }
  return groups;
}

std::vector<catalog::InstanceType> ResolveGroupTypes(const NodeGroup& group, const Scenario& scenario,
                                                     const catalog::Catalog& catalog) {
  std::vector<catalog::InstanceType> out;
  const model::EC2NodeClass* nc = NodeClassOf(scenario, group.pool);
  if (nc == nullptr) return out;
  for (const std::string& name : group.instance_types) {
    const catalog::InstanceTypeInfo* info = catalog.Find(name);
    if (info != nullptr) out.push_back(catalog::ResolveInstanceType(*info, *nc, CapacityOptionsOf(scenario)));
  }
  return out;
}

std::string DescribeNodeGroups(const std::vector<NodeGroup>& groups) {
  std::string out;
  for (const auto& g : groups) {
    out += fmt::format("  {}  {}  {}  {}..{}\n", g.name, fmt::join(g.instance_types, ","), g.capacity_type, g.min_size,
                       g.max_size);
  }
  return out;
}

}  // namespace adze::sim::baselines
