#include "sim/baselines/cluster_autoscaler.h"

#include <algorithm>
#include <limits>

#include "model/labels.h"
#include "model/taint.h"
#include "sim/simulated_cluster.h"

namespace adze::sim::baselines {
namespace {

namespace resource = model::resource;

double Ratio(const model::Quantity& used, const model::Quantity& total) {
  return total.milli() > 0 ? static_cast<double>(used.milli()) / static_cast<double>(total.milli()) : 0;
}

bool IsGpuNode(const ports::NodeInfo& node) { return node.node.capacity.Get(resource::kNvidiaGpu).milli() > 0; }

bool PodFitsNode(const model::Pod& pod, const model::Labels& labels, const std::vector<model::Taint>& taints,
                 const model::ResourceList& free) {
  if (model::FirstUntolerated(taints, pod.tolerations)) return false;
  if (!pod.MatchesNodeLabels(labels)) return false;
  return model::ResourceList::Fits(pod.EffectiveRequests(), free);
}

}  // namespace

std::optional<Expander> ParseExpander(std::string_view name) {
  if (name == "least-waste") return Expander::kLeastWaste;
  if (name == "price") return Expander::kPrice;
  if (name == "priority") return Expander::kPriority;
  if (name == "random") return Expander::kRandom;
  if (name == "most-pods") return Expander::kMostPods;
  return std::nullopt;
}

std::string_view ExpanderName(Expander e) {
  switch (e) {
    case Expander::kLeastWaste: return "least-waste";
    case Expander::kPrice: return "price";
    case Expander::kPriority: return "priority";
    case Expander::kRandom: return "random";
    case Expander::kMostPods: return "most-pods";
  }
  return "?";
}

ClusterAutoscalerOptions OptionsFor(const ClusterAutoscalerSpec& spec) {
  ClusterAutoscalerOptions o;
  o.scan_interval = spec.scan_interval;
  o.expander = ParseExpander(spec.expander).value_or(Expander::kLeastWaste);
  o.scale_down_utilization_threshold = spec.scale_down_utilization_threshold;
  o.scale_down_gpu_utilization_threshold = spec.scale_down_gpu_utilization_threshold;
  o.scale_down_unneeded_time = spec.scale_down_unneeded_time;
  o.scale_down_delay_after_add = spec.scale_down_delay_after_add;
  o.max_scale_down_parallelism = spec.max_scale_down_parallelism;
  o.skip_nodes_with_local_storage = spec.skip_nodes_with_local_storage;
  o.skip_nodes_with_system_pods = spec.skip_nodes_with_system_pods;
  o.max_node_provision_time = spec.max_node_provision_time;
  o.asg.launch_latency = spec.asg_launch_latency;
  o.asg.capacity_rebalance = spec.capacity_rebalance;
  o.asg.max_graceful_termination = spec.max_graceful_termination;
  return o;
}

ClusterAutoscaler::ClusterAutoscaler(const AutoscalerWorld& world, std::vector<NodeGroup> groups,
                                     ClusterAutoscalerOptions options, std::shared_ptr<ClusterAutoscalerStats> stats)
    : world_(world),
      options_(options),
      asgs_(world, groups, options.asg),
      stats_(std::move(stats)),
      random_(world.scenario.seed, "baselines/cluster-autoscaler"),
      backoff_until_(asgs_.groups().size(), 0),
      backoff_(asgs_.groups().size(), 0) {
  if (stats_) {
    stats_->groups = asgs_.groups();
    stats_->peak_nodes.assign(asgs_.groups().size(), 0);
    stats_->node_seconds.assign(asgs_.groups().size(), 0);
  }
  asgs_.on_launch_failed = [this](size_t g) {
    backoff_[g] = backoff_[g] == 0 ? options_.initial_backoff : std::min(2 * backoff_[g], options_.max_backoff);
    backoff_until_[g] = world_.clock.Now() + backoff_[g];
    world_.record({{"type", "node_group_backoff"}, {"group", asgs_.groups()[g].name}});
  };
  // Groups start at their min size.
  for (size_t g = 0; g < asgs_.groups().size(); ++g) {
    for (int32_t i = 0; i < asgs_.groups()[g].min_size; ++i) asgs_.Launch(g, "min_size");
  }
}

void ClusterAutoscaler::OnUnschedulable(const std::vector<std::string>& /*pods*/) {
  // CA does not react to events: it reads the unschedulable pods every scan.
}

void ClusterAutoscaler::Tick() {
  asgs_.Tick();
  const ports::Time now = world_.clock.Now();
  if (now < next_scan_) return;
  next_scan_ = now + options_.scan_interval;
  Scan();
}

void ClusterAutoscaler::Scan() {
  if (stats_) {
    for (size_t g = 0; g < asgs_.groups().size(); ++g) {
      const int32_t n = asgs_.Size(g);
      stats_->peak_nodes[g] = std::max(stats_->peak_nodes[g], n);
      stats_->node_seconds[g] += static_cast<double>(n) * static_cast<double>(options_.scan_interval) / model::kSecond;
    }
    stats_->observed += options_.scan_interval;
  }
  RemoveStuck();
  ScaleUp();
  ScaleDown();
}

void ClusterAutoscaler::RemoveStuck() {
  const ports::Time now = world_.clock.Now();
  std::vector<std::pair<std::string, size_t>> stuck;
  for (const auto& [name, m] : asgs_.members()) {
    if (m.draining || now - m.created < options_.max_node_provision_time) continue;
    const ports::NodeClaimInfo* claim = world_.cluster.GetNodeClaim(name);
    const ports::NodeInfo* node = claim == nullptr ? nullptr : world_.cluster.GetNode(claim->claim.node_name);
    if (node == nullptr || !node->node.ready) stuck.emplace_back(name, m.group);
  }
  for (const auto& [name, g] : stuck) {
    asgs_.Drain(name, "max_node_provision_time");
    asgs_.on_launch_failed(g);
  }
}

bool ClusterAutoscaler::Fits(const ports::PodInfo& pod, size_t g) const {
  return PodFitsNode(pod.pod, asgs_.TemplateLabels(g), asgs_.groups()[g].pool.taints, asgs_.TemplateAllocatable(g));
}

void ClusterAutoscaler::ScaleUp() {
  std::vector<const ports::PodInfo*> pending;
  for (const ports::PodInfo* p : world_.cluster.PendingPods()) {
    if (p->unschedulable) pending.push_back(p);
  }
  if (pending.empty()) return;
  // Largest first (first-fit decreasing, CA's binpacking estimator), then name.
  auto size = [](const ports::PodInfo* p) {
    const model::ResourceList r = p->pod.EffectiveRequests();
    return std::tuple(r.Get(resource::kNvidiaGpu).milli(), r.Get(resource::kCpu).milli(), r.Get(resource::kMemory).milli());
  };
  std::sort(pending.begin(), pending.end(), [&](const auto* a, const auto* b) {
    if (size(a) != size(b)) return size(a) > size(b);
    return a->pod.meta.name < b->pod.meta.name;
  });

  // Pods that fit on a Ready node (the scheduler has not bound them yet) or
  // on a node still coming up wait for it (CA's "filter out schedulable").
  struct Bin {
    const model::Labels* labels;
    const std::vector<model::Taint>* taints;
    model::ResourceList free;
  };
  std::vector<Bin> bins;
  for (const ports::NodeInfo* n : world_.cluster.SchedulableNodes()) {
    bins.push_back(Bin{&n->node.meta.labels, &n->node.taints, SimulatedCluster::Free(*n)});
  }
  for (const auto& [name, m] : asgs_.members()) {
    if (m.draining) continue;
    const ports::NodeClaimInfo* claim = world_.cluster.GetNodeClaim(name);
    const ports::NodeInfo* node = claim == nullptr ? nullptr : world_.cluster.GetNode(claim->claim.node_name);
    if (node != nullptr && node->node.ready &&
        (!IsGpuNode(*node) || node->node.allocatable.Get(resource::kNvidiaGpu).milli() > 0)) {
      continue;  // counted above
    }
    bins.push_back(Bin{&asgs_.TemplateLabels(m.group), &asgs_.groups()[m.group].pool.taints,
                       asgs_.TemplateAllocatable(m.group)});
  }
  std::vector<const ports::PodInfo*> rest;
  for (const ports::PodInfo* p : pending) {
    bool placed = false;
    for (Bin& b : bins) {
      if (PodFitsNode(p->pod, *b.labels, *b.taints, b.free)) {
        b.free.Subtract(p->pod.EffectiveRequests());
        placed = true;
        break;
      }
    }
    if (!placed) rest.push_back(p);
  }
  if (rest.empty()) return;

  const ports::Time now = world_.clock.Now();
  std::vector<Option> options;
  for (size_t g = 0; g < asgs_.groups().size(); ++g) {
    if (now < backoff_until_[g]) continue;
    const int32_t room = asgs_.groups()[g].max_size - asgs_.Size(g);
    if (room <= 0) continue;
    std::vector<model::ResourceList> nodes;
    Option o;
    o.group = g;
    for (const ports::PodInfo* p : rest) {
      if (!Fits(*p, g)) continue;
      const model::ResourceList req = p->pod.EffectiveRequests();
      bool placed = false;
      for (auto& free : nodes) {
        if (model::ResourceList::Fits(req, free)) {
          free.Subtract(req);
          placed = true;
          break;
        }
      }
      if (!placed) {
        if (static_cast<int32_t>(nodes.size()) >= room) continue;
        nodes.push_back(asgs_.TemplateAllocatable(g));
        nodes.back().Subtract(req);
      }
      ++o.pods;
    }
    if (o.pods == 0) continue;
    o.nodes = static_cast<int32_t>(nodes.size());
    const model::ResourceList& alloc = asgs_.TemplateAllocatable(g);
    double idle_cpu = 0, idle_mem = 0;
    for (const auto& free : nodes) {
      idle_cpu += Ratio(free.Get(resource::kCpu), alloc.Get(resource::kCpu));
      idle_mem += Ratio(free.Get(resource::kMemory), alloc.Get(resource::kMemory));
    }
    o.waste = (idle_cpu + idle_mem) / o.nodes;
    o.price = asgs_.TemplateType(g).CheapestPrice(asgs_.groups()[g].capacity_type).value_or(0) * o.nodes;
    options.push_back(o);
  }
  const Option* best = Pick(options);
  if (best == nullptr) return;
  for (int32_t i = 0; i < best->nodes; ++i) asgs_.Launch(best->group, "scale_up");
  world_.record({{"type", "ca_scale_up"},
                 {"group", asgs_.groups()[best->group].name},
                 {"nodes", best->nodes},
                 {"pods", best->pods},
                 {"expander", ExpanderName(options_.expander)}});
  last_scale_up_ = now;
}

const ClusterAutoscaler::Option* ClusterAutoscaler::Pick(const std::vector<Option>& options) {
  if (options.empty()) return nullptr;
  const Option* best = &options.front();
  auto better = [&](const Option& a, const Option& b) {  // a strictly better than b
    switch (options_.expander) {
      case Expander::kLeastWaste:
        if (a.waste != b.waste) return a.waste < b.waste;
        return a.pods > b.pods;
      case Expander::kPrice:
        return a.price / a.pods < b.price / b.pods;
      case Expander::kPriority:
        return asgs_.groups()[a.group].priority > asgs_.groups()[b.group].priority;
      case Expander::kMostPods:
        return a.pods > b.pods;
      case Expander::kRandom:
        return false;
    }
    return false;
  };
  if (options_.expander == Expander::kRandom) return &options[random_.Below(options.size())];
  for (const Option& o : options) {
    if (better(o, *best)) best = &o;
  }
  return best;
}

double ClusterAutoscaler::Utilization(const ports::NodeInfo& node) const {
  const model::ResourceList& a = node.node.allocatable;
  if (IsGpuNode(node)) {
    return Ratio(node.requested.Get(resource::kNvidiaGpu), node.node.capacity.Get(resource::kNvidiaGpu));
  }
  return std::max(Ratio(node.requested.Get(resource::kCpu), a.Get(resource::kCpu)),
                  Ratio(node.requested.Get(resource::kMemory), a.Get(resource::kMemory)));
}

bool ClusterAutoscaler::Movable(const ports::NodeInfo& node, std::map<std::string, model::ResourceList>& free) const {
  const ports::Time now = world_.clock.Now();
  std::map<std::string, model::ResourceList> trial = free;
  for (const std::string& name : node.pods) {
    const ports::PodInfo* p = world_.cluster.GetPod(name);
    if (p == nullptr || p->pod.OwnedByDaemonSet()) continue;
    const model::Pod& pod = p->pod;
    if (!pod.meta.owner) return false;  // not replicated: nothing would recreate it
    if (options_.skip_nodes_with_system_pods && pod.meta.namespace_ == "kube-system") return false;
    auto safe = pod.meta.annotations.find("cluster-autoscaler.kubernetes.io/safe-to-evict");
    if (safe != pod.meta.annotations.end() && safe->second == "false") return false;
    if (pod.DoNotDisruptActive(now)) return false;
    bool placed = false;
    for (auto& [other, room] : trial) {
      if (other == node.node.meta.name) continue;
      const ports::NodeInfo* o = world_.cluster.GetNode(other);
      if (o == nullptr || !PodFitsNode(pod, o->node.meta.labels, o->node.taints, room)) continue;
      room.Subtract(pod.EffectiveRequests());
      placed = true;
      break;
    }
    if (!placed) return false;
  }
  free = std::move(trial);
  return true;
}

void ClusterAutoscaler::ScaleDown() {
  const ports::Time now = world_.clock.Now();
  // Where moved pods could go: Ready nodes not being removed.
  std::map<std::string, model::ResourceList> free;
  std::map<std::string, std::pair<std::string, size_t>> asg_nodes;  // node → (claim, group)
  for (const auto& [claim_name, m] : asgs_.members()) {
    if (m.draining) continue;
    const ports::NodeClaimInfo* claim = world_.cluster.GetNodeClaim(claim_name);
    if (claim == nullptr || claim->claim.node_name.empty()) continue;
    asg_nodes[claim->claim.node_name] = {claim_name, m.group};
  }
  for (const ports::NodeInfo* n : world_.cluster.SchedulableNodes()) {
    free[n->node.meta.name] = SimulatedCluster::Free(*n);
  }
  const bool cooling_down = last_scale_up_ >= 0 && now - last_scale_up_ < options_.scale_down_delay_after_add;
  std::vector<int32_t> size(asgs_.groups().size());
  for (size_t g = 0; g < size.size(); ++g) size[g] = asgs_.Size(g);
  int32_t removed = 0;
  std::map<std::string, ports::Time> still_unneeded;
  for (const auto& [node_name, owner] : asg_nodes) {
    const ports::NodeInfo* node = world_.cluster.GetNode(node_name);
    if (node == nullptr || !node->node.ready || node->deleting) continue;
    const bool gpu = IsGpuNode(*node);
    const double threshold =
        gpu ? options_.scale_down_gpu_utilization_threshold : options_.scale_down_utilization_threshold;
    if (Utilization(*node) >= threshold) continue;
    std::map<std::string, model::ResourceList> trial = free;
    trial.erase(node_name);
    if (!Movable(*node, trial)) continue;
    auto since = unneeded_since_.find(node_name);
    const ports::Time first = since == unneeded_since_.end() ? now : since->second;
    still_unneeded[node_name] = first;
    if (cooling_down || now - first < options_.scale_down_unneeded_time) continue;
    if (removed >= options_.max_scale_down_parallelism) continue;
    if (size[owner.second] <= asgs_.groups()[owner.second].min_size) continue;
    free = std::move(trial);
    --size[owner.second];
    ++removed;
    still_unneeded.erase(node_name);
    world_.metrics.Add("adze_nodes_disrupted_total", 1, {{"reason", "ScaleDown"}});
    asgs_.Drain(owner.first, "scale_down");
  }
  unneeded_since_ = std::move(still_unneeded);
}

}  // namespace adze::sim::baselines
