// OperatorOptions: the settings of adze's controllers and the cadences the
// operator runs them on, each with its default and where it comes from.
// Thread-safety: value types.
#pragma once

#include "controllers/disruption/lost_work.h"
#include "model/duration.h"
#include "scheduling/solver.h"

namespace adze::controllers {

// What a scenario (or `adze controller`'s flags) may set.
struct ControllerOptions {
  model::Duration batch_idle = 1 * model::kSecond;   // spec §2.2
  model::Duration batch_max = 10 * model::kSecond;
  model::Duration launch_timeout = 5 * model::kMinute;  // spec §5
  model::Duration registration_timeout = 15 * model::kMinute;
  // Beyond Karpenter: a GPU node whose nvidia.com/gpu never registers is
  // replaced after this long.
  model::Duration gpu_initialization_timeout = 10 * model::kMinute;
  bool consolidation = true;  // used by the disruption controllers
  // Karpenter's SpotToSpotConsolidation feature gate (default off, spec §6.5).
  bool spot_to_spot_consolidation = false;
  friend bool operator==(const ControllerOptions&, const ControllerOptions&) = default;
};

// Disruption: adze's (whole-cluster consolidation, several replacements),
// Karpenter's reference limits, or none (emptiness, drift and consolidation
// all off; expiration still runs). ControllerOptions::consolidation = false
// keeps emptiness and drift but turns consolidation off.
enum class DisruptionMode { kAdze, kKarpenter, kOff };

struct OperatorOptions {
  ControllerOptions controllers;
  scheduling::Packer packer = scheduling::Packer::kAdze;
  DisruptionMode disruption = DisruptionMode::kAdze;
  // adze disruption keeps room for the upper tail of each pool's recent
  // demand (controllers/disruption/headroom.h) in pools without an
  // adze.dev/headroom annotation; false (the default: headroom costs money)
  // removes idle nodes as Karpenter does.
  bool headroom = false;
  // adze disruption: replacements one consolidation may launch (Karpenter: 1).
  size_t max_replacements = 1;
  // adze disruption: a consolidation must repay the work evicted pods would
  // redo within this time (controllers/disruption/lost_work.h); 0 ignores it.
  model::Duration lost_work_payback = disruption::kDefaultLostWorkPayback;
  // adze packer: new claims are sized for the pods their pool expects before
  // they are ready (controllers/arrival_sizing.h).
  bool size_for_arrivals = true;
  // adze packer: launch fewer, larger nodes when they cost at most this
  // fraction more (scheduling::SolverOptions::fewer_nodes_premium); 0: the cheapest.
  double fewer_nodes_premium = 0;

  // Cadences, counted from the operator's first Tick. Tick itself is called
  // once a second by the shell.
  model::Duration lifecycle_resync = 10 * model::kSecond;  // besides every change while claims launch
  model::Duration garbage_collection = 2 * model::kMinute;  // Karpenter's NodeClaim GC period
  // Orphaned-instance collection runs at this period for its first 20 passes, then at garbage_collection.
  model::Duration orphan_collection_startup = 10 * model::kSecond;
  model::Duration disruption_period = 10 * model::kSecond;  // Karpenter's disruption poll
  // Karpenter's "consolidated" memo: after a disruption pass that found
  // nothing, wait for the cluster to change or for this long.
  model::Duration consolidated_memo = 5 * model::kMinute;

  // How a finished launch (a CreateFleet answer) is applied. false: at once,
  // one lifecycle pass per answer (the simulator, where answers arrive one
  // instant at a time). true: the shell calls ApplyCompletedLaunches() once
  // it has run every answer that arrived together, and they share one pass
  // (`adze controller`: a burst answers hundreds of launches within a loop
  // pass, and a pass per answer reads the whole cluster each time).
  bool coalesce_launch_completions = false;
};

}  // namespace adze::controllers
