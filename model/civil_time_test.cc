#include "model/civil_time.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace adze::model {
namespace {

constexpr Duration kDay = 24 * kHour;

// SimTime of a UTC calendar minute.
Duration At(int64_t y, int32_t mo, int32_t d, int32_t h = 0, int32_t mi = 0) {
  return FromCivilMinute(CivilMinute{y, mo, d, h, mi});
}

TEST(CivilTest, EpochIsMondayFifthOfJanuary2026) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(WeekdayFromDays(0), 4);  // Thursday
  const Duration epoch = kSimEpochUnixSeconds * kSecond;
  EXPECT_EQ(ToCivilMinute(0), (CivilMinute{1970, 1, 1, 0, 0}));  // time is Unix time
  EXPECT_EQ(ToCivilMinute(epoch), (CivilMinute{2026, 1, 5, 0, 0}));
  EXPECT_EQ(WeekdayFromDays(kSimEpochUnixSeconds / 86400), 1);  // Monday
  EXPECT_EQ(ToCivilMinute(epoch - 1), (CivilMinute{2026, 1, 4, 23, 59}));
  EXPECT_EQ(ToCivilMinute(epoch + 59 * kSecond + 999'999), (CivilMinute{2026, 1, 5, 0, 0}));
  EXPECT_EQ(ToCivilMinute(epoch + 25 * kHour + 61 * kMinute), (CivilMinute{2026, 1, 6, 2, 1}));
  EXPECT_EQ(At(2026, 1, 5), epoch);
  EXPECT_EQ(At(2026, 1, 5, 10), epoch + 10 * kHour);
}

TEST(CivilTest, LeapYearsAndMonthEnds) {
  EXPECT_EQ(CivilFromDays(DaysFromCivil(2028, 2, 29)), (CivilDate{2028, 2, 29}));
  EXPECT_EQ(CivilFromDays(DaysFromCivil(2028, 2, 29) + 1), (CivilDate{2028, 3, 1}));
  EXPECT_EQ(CivilFromDays(DaysFromCivil(2027, 2, 28) + 1), (CivilDate{2027, 3, 1}));
  EXPECT_EQ(CivilFromDays(DaysFromCivil(2100, 2, 28) + 1), (CivilDate{2100, 3, 1}));
  EXPECT_EQ(CivilFromDays(DaysFromCivil(2000, 2, 28) + 1), (CivilDate{2000, 2, 29}));
  EXPECT_EQ(CivilFromDays(DaysFromCivil(2026, 12, 31) + 1), (CivilDate{2027, 1, 1}));
  EXPECT_EQ(CivilFromDays(-1), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(At(2027, 1, 5) - At(2026, 1, 5), 365 * kDay);
  EXPECT_EQ(At(2029, 1, 5) - At(2028, 1, 5), 366 * kDay);
}

RC_GTEST_PROP(CivilProp, DaysRoundTripAndWeekdaysCycle, ()) {
  const int64_t days = *rc::gen::inRange<int64_t>(-1'000'000, 1'000'000);
  const CivilDate c = CivilFromDays(days);
  RC_ASSERT(c.month >= 1 && c.month <= 12 && c.day >= 1 && c.day <= 31);
  RC_ASSERT(DaysFromCivil(c.year, c.month, c.day) == days);
  RC_ASSERT(WeekdayFromDays(days + 1) == (WeekdayFromDays(days) + 1) % 7);
}

}  // namespace
}  // namespace adze::model
