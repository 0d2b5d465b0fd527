#include "sim/kube_scheduler.h"

#include <algorithm>
#include <map>
#include <optional>

#include "model/taint.h"
#include "scheduling/solver.h"

namespace adze::sim {

namespace {

double CpuAllocatedFraction(const ports::NodeInfo& node) {
  const double allocatable = static_cast<double>(node.node.allocatable.Get(model::resource::kCpu).milli());
  if (allocatable <= 0) return 0;
  return static_cast<double>(node.requested.Get(model::resource::kCpu).milli()) / allocatable;
}

}  // namespace

void KubeScheduler::Bind(const std::string& pod, const std::string& node) {
  cluster_.BindPod(pod, node);
  kubelet_.StartPod(pod, node);
}

KubeScheduler::PassResult KubeScheduler::Pass() {
  PassResult result;
  std::vector<const ports::PodInfo*> pending = cluster_.PendingPods();
  const bool room_may_have_appeared = cluster_.capacity_generation() != seen_capacity_generation_;
  seen_capacity_generation_ = cluster_.capacity_generation();
  if (!room_may_have_appeared) {
    std::erase_if(pending, [](const ports::PodInfo* p) { return p->unschedulable; });
  }
  if (pending.empty()) return result;
  std::stable_sort(pending.begin(), pending.end(), [](const ports::PodInfo* a, const ports::PodInfo* b) {
    if (a->pod.priority != b->pod.priority) return a->pod.priority > b->pod.priority;
    return a->created_at < b->created_at;
  });
  std::vector<std::string> names;
  names.reserve(pending.size());
  for (const auto* p : pending) names.push_back(p->pod.meta.name);

  // Each schedulable node with its free capacity, computed when first
  // needed and updated as pods bind.
  struct Candidate {
    const ports::NodeInfo* node;
    std::optional<model::ResourceList> free;
  };
  std::vector<Candidate> candidates;
  for (const ports::NodeInfo* node : cluster_.SchedulableNodes()) candidates.push_back({node, std::nullopt});
  std::vector<std::string> constrained;
  for (const std::string& name : names) {
    const ports::PodInfo* pod = cluster_.GetPod(name);
    if (pod == nullptr) continue;
    if (pod->pod.HasInterPodConstraints()) {
      constrained.push_back(name);
      continue;
    }
    const model::ResourceList requests = pod->pod.EffectiveRequests();
    Candidate* best = nullptr;
    double best_score = -1;
    for (Candidate& c : candidates) {
      if (model::FirstUntolerated(c.node->node.taints, pod->pod.tolerations)) continue;
      if (!pod->pod.MatchesNodeLabels(c.node->node.meta.labels)) continue;
      if (!c.free) c.free = SimulatedCluster::Free(*c.node);
      if (!model::ResourceList::Fits(requests, *c.free)) continue;
      // The nominated node wins; otherwise the most allocated.
      const double score = c.node->node_claim == pod->nominated_node_claim ? 2.0 : CpuAllocatedFraction(*c.node);
      if (score > best_score) {
        best = &c;
        best_score = score;
      }
    }
    if (best != nullptr) {
      Bind(name, best->node->node.meta.name);
      best->free->Subtract(requests);
      ++result.bound;
    } else {
      cluster_.MarkUnschedulable(name);
      result.unschedulable.push_back(name);
    }
  }

  if (!constrained.empty()) {
    scheduling::SolverInput input;
    for (const ports::NodeInfo* node : cluster_.SchedulableNodes()) {
      scheduling::NodeInput in;
      in.node = node->node;
      for (const std::string& p : node->pods) {
        if (const ports::PodInfo* bound = cluster_.GetPod(p)) in.pods.push_back(bound->pod);
      }
      input.nodes.push_back(std::move(in));
    }
    for (const std::string& name : constrained) input.pods.push_back(cluster_.GetPod(name)->pod);
    const scheduling::Plan plan = scheduling::Solve(input);
    std::vector<bool> placed(constrained.size(), false);
    for (const auto& p : plan.placed) {
      Bind(constrained[p.pod], p.node);
      placed[p.pod] = true;
      ++result.bound;
    }
    for (size_t i = 0; i < constrained.size(); ++i) {
      if (placed[i]) continue;
      cluster_.MarkUnschedulable(constrained[i]);
      result.unschedulable.push_back(constrained[i]);
    }
  }
  return result;
}

}  // namespace adze::sim
