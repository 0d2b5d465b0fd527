// Civil time: proleptic-Gregorian UTC calendar dates and minutes.
//
// Controllers run on absolute time (ports::Time: Duration microseconds since
// 1970-01-01T00:00:00Z), so cron schedules read the real calendar; a
// simulation starts at its scenario's `start` (default kSimEpoch,
// 2026-01-05T00:00:00Z, a Monday at midnight). Dates are converted with our
// own days-from-civil arithmetic; no time zone library is used.
// Thread-safety: pure functions and value types.
#pragma once

#include <cstdint>

#include "model/duration.h"

namespace adze::model {

// Integer division rounding toward negative infinity (times before the
// epoch are negative), and toward positive infinity.
constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
constexpr int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

bool IsLeapYear(int64_t y);
// Days in month m (1..12) of year y.
int32_t DaysInMonth(int64_t y, int32_t m);

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

// A simulation's default start: 2026-01-05T00:00:00Z, a Monday.
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

// The UTC minute containing time t (microseconds since the Unix epoch,
// rounded toward the past).
CivilMinute ToCivilMinute(Duration t);
// The time at the start of minute m. REQUIRES: m is a valid calendar minute.
Duration FromCivilMinute(const CivilMinute& m);

}  // namespace adze::model
