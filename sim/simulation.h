// Simulation: one run of a scenario. Builds the simulated world (EC2, the
// cluster, kubelets, the kube-scheduler, the workloads), runs the real
// controllers on it through the ports (provisioner, NodeClaim lifecycle,
// termination, interruption), and measures the run.
//
// Same scenario and seed ⇒ the same summary (except its wall-clock fields),
// time series and event log, byte for byte.
// Thread-safety: a Simulation runs on one thread; separate runs may run
// concurrently.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "controllers/disruption/lost_work.h"
#include "model/result.h"
#include "sim/autoscaler.h"
#include "sim/run_summary.h"
#include "sim/scenario.h"

namespace adze::sim {

struct Progress {
  model::Duration now = 0;
  model::Duration end = 0;
  uint64_t events = 0;
  double wall_seconds = 0;
};

struct SimulationOptions {
  bool record_events = false;  // fill RunResult::events (JSON lines)
  // Called about once per simulated hour.
  std::function<void(const Progress&)> on_progress;
  // Packer for the provisioner's solver ("adze" or "karpenter").
  bool karpenter_packer = false;
  // Disruption: adze's (whole-cluster consolidation, several replacements),
  // Karpenter's reference limits, or none (emptiness, drift and consolidation
  // all off). The scenario's controllers.consolidation=false keeps emptiness
  // and drift but turns consolidation off.
  enum class Disruption { kAdze, kKarpenter, kOff };
  Disruption disruption = Disruption::kAdze;
  // adze disruption keeps room for the upper tail of each pool's recent
  // demand (controllers/disruption/headroom.h) in pools without an
  // adze.dev/headroom annotation; false removes idle nodes as Karpenter does.
  bool headroom = false;
  // adze disruption: replacements one consolidation may launch (Karpenter: 1).
  size_t max_replacements = 1;
  // adze disruption: a consolidation must repay the work evicted pods would
  // redo within this time (controllers/disruption/lost_work.h); 0 ignores it.
  model::Duration lost_work_payback = controllers::disruption::kDefaultLostWorkPayback;
  // The adze packer sizes new claims for the pods their pool expects before
  // they are ready (controllers/arrival_sizing.h); false: for the batch only.
  bool size_for_arrivals = true;
  // The adze packer launches fewer, larger nodes when they cost at most this
  // fraction more (scheduling::SolverOptions::fewer_nodes_premium); 0: the cheapest.
  double fewer_nodes_premium = 0;
  // Check the disruption invariants (sim/invariant_monitor.h) every tick;
  // violations go to RunResult::violations.
  bool check_invariants = false;
  // The autoscaler the shell drives; empty: adze's operator (the options
  // above). `adze compare` sets a baseline here (sim/baselines/).
  AutoscalerFactory autoscaler;
};

struct RunResult {
  RunSummary summary;
  std::vector<TimeseriesRow> timeseries;  // one row per simulated minute
  std::vector<std::string> events;        // JSON objects, one per line
  std::vector<std::string> violations;    // with check_invariants
};

// Runs the scenario to its end. Errors: the scenario cannot be set up (an
// unreadable trace, a NodePool whose EC2NodeClass is missing).
Result<RunResult> RunSimulation(const Scenario& scenario, const catalog::Catalog& catalog,
                                const SimulationOptions& options = {});

}  // namespace adze::sim
