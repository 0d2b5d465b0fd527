// Disruption budgets (spec §6.3): how many of a NodePool's nodes the
// disruption loop may take down right now for a given reason, and the cron
// schedules that open a budget's time window.
//
// Time. adze runs on SimTime (model::Duration microseconds since the start of a
// run). Cron schedules are read in UTC, so a run's SimTime 0 is pinned to a
// fixed UTC instant, kSimEpoch = 2026-01-05T00:00:00Z, a Monday at midnight:
// SimTime t is the UTC instant kSimEpoch + t. Dates are converted with our own
// proleptic-Gregorian days-from-civil arithmetic; no time zone library is used.
//
// Cron dialect: that of robfig/cron v3 `ParseStandard`, which Karpenter uses
// (it prefixes "TZ=UTC "):
//   - five whitespace-separated fields: minute (0-59) hour (0-23)
//     day-of-month (1-31) month (1-12 or JAN..DEC) day-of-week (0-6 or
//     SUN..SAT, 0 = Sunday); names are case-insensitive;
//   - each field is a comma list of `*` (or `?`), `v`, `a-b`, `*/n`, `a-b/n`,
//     and `v/n` (robfig: v through the field's maximum, step n);
//   - day-of-month and day-of-week: when both are restricted a day matches if
//     EITHER matches (Vixie cron); if either is `*`, both must match. As in
//     robfig, `*/n` with n > 1 counts as restricted (Vixie treats any field
//     starting with `*` as unrestricted);
//   - macros @yearly @annually @monthly @weekly @daily @midnight @hourly
//     (lower case, as robfig). @every is rejected: Karpenter's CRD pattern
//     does not admit it.
// Deliberate differences from robfig: day-of-week 7 is accepted as Sunday
// (robfig rejects it, which in Karpenter makes the budget allow 0); empty list
// elements ("1,,2") are rejected (robfig drops them); signs ("+5") are
// rejected.
//
// Thread-safety: CronSchedule is an immutable value; all functions are pure.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "model/duration.h"
#include "model/nodepool.h"
#include "model/result.h"

namespace adze::controllers::disruption {

// ---------------------------------------------------------------------------
// Civil (proleptic Gregorian, UTC) time.

// Days since 1970-01-01 of the civil date y-m-d. REQUIRES: 1 <= m <= 12,
// 1 <= d <= 31 (d beyond the month's end rolls into the next month).
constexpr int64_t DaysFromCivil(int64_t y, int32_t m, int32_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                                    // [0, 399]
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + doe - 719468;
}

// The UTC instant that SimTime 0 stands for: 2026-01-05T00:00:00Z, a Monday.
inline constexpr int64_t kSimEpochUnixSeconds = DaysFromCivil(2026, 1, 5) * 86400;
static_assert(kSimEpochUnixSeconds == 1767571200);

struct CivilDate {
  int64_t year = 1970;
  int32_t month = 1;  // 1..12
  int32_t day = 1;    // 1..31
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// Inverse of DaysFromCivil.
CivilDate CivilFromDays(int64_t days);

// 0 = Sunday .. 6 = Saturday, for days since 1970-01-01 (a Thursday).
int32_t WeekdayFromDays(int64_t days);

// One UTC minute of the calendar.
struct CivilMinute {
  int64_t year = 2026;
  int32_t month = 1;   // 1..12
  int32_t day = 5;     // 1..31
  int32_t hour = 0;    // 0..23
  int32_t minute = 0;  // 0..59
  friend bool operator==(const CivilMinute&, const CivilMinute&) = default;
};

// The UTC minute containing SimTime t (rounded toward the past).
CivilMinute ToCivilMinute(model::Duration t);
// The SimTime at the start of minute m. REQUIRES: m is a valid calendar minute.
model::Duration FromCivilMinute(const CivilMinute& m);

// ---------------------------------------------------------------------------
// Cron schedules.

class CronSchedule {
 public:
  // Parses a schedule in the dialect above. Leading and trailing whitespace is
  // ignored. Errors are kInvalidArgument and name the schedule, the field
  // (minute, hour, day-of-month, month, day-of-week) and the bad token.
  static Result<CronSchedule> Parse(std::string_view spec);

  // True when the schedule fires at the start of minute m. REQUIRES: m valid.
  bool Matches(const CivilMinute& m) const;

  // The latest firing h (SimTime, a whole UTC minute) with
  // t - lookback <= h <= t; nullopt if there is none (or lookback < 0).
  // Cost: skips whole months, days and hours that cannot match, so a lookback
  // of days costs at most a few hundred cheap steps.
  std::optional<model::Duration> LastHitAtOrBefore(model::Duration t, model::Duration lookback) const;

  // False when no calendar minute can ever match (e.g. "0 0 30 2 *"). robfig's
  // Next() then returns the zero time, which Karpenter reads as "active".
  bool CanEverMatch() const;

  // The schedule as given to Parse, trimmed.
  const std::string& spec() const { return spec_; }

 private:
  CronSchedule() = default;
  bool DayMatches(int32_t day_of_month, int32_t weekday) const;

  std::string spec_;
  uint64_t minutes_ = 0;  // bit i: minute i
  uint64_t hours_ = 0;    // bit i: hour i
  uint64_t doms_ = 0;     // bit i: day-of-month i (1..31)
  uint64_t months_ = 0;   // bit i: month i (1..12)
  uint64_t dows_ = 0;     // bit i: weekday i (0..6, Sunday = 0; 7 folded into 0)
  bool dom_star_ = false;
  bool dow_star_ = false;
};

// ---------------------------------------------------------------------------
// Budgets.

// Whether budget b's window is open at SimTime now, as Karpenter's
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
