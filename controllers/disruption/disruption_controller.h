// DisruptionController: Karpenter's disruption loop (spec §6) — emptiness,
// drift, multi-node and single-node consolidation, in that order, the first
// method that finds something wins the pass — with budgets, validation and
// an orchestration queue that brings replacements up before any drain.
//
// adze mode (default) goes beyond Karpenter where its users suffer:
// consolidation weighs the whole cluster (no 100-candidate cap, no timeout),
// one node may be replaced by several cheaper ones when max_replacements
// allows (one by default, as Karpenter), and a pool that asks for
// it (headroom.h: off by default, it costs idle capacity) keeps room for its
// recent demand so that removing idle nodes does not turn arrivals into cold
// starts. adze consolidation also prices the work evicted pods would redo
// (lost_work.h) and moves them only when its savings repay it within
// lost_work_payback. Karpenter mode keeps
// its reference limits: multi-node over at most 100 candidates and one
// replacement; the 1 min / 3 min wall-clock timeouts are modelled
// deterministically as simulation work at 100 pods/s (the rate below which
// Karpenter's own scheduling benchmark fails, spec §9.1) plus 10 ms a probe.
//
// Not voluntary, so outside this loop: expiration, interruption, and the
// lifecycle timeouts.
// Thread-safety: none; the controller loop calls it from one thread.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controllers/disruption/candidate.h"
#include "controllers/disruption/consolidation_simulator.h"
#include "controllers/disruption/headroom.h"
#include "controllers/disruption/lost_work.h"
#include "ports/clock.h"
#include "ports/stopwatch.h"
#include "ports/cloud_provider.h"
#include "ports/cluster.h"

namespace adze::controllers::disruption {

enum class Mode { kAdze, kKarpenter };

struct DisruptionOptions {
  Mode mode = Mode::kAdze;
  bool consolidation = true;  // false: emptiness and drift only
  model::Duration validation_delay = 15 * model::kSecond;       // spec §6.6
  model::Duration orchestration_timeout = 10 * model::kMinute;  // clamp(80 ms × commands, 10 min, 1 h)
  bool spot_to_spot = false;  // Karpenter's SpotToSpotConsolidation gate
  // adze mode only: keep room for each pool's recent demand (headroom.h) in
  // pools without an adze.dev/headroom annotation.
  bool headroom = false;
  HeadroomOptions headroom_options;
  // adze mode: replacements one consolidation may launch. One by default:
  // on the prefix-delegation-off example several replacements halve p95 time
  // to running but cost 3-8 % more over the run (the moved pods' churn), so
  // like headroom they trade cost for latency (docs/benchmarks.md, issue 16).
  size_t max_replacements = 1;
  // adze mode: a consolidation must repay, within this time, the work it
  // makes evicted pods redo (lost_work.h): Σ lost work ≤ savings/h × payback.
  // 0 ignores lost work, as Karpenter does.
  model::Duration lost_work_payback = kDefaultLostWorkPayback;
  // Karpenter mode only.
  size_t multi_node_cap = 100;
  model::Duration multi_node_timeout = model::kMinute;
  model::Duration single_node_timeout = 3 * model::kMinute;
  double modelled_pods_per_second = 100;
};

enum class Method { kEmptiness, kDrift, kMultiNodeConsolidation, kSingleNodeConsolidation };
std::string_view MethodName(Method m);

struct Command {
  Method method = Method::kEmptiness;
  model::DisruptionReason reason = model::DisruptionReason::kEmpty;
  std::vector<std::string> candidates;  // NodeClaim names
  std::vector<Replacement> replacements;
  double savings_per_hour = 0;          // candidates' price − replacements' price
  double lost_work_usd = 0;             // what its evicted pods would redo (lost_work.h)
  model::Duration decided_at = 0;
  // Orchestration.
  std::vector<std::string> replacement_claims;
  model::Duration started_at = 0;
};

struct DisruptionResult {
  std::vector<Command> decided;    // new commands (waiting for validation, or started)
  std::vector<Command> executed;   // candidates handed to termination
  std::vector<std::pair<Command, std::string>> abandoned;  // and why
  double decision_wall_seconds = 0;
  size_t candidates = 0;
};

class DisruptionController {
 public:
  DisruptionController(ports::Cluster& cluster, ports::CloudProvider& cloud, const ports::Clock& clock,
                       const ports::Stopwatch& stopwatch, DisruptionOptions options);

  DisruptionResult Reconcile();
  // Commands validating or orchestrating.
  size_t in_flight() const { return validating_.size() + orchestrating_.size(); }

 private:
  // adze mode, and a pool keeps headroom (headroom.h).
  bool KeepsHeadroom();
  // Per pool: nodes counted by percentage budgets, and nodes disrupting now
  // (deleting, in a command, deletion not yet seen, NotReady, no node).
  struct PoolCounts {
    std::map<std::string, int32_t> total, disrupting;
  };
  PoolCounts CountPools();
  std::optional<Command> Decide(std::vector<Candidate>& candidates, DisruptionResult& result);
  std::optional<Command> Emptiness(const std::vector<Candidate>& candidates, const PoolCounts& counts);
  std::optional<Command> Drift(std::vector<Candidate>& candidates, const PoolCounts& counts);
  // Both consolidation methods of a pass probe the same snapshot and
  // candidates, so they share one simulator (and its caches).
  std::optional<Command> MultiNode(const std::vector<Candidate>& candidates, ConsolidationSimulator& simulator,
                                   const PoolCounts& counts);
  std::optional<Command> SingleNode(const std::vector<Candidate>& candidates, ConsolidationSimulator& simulator,
                                    const PoolCounts& counts);
  SimulatorOptions ConsolidationOptions() const;
  // adze mode: the savings repay the lost work within lost_work_payback.
  bool RepaysLostWork(double lost_work_usd, double savings_per_hour) const;
  // Removing the candidate outright (savings: its whole price) would repay
  // its lost work; a candidate that fails this is not moved.
  bool Repayable(const Candidate& c) const;
  // Allowed disruptions left per pool for the reason.
  std::map<std::string, int32_t> Budgets(model::DisruptionReason reason, const PoolCounts& counts);
  bool Validate(Command& command, std::string& why);
  void Start(Command command, DisruptionResult& result);
  void Progress(DisruptionResult& result);
  // The nodes of the command's candidates, as the cluster shows them now.
  std::vector<std::string> NodesOf(const Command& command);
  void Release(const Command& command);
  void RequestDeletion(const Command& command);
  // The cluster as it is now, kept alive until the end of the pass (candidates
  // point into it). Re-read after each mutation: the cluster caches it.
  const ports::ClusterSnapshot& Fresh();

  ports::Cluster& cluster_;
  ports::CloudProvider& cloud_;
  const ports::Clock& clock_;
  const ports::Stopwatch& stopwatch_;
  DisruptionOptions options_;
  std::vector<std::shared_ptr<const ports::ClusterSnapshot>> pass_snapshots_;
  std::vector<Command> validating_;
  std::vector<Command> orchestrating_;
  std::set<std::string> marked_;  // claims in a command
  // Claims this controller asked to delete that the cluster's view does not
  // show deleting yet (a live informer lags the write): they still count
  // against their pool's budget.
  std::set<std::string> deletion_unseen_;
  ReplacementBound bound_;        // cached across passes
  SolveCache solve_cache_;
  Headroom headroom_;
  Headroom::KeptRoom kept_room_;  // from the last decision
  uint64_t replacements_created_ = 0;
};

}  // namespace adze::controllers::disruption
