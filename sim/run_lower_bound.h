// RunLowerBound: the whole-run cost lower bound (issue 16). Each sample takes
// the pods requested at that moment (pending or bound; DaemonSet pods left
// out: their overhead is inside each type's allocatable) and applies the
// solver's lower bound to them as if every one needed new capacity (spec
// LB: LB_r = Σ pods request_r × least $/h per unit of r over the types some
// NodePool could launch for the pod; LB = max over r). Summed over samples
// times their period, it gives dollars no autoscaler could undercut on this
// workload; cost / LB is the run's optimality gap.
// The per-resource terms of a pod shape (requests, tolerations, node
// selector, required node affinity, host ports) are computed once and reused,
// against the pools' instance types as offered at the start of the run
// (Prime): before any insufficient-capacity error, so capacity running out
// later never raises the bound above what a run could pay. NodePool changes
// during the run are not reflected.
// Thread-safety: none; the simulation owns it.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/duration.h"
#include "model/nodepool.h"
#include "model/pod.h"
#include "model/workloads.h"
#include "ports/cloud_provider.h"
#include "scheduling/solver.h"

namespace adze::sim {

class RunLowerBound {
 public:
  explicit RunLowerBound(ports::CloudProvider& cloud) : cloud_(cloud) {}

  // Takes the pools' instance types now; call before the run starts (Sample
  // primes itself on first use otherwise).
  void Prime(const std::vector<model::NodePool>& pools);

  // Adds LB(pods) × period. Pods are identified by name, so a pod's shape
  // is worked out once.
  void Sample(const std::vector<const model::Pod*>& pods, const std::vector<model::NodePool>& pools,
              const std::vector<model::DaemonSet>& daemon_sets, model::Duration period);

  // $ integrated so far.
  double usd() const { return usd_; }
  // $/h of the last sample.
  double last_per_hour() const { return last_per_hour_; }

 private:
  size_t ShapeOf(const model::Pod& pod, const std::vector<model::NodePool>& pools,
                 const std::vector<model::DaemonSet>& daemon_sets);

  ports::CloudProvider& cloud_;
  bool primed_ = false;
  std::vector<scheduling::PoolInput> pools_;
  std::unordered_map<std::string, size_t> shape_of_pod_;
  std::map<std::string, size_t> shape_index_;
  std::vector<std::map<std::string, double>> terms_;  // per shape: $/h per pod, by resource
  double usd_ = 0;
  double last_per_hour_ = 0;
};

}  // namespace adze::sim
