// Disruption budgets (spec §6.3): how many of a NodePool's nodes the
// disruption loop may take down right now for a given reason, and the cron
// schedules that open a budget's time window.
//
// Time and schedules come from model/civil_time.h and model/cron_schedule.h
// (re-exported here, where the budget code and its tests name them).
//
// Thread-safety: all functions are pure.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "model/civil_time.h"
#include "model/cron_schedule.h"
#include "model/duration.h"
#include "model/nodepool.h"
#include "model/result.h"

namespace adze::controllers::disruption {

using model::CivilDate;
using model::CivilFromDays;
using model::CivilMinute;
using model::CronSchedule;
using model::DaysFromCivil;
using model::FromCivilMinute;
using model::kSimEpochUnixSeconds;
using model::ToCivilMinute;
using model::WeekdayFromDays;

// ---------------------------------------------------------------------------
// Budgets.

// Whether budget b's window is open at time now (UTC, ports::Time), as Karpenter's
// Budget.IsActive:
//   - no schedule and no duration: always active;
//   - otherwise the schedule is parsed (a parse error is returned; an empty
//     schedule with a duration is such an error) and the budget is active iff
//     the schedule fires at some h with now - duration < h <= now. Note the
//     strict "<": Karpenter asks robfig for the first hit strictly after
//     now - duration, so a "0 9 * * *" / 8h window is [09:00, 17:00). A
//     schedule without a duration is never active (duration 0). A schedule that
//     can never fire counts as active (see CronSchedule::CanEverMatch).
Result<bool> BudgetIsActive(const model::Budget& b, model::Duration now);

// The number of nodes budget b allows out of total_nodes, ignoring its
// schedule: b.nodes, or ceil(b.nodes * total_nodes / 100) for a percentage
// (Kubernetes' intstr rounding up, as for PDB maxUnavailable).
int64_t BudgetNodeLimit(const model::Budget& b, int32_t total_nodes);

// True when b applies to reason: b.reasons is empty or lists it.
bool BudgetAppliesTo(const model::Budget& b, model::DisruptionReason reason);

// Diagnostics for one AllowedDisruptions computation.
struct BudgetEvaluation {
  // The answer: max(0, limit - disrupting_nodes), at most INT32_MAX.
  int32_t allowed = 0;
  // Min over the active budgets applying to the reason; INT32_MAX when none.
  int64_t limit = std::numeric_limits<int32_t>::max();
  // Index in pool.budgets of the budget that set limit (the first one on a
  // tie); nullopt when no active budget applies, so nothing bounds the pool.
  std::optional<size_t> binding;
  // Human-readable: which budget bound the result and why, or the parse error
  // of a malformed schedule that forced 0.
  std::string detail;
};

// Spec §6.3. total_nodes: the pool's managed, initialized, not-terminating
// nodes. disrupting_nodes: its nodes that are NotReady or marked for deletion.
// Returns max(0, min over the budgets that are active at now and list reason
// (or list no reasons) of BudgetNodeLimit - disrupting_nodes). A budget whose
// schedule is malformed allows 0 (fail closed, as Karpenter). When no active
// budget applies there is no limit: the result is INT32_MAX - disrupting_nodes
// (Karpenter starts its min at MaxInt32 and clamps the difference at 0).
// REQUIRES: total_nodes >= 0, disrupting_nodes >= 0.
int32_t AllowedDisruptions(const model::NodePool& pool, model::DisruptionReason reason, model::Duration now,
                           int32_t total_nodes, int32_t disrupting_nodes);

// AllowedDisruptions with the reasoning behind it.
BudgetEvaluation EvaluateBudgets(const model::NodePool& pool, model::DisruptionReason reason, model::Duration now,
                                 int32_t total_nodes, int32_t disrupting_nodes);

}  // namespace adze::controllers::disruption
