// CronSchedule: the cron schedules of NodePool disruption budgets
// (spec §6.3), parsed and matched against UTC calendar minutes.
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
// Parse checks every field's range and syntax, so a decoder can reject a bad
// schedule where it is written instead of the budget silently allowing 0 at
// run time.
// Thread-safety: CronSchedule is an immutable value; all functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/civil_time.h"
#include "model/duration.h"
#include "model/result.h"

namespace adze::model {

class CronSchedule {
 public:
  // Parses a schedule in the dialect above. Leading and trailing whitespace is
  // ignored. Errors are kInvalidArgument and name the schedule, the field
  // (minute, hour, day-of-month, month, day-of-week) and the bad token.
  static Result<CronSchedule> Parse(std::string_view spec);

  // True when the schedule fires at the start of minute m. REQUIRES: m valid.
  bool Matches(const CivilMinute& m) const;

  // The latest firing h (UTC time, a whole minute) with
  // t - lookback <= h <= t; nullopt if there is none (or lookback < 0).
  // Cost: skips whole months, days and hours that cannot match, so a lookback
  // of days costs at most a few hundred cheap steps.
  std::optional<Duration> LastHitAtOrBefore(Duration t, Duration lookback) const;

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

}  // namespace adze::model
