#include "sim/kube_scheduler.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "model/taint.h"
#include "scheduling/solver.h"

namespace adze::sim {

namespace {

// The resource names pending pods request, as a dense index: the pass
// compares milli-unit arrays instead of looking names up in sorted lists
// (string compares were most of a pass on thousands of nodes).
class DenseResources {
 public:
  // Names are kept sorted, as a ResourceList's are, so a list converts in one merge walk.
  void AddNames(const model::ResourceList& list) {
    for (const auto& [name, q] : list) {
      auto at = std::lower_bound(names_.begin(), names_.end(), name);
      if (at == names_.end() || *at != name) names_.insert(at, name);
    }
  }
  std::vector<int64_t> Of(const model::ResourceList& list) const {
    std::vector<int64_t> out(names_.size(), 0);
    Accumulate(list, +1, out);
    return out;
  }
  // allocatable minus requested, per name.
  std::vector<int64_t> Free(const ports::NodeInfo& node) const {
    std::vector<int64_t> out(names_.size(), 0);
    Accumulate(node.node.allocatable, +1, out);
    Accumulate(node.requested, -1, out);
    return out;
  }
  // ResourceList::Fits over the dense form: only positive requests count.
  static bool Fits(const std::vector<int64_t>& requests, const std::vector<int64_t>& free) {
    for (size_t i = 0; i < requests.size(); ++i) {
      if (requests[i] > 0 && requests[i] > free[i]) return false;
    }
    return true;
  }

 private:
  void Accumulate(const model::ResourceList& list, int64_t sign, std::vector<int64_t>& out) const {
    auto entry = list.begin();
    for (size_t i = 0; i < names_.size() && entry != list.end();) {
      const int order = entry->first.compare(names_[i]);
      if (order < 0) {
        ++entry;
      } else if (order > 0) {
        ++i;
      } else {
        out[i] += sign * entry->second.milli();
        ++entry;
        ++i;
      }
    }
  }

  std::vector<std::string> names_;
};

// Pods of one class pass the same node filters (taints, node selector,
// required node affinity) and ask for the same resources: the filters run
// once per class and node, and once one pod of the class fits nowhere, the
// later ones in the same pass (free room only shrinks) fit nowhere either.
struct PodClass {
  const model::Pod* representative = nullptr;
  std::vector<int64_t> requests;
  int64_t cpu_milli = 0;
  std::vector<size_t> eligible;  // candidate indexes that pass the filters
  bool filtered = false;
  bool exhausted = false;
};

bool SameClass(const model::Pod& a, const model::Pod& b) {
  return a.tolerations == b.tolerations && a.node_selector == b.node_selector &&
         a.required_node_affinity == b.required_node_affinity;
}

size_t HashOf(const std::vector<int64_t>& requests, const model::Pod& pod) {
  size_t h = pod.tolerations.size() * 1'000'003 + pod.node_selector.size() * 10'007 +
             pod.required_node_affinity.size();
  for (int64_t r : requests) h = h * 1'000'000'007 + std::hash<int64_t>{}(r);
  return h;
}

}  // namespace

const std::string* KubeScheduler::NominatedClaim(const ports::PodInfo& pod) const {
  return sees_nominations_ && !pod.nominated_node_claim.empty() ? &pod.nominated_node_claim : nullptr;
}

void KubeScheduler::Bind(const std::string& pod, const std::string& node) {
  cluster_.BindPod(pod, node);
  kubelet_.StartPod(pod, node);
}

KubeScheduler::PassResult KubeScheduler::Pass() {
  PassResult result;
  std::vector<const ports::PodInfo*> pending = cluster_.PendingPods();
  const auto by_priority_then_age = [](const ports::PodInfo* a, const ports::PodInfo* b) {
    if (a->pod.priority != b->pod.priority) return a->pod.priority > b->pod.priority;
    return a->created_at < b->created_at;
  };
  // Every pending pod nominated to a node holds room there, also those this
  // pass skips (kube-scheduler's nominator).
  std::vector<const ports::PodInfo*> nominated;
  for (const ports::PodInfo* p : pending) {
    if (NominatedClaim(*p) != nullptr && !p->pod.HasInterPodConstraints()) nominated.push_back(p);
  }
  std::stable_sort(nominated.begin(), nominated.end(), by_priority_then_age);
  const bool room_may_have_appeared = cluster_.capacity_generation() != seen_capacity_generation_;
  seen_capacity_generation_ = cluster_.capacity_generation();
  if (!room_may_have_appeared) {
    std::erase_if(pending, [](const ports::PodInfo* p) { return p->unschedulable; });
  }
  if (pending.empty()) return result;
  std::stable_sort(pending.begin(), pending.end(), by_priority_then_age);
  std::vector<std::string> names;
  names.reserve(pending.size());
  for (const auto* p : pending) names.push_back(p->pod.meta.name);

  DenseResources space;
  std::vector<model::ResourceList> requests(pending.size());
  for (size_t i = 0; i < pending.size(); ++i) {
    if (pending[i]->pod.HasInterPodConstraints()) continue;
    requests[i] = pending[i]->pod.EffectiveRequests();
    space.AddNames(requests[i]);
  }
  std::vector<model::ResourceList> nominated_requests;
  for (const ports::PodInfo* p : nominated) space.AddNames(nominated_requests.emplace_back(p->pod.EffectiveRequests()));
  // Each schedulable node with its free capacity and CPU allocation,
  // computed when first needed (most nodes of a big cluster never are) and
  // updated as pods bind.
  struct Candidate {
    const ports::NodeInfo* node;
    std::optional<std::vector<int64_t>> free;
    int64_t cpu_allocatable = 0;
    int64_t cpu_requested = 0;
  };
  std::vector<Candidate> candidates;
  for (const ports::NodeInfo* node : cluster_.SchedulableNodes()) candidates.push_back({node, std::nullopt});
  // Room held by nominations, per candidate (empty: none), from the
  // priority level of the pod being placed on (pods are placed highest
  // priority first, so levels only open up).
  std::unordered_map<std::string_view, size_t> candidate_of_claim;
  for (size_t k = 0; k < candidates.size() && !nominated.empty(); ++k) {
    if (!candidates[k].node->node_claim.empty()) candidate_of_claim.emplace(candidates[k].node->node_claim, k);
  }
  struct Hold {
    size_t candidate;
    std::vector<int64_t> requests;
    int32_t priority;
    bool held = false;
  };
  std::vector<Hold> holds;
  std::unordered_map<const ports::PodInfo*, size_t> hold_of;
  for (size_t h = 0; h < nominated.size(); ++h) {
    auto it = candidate_of_claim.find(*NominatedClaim(*nominated[h]));
    if (it == candidate_of_claim.end()) continue;  // not a node yet: nothing to hold
    hold_of.emplace(nominated[h], holds.size());
    holds.push_back({it->second, space.Of(nominated_requests[h]), nominated[h]->pod.priority});
  }
  std::vector<std::vector<int64_t>> held(candidates.size());
  auto take = [&](Hold& h, int64_t sign) {
    std::vector<int64_t>& room = held[h.candidate];
    if (room.empty()) room.assign(h.requests.size(), 0);
    for (size_t r = 0; r < h.requests.size(); ++r) room[r] += sign * h.requests[r];
    h.held = sign > 0;
  };
  size_t holds_taken = 0;
  auto fits = [&](const std::vector<int64_t>& want, Candidate& c, size_t k) {
    if (!c.free) {
      c.free = space.Free(*c.node);
      c.cpu_allocatable = c.node->node.allocatable.Get(model::resource::kCpu).milli();
      c.cpu_requested = c.node->requested.Get(model::resource::kCpu).milli();
    }
    if (held[k].empty()) return DenseResources::Fits(want, *c.free);
    for (size_t r = 0; r < want.size(); ++r) {
      if (want[r] > 0 && want[r] > (*c.free)[r] - held[k][r]) return false;
    }
    return true;
  };
  std::vector<PodClass> classes;
  std::unordered_multimap<size_t, size_t> class_index;
  auto class_of = [&](size_t i) -> PodClass& {
    const model::Pod& pod = pending[i]->pod;
    std::vector<int64_t> dense = space.Of(requests[i]);
    const size_t h = HashOf(dense, pod);
    for (auto [it, end] = class_index.equal_range(h); it != end; ++it) {
      PodClass& c = classes[it->second];
      if (c.requests == dense && SameClass(*c.representative, pod)) return c;
    }
    class_index.emplace(h, classes.size());
    PodClass& c = classes.emplace_back();
    c.representative = &pod;
    c.requests = std::move(dense);
    c.cpu_milli = requests[i].Get(model::resource::kCpu).milli();
    return c;
  };
  std::vector<std::string> constrained;
  for (size_t i = 0; i < pending.size(); ++i) {
    const std::string& name = names[i];
    const ports::PodInfo* pod = pending[i];
    if (pod->pod.HasInterPodConstraints()) {
      constrained.push_back(name);
      continue;
    }
    PodClass& cls = class_of(i);
    for (; holds_taken < holds.size() && holds[holds_taken].priority >= pod->pod.priority; ++holds_taken) {
      take(holds[holds_taken], +1);
    }
    Hold* own = nullptr;
    if (auto it = hold_of.find(pod); it != hold_of.end()) own = &holds[it->second];
    if (own != nullptr && own->held) take(*own, -1);  // its own room is its to use
    Candidate* best = nullptr;
    if (own != nullptr) {
      const ports::NodeInfo& node = *candidates[own->candidate].node;
      if (!model::FirstUntolerated(node.node.taints, pod->pod.tolerations) &&
          pod->pod.MatchesNodeLabels(node.node.meta.labels) &&
          fits(cls.requests, candidates[own->candidate], own->candidate)) {
        best = &candidates[own->candidate];
      }
    }
    if (best == nullptr && !cls.exhausted) {
      if (!cls.filtered) {
        for (size_t k = 0; k < candidates.size(); ++k) {
          const ports::NodeInfo& node = *candidates[k].node;
          if (model::FirstUntolerated(node.node.taints, pod->pod.tolerations)) continue;
          if (!pod->pod.MatchesNodeLabels(node.node.meta.labels)) continue;
          cls.eligible.push_back(k);
        }
        cls.filtered = true;
      }
      double best_score = -1;
      for (size_t k : cls.eligible) {
        Candidate& c = candidates[k];
        if (!fits(cls.requests, c, k)) continue;
        // The most allocated (by CPU); the nominated node was tried first.
        const double score = c.cpu_allocatable <= 0 ? 0.0
                                                    : static_cast<double>(c.cpu_requested) /
                                                          static_cast<double>(c.cpu_allocatable);
        if (score > best_score) {
          best = &c;
          best_score = score;
        }
      }
    }
    if (best != nullptr) {
      Bind(name, best->node->node.meta.name);
      for (size_t r = 0; r < cls.requests.size(); ++r) (*best->free)[r] -= cls.requests[r];
      best->cpu_requested += cls.cpu_milli;
      ++result.bound;
    } else {
      if (own != nullptr) take(*own, +1);  // still nominated: it keeps its room
      cls.exhausted = true;
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
