#include "model/civil_time.h"

#include <array>

namespace adze::model {
namespace {

constexpr int64_t kMinutesPerDay = 24 * 60;

}  // namespace

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int32_t DaysInMonth(int64_t y, int32_t m) {
  static constexpr std::array<int32_t, 13> kDays = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m];
}

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;                                // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                  // [0, 11]
  CivilDate c;
  c.day = static_cast<int32_t>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int32_t>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
  return c;
}

int32_t WeekdayFromDays(int64_t days) {
  // 1970-01-01 was a Thursday (4).
  const int64_t r = (days + 4) % 7;
  return static_cast<int32_t>(r < 0 ? r + 7 : r);
}

CivilMinute ToCivilMinute(Duration t) {
  const int64_t minute = FloorDiv(t, kMinute);
  const int64_t day = FloorDiv(minute, kMinutesPerDay);
  const int64_t in_day = minute - day * kMinutesPerDay;
  const CivilDate d = CivilFromDays(day);
  return CivilMinute{d.year, d.month, d.day, static_cast<int32_t>(in_day / 60), static_cast<int32_t>(in_day % 60)};
}

Duration FromCivilMinute(const CivilMinute& m) {
  const int64_t minute = DaysFromCivil(m.year, m.month, m.day) * kMinutesPerDay + m.hour * 60 + m.minute;
  return minute * kMinute;
}
}  // namespace adze::model
