// Headroom: the room a NodePool keeps for pods that will arrive (adze mode;
// Karpenter keeps none).
//
// Removing an idle node saves its price until the pool needs it again, and
// then a pod waits a whole cold start; with one-pod-per-node batch jobs that
// is what pushes time-to-running up when consolidation is on. Headroom sizes
// each pool for the upper tail of its own recent demand. Over a window (an
// hour, or the pool's consolidateAfter if longer) it measures the mean number
// of pods bound to the pool's nodes, L, the arrival rate λ, and the median
// cold start T (claim created → initialised, last 16 claims). Taking demand
// as a Poisson count (the steady state of arrivals with any run-time
// distribution), the pool should have room for the quantile q = 0.999 of
// Poisson(L + λT) pods: at most about one arrival in a thousand finds no room,
// counting arrivals during a cold start. The missing pods, in the mix of
// shapes the pool runs, are placed first-fit (biggest first) on the pool's
// nodes: the disruption candidates that take one are held back, and the room
// they take on any node is kept out of consolidation's reach — moved pods may
// not fill it, or a consolidation would eat the room the next arrivals need
// and buy the node back minutes later. Nodes that cannot be disrupted anyway
// come first, so headroom costs nothing where room exists.
// A pool with no arrival in the window keeps no headroom: a finished
// training job's nodes go as soon as they are idle.
// Headroom trades cost for start-up latency (docs/benchmarks.md, issue 16:
// on the Alibaba trace it holds p95 time to running at 3 s for 11-23 % more
// cost than Karpenter's reference), so it is off unless asked for: per
// NodePool with the annotation adze.dev/headroom: "true" (or "false" against
// a default of on), for every pool with `--headroom`.
// Thread-safety: none; the disruption controller owns it.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "controllers/disruption/candidate.h"
#include "model/duration.h"
#include "model/nodepool.h"
#include "model/resource_list.h"
#include "ports/cluster.h"

namespace adze::controllers::disruption {

// Whether the pool keeps headroom: its annotation (model::label::kHeadroom),
// else the default.
bool KeepsHeadroom(const model::NodePool& pool, bool by_default);

struct HeadroomOptions {
  bool by_default = false;  // for pools without the annotation
  model::Duration min_window = model::kHour;  // demand measured over max(this, consolidateAfter)
  model::Duration max_window = 24 * model::kHour;
  double quantile = 0.999;
  model::Duration default_cold_start = model::kMinute;  // before a pool's first claim initialises
  size_t cold_starts_kept = 16;
  size_t max_pods = 1024;  // room kept per pool, in pods, at most
};

class Headroom {
 public:
  explicit Headroom(HeadroomOptions options = {}) : options_(options) {}

  // Learns the pods bound, the arrivals and the cold starts since the last call.
  void Observe(const ports::ClusterSnapshot& cluster, model::Duration now);

  // Pods of room the pool should have beyond the pods it holds now.
  size_t MissingRoom(const std::string& pool, model::Duration now) const;

  // Room kept on each node, by node name: a candidate with kept room is held
  // back, and consolidation may not fill kept room with moved pods, or the
  // next arrivals would find none.
  using KeptRoom = std::map<std::string, model::ResourceList>;
  KeptRoom Keep(const ports::ClusterSnapshot& cluster, const std::vector<Candidate>& candidates, model::Duration now) const;

 private:
  struct Share {
    model::ResourceList shape;  // requests, pods=1
    size_t pods = 0;            // bound now
  };
  struct PoolHistory {
    model::Duration window = model::kHour;
    std::deque<model::Duration> arrivals;                     // bind times, oldest first
    std::vector<Share> mix;                                   // bound pods by shape, at the last observation
    std::deque<std::pair<model::Duration, size_t>> bound;     // (time, pods bound) per observation
    std::deque<model::Duration> cold_starts;                  // newest last
    bool keeps = false;                                       // KeepsHeadroom, at the last observation
  };

  model::Duration ColdStart(const PoolHistory& history) const;
  double MeanBound(const PoolHistory& history, model::Duration now) const;

  HeadroomOptions options_;
  std::map<std::string, PoolHistory> pools_;
  model::Duration observed_until_ = -1;
};

// Smallest k with P(Poisson(mean) ≤ k) ≥ quantile, at most cap.
size_t PoissonQuantile(double mean, double quantile, size_t cap);

}  // namespace adze::controllers::disruption
