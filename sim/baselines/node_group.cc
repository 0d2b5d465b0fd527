#include "sim/baselines/node_group.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "model/labels.h"
#include "sim/alibaba_trace.h"
#include "sim/embedded_trace.h"
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

// The workload's pod shapes: the templates the scenario names, and one pod
// per distinct task shape of its traces (what a team sizing node groups
// would look at). Unreadable traces add nothing (the run reports them).
std::vector<model::Pod> WorkloadPodShapes(const Scenario& s) {
  std::vector<model::Pod> pods;
  for (const auto& j : s.training_jobs) pods.push_back(j.pod_template);
  for (const auto& i : s.inference_services) pods.push_back(i.pod_template);
  for (const auto& b : s.batch_jobs) pods.push_back(b.pod_template);
  for (const TraceReplay& replay : s.traces) {
    auto tasks = replay.path.empty() ? ParseAlibabaPodList(EmbeddedDefaultTraceCsv(), kEmbeddedDefaultTraceName)
                                     : LoadAlibabaPodList(replay.path);
    if (!tasks.ok()) continue;
    if (replay.limit && static_cast<int64_t>(tasks->size()) > *replay.limit) tasks->resize(*replay.limit);
    std::set<std::string> seen;
    for (const AlibabaTask& t : *tasks) {
      const std::string key = fmt::format("{}/{}/{}/{}/{}", t.cpu_milli, t.memory_mib, t.num_gpu, t.gpu_milli,
                                          fmt::join(t.gpu_spec, "|"));
      if (!seen.insert(key).second) continue;
      model::Pod pod = ToPod(t);
      for (const auto& tol : replay.tolerations) pod.tolerations.push_back(tol);
      pods.push_back(std::move(pod));
    }
  }
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
  const std::vector<model::Pod> pod_shapes = WorkloadPodShapes(scenario);
  std::vector<const model::Pod*> pods;
  for (const auto& p : pod_shapes) pods.push_back(&p);
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
        // The cheapest type that holds every pod aimed at it; else the one
        // holding the most (the rest never run under CA: said in the note).
        size_t best_held = 0;
        size_t best_aimed = 0;
        for (const auto* t : types) {
          size_t held = 0, landing = 0;
          for (const model::Pod* p : aimed) {
            if (!Lands(*p, *t, pool)) continue;
            ++landing;
            held += Holds(*t, *p);
          }
          if (held > best_held) {
            best_held = held;
            best_aimed = landing;
            pick = t;
          }
          if (held == landing && held > 0) break;  // types are by price: the cheapest that holds all
        }
        if (best_held > 0) {
          why += best_held == best_aimed ? " that holds the workload's pods"
                                         : fmt::format(" that holds the most of the workload's pod shapes ({} of {})",
                                                       best_held, best_aimed);
        }
      }
      add({pick}, fmt::format("{}x{}", shape.first, shape.second), why);
    }

    if (!cpu_types.empty()) {
      // The CPU-only pods that land in this pool: the largest must fit, and
      // four of the 90th-percentile one (by CPU) share a node.
      std::vector<model::ResourceList> cpu_pods;
      for (const model::Pod* p : pods) {
        if (p->EffectiveRequests().Get(resource::kNvidiaGpu).Value() > 0) continue;
        if (!std::any_of(cpu_types.begin(), cpu_types.end(), [&](const auto* t) { return Lands(*p, *t, pool); })) continue;
        cpu_pods.push_back(p->EffectiveRequests());
      }
      std::sort(cpu_pods.begin(), cpu_pods.end(), [](const auto& a, const auto& b) {
        return a.Get(resource::kCpu).milli() < b.Get(resource::kCpu).milli();
      });
      model::ResourceList largest, p90;
      for (const auto& r : cpu_pods) largest = model::ResourceList::Max(largest, r);
      if (!cpu_pods.empty()) p90 = cpu_pods[std::min(cpu_pods.size() - 1, cpu_pods.size() * 9 / 10)];
      // The smallest (vCPU, memory) shape offered by at least kMixedTypes
      // admitted types that holds four of the largest CPU pod: a node shared
      // by several pods, with a few types to fall back on (as a team writes
      // a mixed-instances policy); else the shape with the most types.
      constexpr size_t kMixedTypes = 3;
      std::map<std::pair<int32_t, int64_t>, std::vector<const catalog::InstanceType*>> by_shape;
      const model::ResourceList four = model::ResourceList::Max(largest, p90.Times(4));
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
            "the smallest vCPU × memory shape of 3+ admitted types that holds the largest CPU pod and four of the 90th-percentile one");
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
