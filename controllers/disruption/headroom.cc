#include "controllers/disruption/headroom.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "model/labels.h"

namespace adze::controllers::disruption {

size_t PoissonQuantile(double mean, double quantile, size_t cap) {
  if (mean <= 0) return 0;
  // Summed in log space from ten standard deviations below the mean (the
  // mass below is under 1e-20), so large means cost O(√mean) steps and
  // exp(−mean) never underflows the sum.
  size_t k = static_cast<size_t>(std::max(0.0, std::floor(mean - 10 * std::sqrt(mean))));
  if (k >= cap) return cap;
  double log_p = -mean + static_cast<double>(k) * std::log(mean) - std::lgamma(static_cast<double>(k) + 1);
  double cdf = std::exp(log_p);
  while (cdf < quantile && k < cap) {
    ++k;
    log_p += std::log(mean / static_cast<double>(k));
    cdf += std::exp(log_p);
  }
  return k;
}

bool KeepsHeadroom(const model::NodePool& pool, bool by_default) {
  auto it = pool.meta.annotations.find(model::label::kHeadroom);
  if (it == pool.meta.annotations.end()) return by_default;
  if (it->second == "true") return true;
  if (it->second == "false") return false;
  return by_default;  // anything else: the pool's validation reports it
}

namespace {

// Whether two pods' effective requests are equal because everything they are
// computed from is (containers' and init containers' requests, sidecar flags,
// overhead).
bool SameRequestInputs(const model::Pod& a, const model::Pod& b) {
  auto same = [](const std::vector<model::Container>& x, const std::vector<model::Container>& y) {
    return std::equal(x.begin(), x.end(), y.begin(), y.end(), [](const model::Container& p, const model::Container& q) {
      return p.restart_always == q.restart_always && p.requests == q.requests;
    });
  };
  return a.overhead == b.overhead && same(a.containers, b.containers) && same(a.init_containers, b.init_containers);
}

}  // namespace

void Headroom::Observe(const ports::ClusterSnapshot& cluster, model::Duration now) {
  for (const model::NodePool& pool : cluster.NodePools()) {
    PoolHistory& history = pools_[pool.meta.name];
    history.window = std::clamp(pool.consolidate_after.value_or(0), options_.min_window, options_.max_window);
    history.keeps = KeepsHeadroom(pool, options_.by_default);
  }
  for (const ports::NodeClaimInfo* claim : cluster.NodeClaims()) {
    if (!claim->initialized_at || *claim->initialized_at <= observed_until_ || *claim->initialized_at > now) continue;
    std::deque<model::Duration>& starts = pools_[claim->node_pool].cold_starts;
    starts.push_back(*claim->initialized_at - claim->created_at);
    if (starts.size() > options_.cold_starts_kept) starts.pop_front();
  }
  // Per pool: pods bound now, by shape, and those bound since the last call.
  struct Seen {
    size_t bound = 0;
    std::vector<Share> mix;  // a pool runs a handful of shapes: a linear search beats keying them
    std::vector<model::Duration> arrivals;
  };
  std::map<std::string, Seen> seen;
  // The share of the last pod seen: the next pod with the same requests in
  // the same pool (most pods, node after node) counts there without
  // recomputing its requests.
  const model::Pod* last_pod = nullptr;
  const Seen* last_pool = nullptr;
  size_t last_share = 0;
  for (const ports::NodeInfo* node : cluster.Nodes()) {
    const ports::NodeClaimInfo* claim = cluster.GetNodeClaim(node->node_claim);
    if (claim == nullptr) continue;
    Seen& pool = seen[claim->node_pool];
    for (const std::string& name : node->pods) {
      const ports::PodInfo* pod = cluster.GetPod(name);
      if (pod == nullptr || pod->pod.OwnedByDaemonSet()) continue;
      ++pool.bound;
      if (last_pool != &pool || last_pod == nullptr || !SameRequestInputs(*last_pod, pod->pod)) {
        model::ResourceList shape = pod->pod.EffectiveRequests();
        shape.Set(model::resource::kPods, model::Quantity::FromUnits(1));
        auto same = std::find_if(pool.mix.begin(), pool.mix.end(), [&](const Share& s) { return s.shape == shape; });
        if (same == pool.mix.end()) same = pool.mix.insert(pool.mix.end(), Share{std::move(shape), 0});
        last_share = static_cast<size_t>(same - pool.mix.begin());
        last_pool = &pool;
        last_pod = &pod->pod;
      }
      ++pool.mix[last_share].pods;
      if (pod->bound_at > observed_until_ && pod->bound_at <= now) pool.arrivals.push_back(pod->bound_at);
    }
  }
  // Biggest shapes first: first-fit places them best that way.
  auto size = [](const Share& s) {
    return std::make_pair(s.shape.Get(model::resource::kCpu), s.shape.Get(model::resource::kMemory));
  };
  for (auto& [name, history] : pools_) {
    Seen& pool = seen[name];
    std::sort(pool.arrivals.begin(), pool.arrivals.end());
    history.arrivals.insert(history.arrivals.end(), pool.arrivals.begin(), pool.arrivals.end());
    history.bound.emplace_back(now, pool.bound);
    history.mix = std::move(pool.mix);
    std::stable_sort(history.mix.begin(), history.mix.end(),
                     [&](const Share& a, const Share& b) { return size(a) > size(b); });
    const model::Duration since = now - history.window;
    // Keep the last sample before the window: it covers the window's start.
    while (history.bound.size() > 1 && history.bound[1].first <= since) history.bound.pop_front();
    while (!history.arrivals.empty() && history.arrivals.front() < since) history.arrivals.pop_front();
  }
  observed_until_ = now;
}

model::Duration Headroom::ColdStart(const PoolHistory& history) const {
  if (history.cold_starts.empty()) return options_.default_cold_start;
  std::vector<model::Duration> sorted(history.cold_starts.begin(), history.cold_starts.end());
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<ptrdiff_t>(sorted.size() / 2), sorted.end());
  return sorted[sorted.size() / 2];
}

// Time-weighted: observations come every few seconds while the cluster
// changes and minutes apart while it does not.
double Headroom::MeanBound(const PoolHistory& history, model::Duration now) const {
  const model::Duration since = std::max(now - history.window, history.bound.front().first);
  if (now <= since) return static_cast<double>(history.bound.back().second);
  double area = 0;
  for (size_t i = 0; i < history.bound.size(); ++i) {
    const model::Duration from = std::max(history.bound[i].first, since);
    const model::Duration to = i + 1 < history.bound.size() ? history.bound[i + 1].first : now;
    if (to > from) area += static_cast<double>(history.bound[i].second) * static_cast<double>(to - from);
  }
  return area / static_cast<double>(now - since);
}

size_t Headroom::MissingRoom(const std::string& pool, model::Duration now) const {
  auto it = pools_.find(pool);
  if (it == pools_.end()) return 0;
  const PoolHistory& history = it->second;
  if (!history.keeps) return 0;
  const auto arrivals = std::count_if(history.arrivals.begin(), history.arrivals.end(),
                                      [&](model::Duration at) { return at >= now - history.window; });
  if (arrivals == 0 || history.bound.empty()) return 0;
  // The rate runs over the span observed, never less than the minimum window,
  // so that a start-up burst does not read as a steady rate.
  const model::Duration span = std::min(history.window, std::max(options_.min_window, now - history.bound.front().first));
  const double during_cold_start =
      static_cast<double>(arrivals) / static_cast<double>(span) * static_cast<double>(ColdStart(history));
  const size_t now_bound = history.bound.back().second;
  const size_t wanted = PoissonQuantile(MeanBound(history, now) + during_cold_start, options_.quantile,
                                        now_bound + options_.max_pods);
  return wanted > now_bound ? wanted - now_bound : 0;
}

namespace {

// Free room on one of the pool's nodes, as Keep fills it.
struct Space {
  const Candidate* candidate = nullptr;  // null: the node is not up for disruption
  std::string claim;
  std::string node;
  model::ResourceList free;
};

// The pool's initialised, schedulable nodes not being disrupted. Room that
// costs nothing to keep comes first: nodes that stay anyway, then busy
// candidates (their spare room), then the cheapest empty ones.
std::vector<Space> SpacesOf(const ports::ClusterSnapshot& cluster, const std::string& pool,
                            const std::map<std::string, const Candidate*>& candidate_of) {
  std::vector<Space> spaces;
  for (const ports::NodeInfo* node : cluster.Nodes()) {
    const ports::NodeClaimInfo* claim = cluster.GetNodeClaim(node->node_claim);
    if (claim == nullptr || claim->node_pool != pool || !claim->initialized_at || claim->deletion_requested_at ||
        node->deleting || node->node.unschedulable) {
      continue;
    }
    const bool disrupting = std::any_of(node->node.taints.begin(), node->node.taints.end(),
                                        [](const model::Taint& t) { return t.key == kDisruptedTaintKey; });
    if (disrupting) continue;
    Space space{nullptr, claim->claim.meta.name, node->node.meta.name, node->node.allocatable};
    space.free.Subtract(node->requested);
    const int64_t pods_left =
        node->node.allocatable.Get(model::resource::kPods).Value() - static_cast<int64_t>(node->pods.size());
    space.free.Set(model::resource::kPods, model::Quantity::FromUnits(std::max<int64_t>(0, pods_left)));
    if (auto it = candidate_of.find(space.claim); it != candidate_of.end()) space.candidate = it->second;
    spaces.push_back(std::move(space));
  }
  auto key = [](const Space& s) {
    const int rank = s.candidate == nullptr ? 0 : (s.candidate->empty() ? 2 : 1);
    return std::make_tuple(rank, s.candidate ? s.candidate->price : 0.0, std::cref(s.claim));
  };
  std::stable_sort(spaces.begin(), spaces.end(), [&](const Space& a, const Space& b) { return key(a) < key(b); });
  return spaces;
}

// `total` pods split over shares in proportion to their pods; the largest
// remainders get the rounding.
std::vector<size_t> Apportion(size_t total, const std::vector<size_t>& weights) {
  size_t sum = 0;
  for (size_t w : weights) sum += w;
  std::vector<size_t> count(weights.size(), 0);
  if (sum == 0) return count;
  std::vector<std::pair<double, size_t>> remainders;
  size_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(total) * static_cast<double>(weights[i]) / static_cast<double>(sum);
    count[i] = static_cast<size_t>(exact);
    given += count[i];
    remainders.emplace_back(-(exact - static_cast<double>(count[i])), i);
  }
  std::stable_sort(remainders.begin(), remainders.end());
  for (size_t k = 0; given < total && k < remainders.size(); ++k, ++given) ++count[remainders[k].second];
  return count;
}

}  // namespace

Headroom::KeptRoom Headroom::Keep(const ports::ClusterSnapshot& cluster, const std::vector<Candidate>& candidates,
                                  model::Duration now) const {
  KeptRoom kept;
  std::map<std::string, const Candidate*> candidate_of;
  for (const Candidate& c : candidates) candidate_of[c.claim->claim.meta.name] = &c;

  for (const auto& [pool, history] : pools_) {
    const size_t missing = MissingRoom(pool, now);
    if (missing == 0) continue;
    std::vector<Space> spaces = SpacesOf(cluster, pool, candidate_of);
    std::vector<size_t> weights;
    for (const Share& share : history.mix) weights.push_back(share.pods);
    const std::vector<size_t> count = Apportion(missing, weights);
    for (size_t i = 0; i < history.mix.size(); ++i) {
      const model::ResourceList& shape = history.mix[i].shape;
      // Free room only shrinks, so a space that could not take this shape
      // never will: each shape scans the spaces once.
      size_t at = 0;
      for (size_t n = 0; n < count[i]; ++n) {
        while (at < spaces.size() && !model::ResourceList::Fits(shape, spaces[at].free)) ++at;
        if (at == spaces.size()) break;  // no room left for this shape: new nodes will be needed anyway
        Space& space = spaces[at];
        space.free.Subtract(shape);
        kept[space.node].Add(shape);
      }
    }
  }
  return kept;
}

}  // namespace adze::controllers::disruption
