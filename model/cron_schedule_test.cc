#include "model/cron_schedule.h"

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

CronSchedule MustParse(std::string_view spec) {
  Result<CronSchedule> s = CronSchedule::Parse(spec);
  EXPECT_TRUE(s.ok()) << spec << ": " << (s.ok() ? "" : s.error().message);
  return std::move(s).value();
}

bool MatchesAt(const CronSchedule& s, int64_t y, int32_t mo, int32_t d, int32_t h, int32_t mi) {
  return s.Matches(CivilMinute{y, mo, d, h, mi});
}
// ---- parsing -------------------------------------------------------------------

TEST(CronParseTest, AcceptsTheStandardDialect) {
  for (const char* spec :
       {"* * * * *", "0 9 * * mon-fri", "0 9 * * MON-FRI", "0 9 * * Mon-Fri", "*/15 * * * *", "0-30/10 * * * *",
        "5/20 * * * *", "0 0 1,15 * *", "0 0 * jan,JUL *", "0 0 * Jan-Mar/2 *", "0 0 * * 0-7", "0 0 * * 7",
        "0 0 ? * ?", "59 23 31 12 6", "  0 9 * * *  ", "0\t9  *\t* *", "@yearly", "@annually", "@monthly", "@weekly",
        "@daily", "@midnight", "@hourly", " @daily ", "0 0 30 2 *", "*/100 * * * *", "0 0 * * sun,sat"}) {
    Result<CronSchedule> s = CronSchedule::Parse(spec);
    EXPECT_TRUE(s.ok()) << "\"" << spec << "\": " << (s.ok() ? "" : s.error().message);
  }
  EXPECT_EQ(MustParse("  0 9 * * *  ").spec(), "0 9 * * *");
}

struct BadCase {
  const char* spec;
  std::vector<const char*> want;  // substrings of the error message
};

TEST(CronParseTest, RejectsWithAMessageNamingFieldAndToken) {
  const std::vector<BadCase> cases = {
      {"", {"empty schedule"}},
      {"   ", {"empty schedule"}},
      {"0 9 * *", {"want 5 fields", "found 4"}},
      {"0 0 9 * * *", {"want 5 fields", "found 6"}},
      {"60 * * * *", {"minute", "\"60\"", "out of range 0-59"}},
      {"* 24 * * *", {"hour", "\"24\"", "out of range 0-23"}},
      {"* * 0 * *", {"day-of-month", "\"0\"", "out of range 1-31"}},
      {"* * 32 * *", {"day-of-month", "\"32\""}},
      {"* * * 13 *", {"month", "\"13\"", "out of range 1-12"}},
      {"* * * 0 *", {"month", "\"0\""}},
      {"* * * * 8", {"day-of-week", "\"8\"", "out of range 0-7"}},
      {"0 9 * * funday", {"day-of-week", "bad value \"funday\"", "SUN..SAT"}},
      {"0 9 * * monday", {"day-of-week", "\"monday\""}},
      {"0 9 * foo *", {"month", "bad value \"foo\"", "JAN..DEC"}},
      {"0 mon * * *", {"hour", "bad value \"mon\""}},
      {"0 9 * * fri-mon", {"day-of-week", "\"fri-mon\"", "runs backwards"}},
      {"30-10 * * * *", {"minute", "\"30-10\"", "runs backwards"}},
      {"*/0 * * * *", {"minute", "\"*/0\"", "must be positive"}},
      {"*/x * * * *", {"minute", "bad step \"x\""}},
      {"*/ * * * *", {"minute", "bad step \"\""}},
      {"/5 * * * *", {"minute", "missing range"}},
      {"1/2/3 * * * *", {"minute", "too many '/'"}},
      {"1-2-3 * * * *", {"minute", "too many '-'"}},
      {"1- * * * *", {"minute", "incomplete range \"1-\""}},
      {"-1 * * * *", {"minute", "incomplete range \"-1\""}},
      {"1,,2 * * * *", {"minute", "empty element"}},
      {"1, * * * *", {"minute", "empty element"}},
      {"+5 * * * *", {"minute", "bad value \"+5\""}},
      {"0 9 L * *", {"day-of-month", "bad value \"L\""}},
      {"@every 5m", {"unknown macro", "@every 5m"}},
      {"@DAILY", {"unknown macro"}},
      {"@daily 0", {"unknown macro"}},
      {"TZ=UTC 0 9 * * *", {"want 5 fields", "found 6"}},
  };
  for (const BadCase& c : cases) {
    Result<CronSchedule> s = CronSchedule::Parse(c.spec);
    ASSERT_FALSE(s.ok()) << "\"" << c.spec << "\" parsed";
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().message.rfind("cron \"", 0), 0u) << s.error().message;
    for (const char* w : c.want) {
      EXPECT_NE(s.error().message.find(w), std::string::npos)
          << "\"" << c.spec << "\": \"" << s.error().message << "\" lacks \"" << w << "\"";
    }
  }
}

// ---- matching -------------------------------------------------------------------

TEST(CronMatchTest, WeekdayWindow) {
  const CronSchedule s = MustParse("0 9 * * mon-fri");
  EXPECT_TRUE(MatchesAt(s, 2026, 1, 5, 9, 0));    // Monday
  EXPECT_TRUE(MatchesAt(s, 2026, 1, 9, 9, 0));    // Friday
  EXPECT_FALSE(MatchesAt(s, 2026, 1, 10, 9, 0));  // Saturday
  EXPECT_FALSE(MatchesAt(s, 2026, 1, 11, 9, 0));  // Sunday
  EXPECT_FALSE(MatchesAt(s, 2026, 1, 5, 9, 1));
  EXPECT_FALSE(MatchesAt(s, 2026, 1, 5, 10, 0));
}

TEST(CronMatchTest, ListsRangesStepsAndNames) {
  const CronSchedule s = MustParse("*/20 8-10,22 * JAN,dec *");
  EXPECT_TRUE(MatchesAt(s, 2026, 1, 7, 8, 40));
  EXPECT_TRUE(MatchesAt(s, 2026, 12, 7, 22, 0));
  EXPECT_FALSE(MatchesAt(s, 2026, 1, 7, 8, 30));
  EXPECT_FALSE(MatchesAt(s, 2026, 1, 7, 11, 0));
  EXPECT_FALSE(MatchesAt(s, 2026, 2, 7, 8, 40));

  const CronSchedule from = MustParse("5/20 * * * *");  // 5, 25, 45
  EXPECT_TRUE(MatchesAt(from, 2026, 1, 7, 0, 5));
  EXPECT_TRUE(MatchesAt(from, 2026, 1, 7, 0, 45));
  EXPECT_FALSE(MatchesAt(from, 2026, 1, 7, 0, 0));
  EXPECT_FALSE(MatchesAt(from, 2026, 1, 7, 0, 50));

  const CronSchedule range_step = MustParse("0 1-9/4 * * *");  // 1, 5, 9
  EXPECT_TRUE(MatchesAt(range_step, 2026, 1, 7, 5, 0));
  EXPECT_TRUE(MatchesAt(range_step, 2026, 1, 7, 9, 0));
  EXPECT_FALSE(MatchesAt(range_step, 2026, 1, 7, 13, 0));
}

TEST(CronMatchTest, SundayIsZeroOrSeven) {
  for (const char* spec : {"0 0 * * 0", "0 0 * * 7", "0 0 * * SUN", "0 0 * * 6-7"}) {
    const CronSchedule s = MustParse(spec);
    EXPECT_TRUE(MatchesAt(s, 2026, 1, 11, 0, 0)) << spec;    // Sunday
    EXPECT_FALSE(MatchesAt(s, 2026, 1, 12, 0, 0)) << spec;   // Monday
  }
  // "*/2" on day-of-week stops at 6 (robfig's range), not 7.
  const CronSchedule even = MustParse("0 0 * * 1/2");  // Mon, Wed, Fri
  EXPECT_TRUE(MatchesAt(even, 2026, 1, 9, 0, 0));
  EXPECT_FALSE(MatchesAt(even, 2026, 1, 11, 0, 0));
}

TEST(CronMatchTest, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  // Friday the 13th style: both restricted -> the 13th OR any Friday.
  const CronSchedule both = MustParse("0 0 13 * fri");
  EXPECT_TRUE(MatchesAt(both, 2026, 1, 13, 0, 0));  // Tuesday the 13th
  EXPECT_TRUE(MatchesAt(both, 2026, 1, 9, 0, 0));   // Friday the 9th
  EXPECT_FALSE(MatchesAt(both, 2026, 1, 14, 0, 0));
  // Only one restricted -> AND with the `*`.
  const CronSchedule dom_only = MustParse("0 0 13 * *");
  EXPECT_TRUE(MatchesAt(dom_only, 2026, 1, 13, 0, 0));
  EXPECT_FALSE(MatchesAt(dom_only, 2026, 1, 9, 0, 0));
  const CronSchedule dow_only = MustParse("0 0 * * fri");
  EXPECT_FALSE(MatchesAt(dow_only, 2026, 1, 13, 0, 0));
  EXPECT_TRUE(MatchesAt(dow_only, 2026, 1, 9, 0, 0));
  const CronSchedule q = MustParse("0 0 13 * ?");
  EXPECT_FALSE(MatchesAt(q, 2026, 1, 9, 0, 0));
  // robfig: "*/2" (step > 1) is a restriction, so the OR rule applies...
  const CronSchedule step = MustParse("0 0 */2 * fri");
  EXPECT_TRUE(MatchesAt(step, 2026, 1, 9, 0, 0));  // Friday, odd day
  EXPECT_TRUE(MatchesAt(step, 2026, 1, 3, 0, 0));  // Saturday, odd day (*/2 = 1,3,5,..)
  EXPECT_FALSE(MatchesAt(step, 2026, 1, 4, 0, 0));
  // ...but "*/1" keeps the star.
  const CronSchedule step1 = MustParse("0 0 */1 * fri");
  EXPECT_FALSE(MatchesAt(step1, 2026, 1, 3, 0, 0));
  EXPECT_TRUE(MatchesAt(step1, 2026, 1, 9, 0, 0));
}

TEST(CronMatchTest, MacrosEqualTheirExpansion) {
  const std::vector<std::pair<const char*, const char*>> macros = {
      {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
      {"@daily", "0 0 * * *"},  {"@midnight", "0 0 * * *"}, {"@hourly", "0 * * * *"}};
  for (const auto& [macro, expansion] : macros) {
    const CronSchedule a = MustParse(macro);
    const CronSchedule b = MustParse(expansion);
    // Every 7 minutes over ~400 days, which visits every minute-of-hour and day.
    for (Duration t = At(2025, 12, 25); t < At(2027, 1, 31); t += 7 * kMinute) {
      ASSERT_EQ(a.Matches(ToCivilMinute(t)), b.Matches(ToCivilMinute(t))) << macro << " at " << t;
    }
    EXPECT_EQ(MatchesAt(a, 2027, 1, 1, 0, 0), std::string(macro) != "@weekly") << macro;  // a Friday
  }
  EXPECT_FALSE(MatchesAt(MustParse("@weekly"), 2026, 1, 5, 0, 0));  // Monday
  EXPECT_TRUE(MatchesAt(MustParse("@weekly"), 2026, 1, 11, 0, 0));  // Sunday
}

TEST(CronMatchTest, CanEverMatch) {
  EXPECT_TRUE(MustParse("0 0 29 2 *").CanEverMatch());
  EXPECT_FALSE(MustParse("0 0 30 2 *").CanEverMatch());
  EXPECT_FALSE(MustParse("0 0 31 apr,jun,sep,nov *").CanEverMatch());
  EXPECT_TRUE(MustParse("0 0 31 apr,may *").CanEverMatch());
  EXPECT_TRUE(MustParse("0 0 30 2 mon").CanEverMatch());  // OR: any Monday in February
  EXPECT_FALSE(MustParse("0 0 30 2 */1").CanEverMatch());
}

// ---- LastHitAtOrBefore ------------------------------------------------------------

TEST(CronLastHitTest, SameDayAndExactHit) {
  const CronSchedule s = MustParse("0 9 * * mon-fri");
  EXPECT_EQ(s.LastHitAtOrBefore(At(2026, 1, 5, 10), 8 * kHour), At(2026, 1, 5, 9));
  EXPECT_EQ(s.LastHitAtOrBefore(At(2026, 1, 5, 9), 0), At(2026, 1, 5, 9));  // t itself counts
  EXPECT_EQ(s.LastHitAtOrBefore(At(2026, 1, 5, 9) + 30 * kSecond, kMinute), At(2026, 1, 5, 9));
  EXPECT_EQ(s.LastHitAtOrBefore(At(2026, 1, 5, 9) - 1, 8 * kHour), std::nullopt);
  EXPECT_EQ(s.LastHitAtOrBefore(At(2026, 1, 5, 10), kHour), At(2026, 1, 5, 9));  // lookback inclusive
  EXPECT_EQ(s.LastHitAtOrBefore(At(2026, 1, 5, 10), kHour - 1), std::nullopt);
  EXPECT_EQ(s.LastHitAtOrBefore(At(2026, 1, 5, 10), -kHour), std::nullopt);
  // Saturday 10:00: the last hit is Friday 09:00.
  EXPECT_EQ(s.LastHitAtOrBefore(At(2026, 1, 10, 10), 2 * kDay), At(2026, 1, 9, 9));
  EXPECT_EQ(s.LastHitAtOrBefore(At(2026, 1, 10, 10), kDay), std::nullopt);
  // Monday 08:00: back over the weekend to Friday.
  EXPECT_EQ(s.LastHitAtOrBefore(At(2026, 1, 12, 8), 7 * kDay), At(2026, 1, 9, 9));
}

TEST(CronLastHitTest, AcrossMidnight) {
  const CronSchedule s = MustParse("30 22 * * *");
  EXPECT_EQ(s.LastHitAtOrBefore(At(2026, 1, 6, 1), 4 * kHour), At(2026, 1, 5, 22, 30));
  EXPECT_EQ(s.LastHitAtOrBefore(At(2026, 1, 6, 1), 2 * kHour), std::nullopt);  // gap 2h30m
  // Before the Unix epoch: negative times.
  EXPECT_EQ(s.LastHitAtOrBefore(0, kDay), At(1969, 12, 31, 22, 30));
  EXPECT_LT(At(1969, 12, 31, 22, 30), 0);
  const CronSchedule late = MustParse("59 23 * * *");
  EXPECT_EQ(late.LastHitAtOrBefore(At(2026, 1, 6), kMinute), At(2026, 1, 5, 23, 59));
}

TEST(CronLastHitTest, AcrossMonthAndYearBoundaries) {
  const CronSchedule last_day = MustParse("0 12 31 * *");
  EXPECT_EQ(last_day.LastHitAtOrBefore(At(2026, 2, 1), 2 * kDay), At(2026, 1, 31, 12));
  // February and April have no 31st: from May 1 the last hit is March 31.
  EXPECT_EQ(last_day.LastHitAtOrBefore(At(2026, 5, 1), 40 * kDay), At(2026, 3, 31, 12));
  EXPECT_EQ(last_day.LastHitAtOrBefore(At(2026, 5, 1), 30 * kDay), std::nullopt);
  const CronSchedule yearly = MustParse("@yearly");
  EXPECT_EQ(yearly.LastHitAtOrBefore(At(2026, 1, 5), 4 * kDay), At(2026, 1, 1));  // exactly 4 days
  EXPECT_EQ(yearly.LastHitAtOrBefore(At(2026, 1, 5), 4 * kDay - 1), std::nullopt);
  EXPECT_EQ(yearly.LastHitAtOrBefore(At(2026, 12, 31, 23, 59), 365 * kDay), At(2026, 1, 1));
  const CronSchedule feb = MustParse("0 0 * feb *");
  EXPECT_EQ(feb.LastHitAtOrBefore(At(2026, 6, 1), 200 * kDay), At(2026, 2, 28));
  const CronSchedule leap = MustParse("0 6 29 2 *");
  EXPECT_EQ(leap.LastHitAtOrBefore(At(2028, 3, 1), 2 * kDay), At(2028, 2, 29, 6));
  EXPECT_EQ(leap.LastHitAtOrBefore(At(2027, 3, 1), 1100 * kDay), At(2024, 2, 29, 6));
  EXPECT_EQ(leap.LastHitAtOrBefore(At(2027, 3, 1), 1000 * kDay), std::nullopt);
}

TEST(CronLastHitTest, NeverMatchingScheduleHasNoHit) {
  EXPECT_EQ(MustParse("0 0 30 2 *").LastHitAtOrBefore(At(2026, 6, 1), 3650 * kDay), std::nullopt);
}

TEST(CronLastHitTest, LongLookbacksAreCheap) {
  // A 400-day lookback on a schedule that matched long ago must not scan
  // minute by minute (~5e5 steps per call).
  const CronSchedule s = MustParse("0 0 1 1 *");
  Duration sum = 0;
  for (int i = 0; i < 1000; ++i) {
    sum += s.LastHitAtOrBefore(At(2026, 12, 31) + i * kMinute, 400 * kDay).value_or(0);
  }
  EXPECT_EQ(sum, 1000 * At(2026, 1, 1));
}

// Brute force: scan minute by minute.
std::optional<Duration> SlowLastHit(const CronSchedule& s, Duration t, Duration lookback) {
  for (Duration m = (t >= 0 ? t / kMinute : (t - kMinute + 1) / kMinute) * kMinute; m >= t - lookback;
       m -= kMinute) {
    if (s.Matches(ToCivilMinute(m))) return m;
  }
  return std::nullopt;
}

RC_GTEST_PROP(CronLastHitProp, AgreesWithMinuteByMinuteScan, ()) {
  static const std::vector<std::string> kMinutes = {"*", "0", "*/15", "5-10", "0,30", "59", "7/20"};
  static const std::vector<std::string> kHours = {"*", "0", "23", "9-17", "*/6", "1,13", "12"};
  static const std::vector<std::string> kDoms = {"*", "1", "31", "15-20", "*/10", "29", "30", "?", "*/1"};
  static const std::vector<std::string> kMonths = {"*", "jan", "FEB", "2-3", "*/4", "12", "apr,jun"};
  static const std::vector<std::string> kDows = {"*", "mon-fri", "0", "7", "sat,sun", "*/2", "3", "?"};
  const std::string spec = *rc::gen::elementOf(kMinutes) + " " + *rc::gen::elementOf(kHours) + " " +
                           *rc::gen::elementOf(kDoms) + " " + *rc::gen::elementOf(kMonths) + " " +
                           *rc::gen::elementOf(kDows);
  Result<CronSchedule> s = CronSchedule::Parse(spec);
  RC_ASSERT(s.ok());
  const Duration t = *rc::gen::inRange<Duration>(-10 * kDay, 800 * kDay);
  const Duration lookback = *rc::gen::inRange<Duration>(0, 3 * kDay);
  RC_ASSERT(s->LastHitAtOrBefore(t, lookback) == SlowLastHit(*s, t, lookback));
}

}  // namespace
}  // namespace adze::model
