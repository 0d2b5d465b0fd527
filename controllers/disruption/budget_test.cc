#include "controllers/disruption/budget.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace adze::controllers::disruption {
namespace {

using model::Budget;
using model::DisruptionReason;
using model::Duration;
using model::kHour;
using model::kMinute;
using model::kSecond;
using model::NodePool;

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

// ---- civil time --------------------------------------------------------------

TEST(CivilTest, EpochIsMondayFifthOfJanuary2026) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(WeekdayFromDays(0), 4);  // Thursday
  EXPECT_EQ(ToCivilMinute(0), (CivilMinute{2026, 1, 5, 0, 0}));
  EXPECT_EQ(WeekdayFromDays(kSimEpochUnixSeconds / 86400), 1);  // Monday
  EXPECT_EQ(ToCivilMinute(-1), (CivilMinute{2026, 1, 4, 23, 59}));
  EXPECT_EQ(ToCivilMinute(59 * kSecond + 999'999), (CivilMinute{2026, 1, 5, 0, 0}));
  EXPECT_EQ(ToCivilMinute(25 * kHour + 61 * kMinute), (CivilMinute{2026, 1, 6, 2, 1}));
  EXPECT_EQ(At(2026, 1, 5), 0);
  EXPECT_EQ(At(2026, 1, 5, 10), 10 * kHour);
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
  // Just before midnight of the SimTime epoch: negative SimTime.
  EXPECT_EQ(s.LastHitAtOrBefore(0, kDay), At(2026, 1, 4, 22, 30));
  EXPECT_LT(At(2026, 1, 4, 22, 30), 0);
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
  EXPECT_EQ(yearly.LastHitAtOrBefore(0, 4 * kDay), At(2026, 1, 1));  // exactly 4 days
  EXPECT_EQ(yearly.LastHitAtOrBefore(0, 4 * kDay - 1), std::nullopt);
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

// ---- budgets ----------------------------------------------------------------------

Budget Count(int32_t n, std::vector<DisruptionReason> reasons = {}) {
  Budget b;
  b.nodes = n;
  b.reasons = std::move(reasons);
  return b;
}

Budget Percent(int32_t p, std::vector<DisruptionReason> reasons = {}) {
  Budget b = Count(p, std::move(reasons));
  b.percent = true;
  return b;
}

Budget Scheduled(Budget b, std::string schedule, std::optional<Duration> duration) {
  b.schedule = std::move(schedule);
  b.duration = duration;
  return b;
}

NodePool Pool(std::vector<Budget> budgets) {
  NodePool p;
  p.meta.name = "default";
  p.budgets = std::move(budgets);
  return p;
}

constexpr DisruptionReason kEmpty = DisruptionReason::kEmpty;
constexpr DisruptionReason kDrifted = DisruptionReason::kDrifted;
constexpr DisruptionReason kUnderutilized = DisruptionReason::kUnderutilized;
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();

TEST(BudgetTest, DefaultIsTenPercentRoundedUp) {
  const NodePool p;  // default budgets
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, 0, 5, 0), 1);
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, 0, 0, 0), 0);
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, 0, 10, 0), 1);
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, 0, 11, 0), 2);
  EXPECT_EQ(AllowedDisruptions(p, kDrifted, 0, 100, 0), 10);
}

TEST(BudgetTest, CountsAndPercentages) {
  EXPECT_EQ(AllowedDisruptions(Pool({Count(3)}), kEmpty, 0, 100, 0), 3);
  EXPECT_EQ(AllowedDisruptions(Pool({Count(3)}), kEmpty, 0, 1, 0), 3);  // a count is not capped by the pool size
  EXPECT_EQ(AllowedDisruptions(Pool({Count(0)}), kEmpty, 0, 100, 0), 0);
  EXPECT_EQ(AllowedDisruptions(Pool({Percent(25)}), kEmpty, 0, 10, 0), 3);  // ceil(2.5)
  EXPECT_EQ(AllowedDisruptions(Pool({Percent(100)}), kEmpty, 0, 7, 0), 7);
  EXPECT_EQ(AllowedDisruptions(Pool({Percent(0)}), kEmpty, 0, 7, 0), 0);
  EXPECT_EQ(AllowedDisruptions(Pool({Percent(1)}), kEmpty, 0, 1, 0), 1);
}

TEST(BudgetTest, DisruptingNodesAreSubtracted) {
  EXPECT_EQ(AllowedDisruptions(Pool({Count(3)}), kEmpty, 0, 10, 1), 2);
  EXPECT_EQ(AllowedDisruptions(Pool({Count(3)}), kEmpty, 0, 10, 3), 0);
  EXPECT_EQ(AllowedDisruptions(Pool({Count(3)}), kEmpty, 0, 10, 5), 0);  // floored at 0
  EXPECT_EQ(AllowedDisruptions(Pool({Percent(50)}), kEmpty, 0, 10, 2), 3);
}

TEST(BudgetTest, MinimumOverSeveralBudgets) {
  const NodePool p = Pool({Percent(50), Count(4), Percent(20)});
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, 0, 10, 0), 2);   // 5, 4, 2
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, 0, 100, 0), 4);  // 50, 4, 20
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, 0, 4, 0), 1);    // 2, 4, 1
  const BudgetEvaluation e = EvaluateBudgets(p, kEmpty, 0, 100, 1);
  EXPECT_EQ(e.allowed, 3);
  EXPECT_EQ(e.limit, 4);
  EXPECT_EQ(e.binding, 1u);
  EXPECT_NE(e.detail.find("budget[1]"), std::string::npos) << e.detail;
  // Ties go to the first budget.
  EXPECT_EQ(EvaluateBudgets(Pool({Count(2), Count(2)}), kEmpty, 0, 10, 0).binding, 0u);
}

TEST(BudgetTest, ReasonsFilter) {
  const NodePool p = Pool({Count(0, {kDrifted}), Count(2, {kEmpty, kUnderutilized}), Count(5)});
  EXPECT_EQ(AllowedDisruptions(p, kDrifted, 0, 10, 0), 0);
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, 0, 10, 0), 2);
  EXPECT_EQ(AllowedDisruptions(p, kUnderutilized, 0, 10, 0), 2);
  // Only a drift budget: the other reasons are unlimited.
  const NodePool drift_only = Pool({Count(1, {kDrifted})});
  EXPECT_EQ(AllowedDisruptions(drift_only, kDrifted, 0, 10, 0), 1);
  EXPECT_EQ(AllowedDisruptions(drift_only, kEmpty, 0, 10, 0), kInt32Max);
}

TEST(BudgetTest, NoBudgetsMeansNoLimit) {
  const NodePool p = Pool({});
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, 0, 10, 0), kInt32Max);
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, 0, 10, 3), kInt32Max - 3);
  const BudgetEvaluation e = EvaluateBudgets(p, kEmpty, 0, 10, 0);
  EXPECT_EQ(e.binding, std::nullopt);
  EXPECT_EQ(e.limit, kInt32Max);
  EXPECT_NE(e.detail.find("no active budget"), std::string::npos) << e.detail;
}

TEST(BudgetTest, ScheduleWindow) {
  // Block all disruption during business hours; 10% otherwise.
  const NodePool p = Pool({Scheduled(Count(0), "0 9 * * mon-fri", 8 * kHour), Percent(10)});
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, At(2026, 1, 5, 10), 20, 0), 0);      // Monday 10:00
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, At(2026, 1, 5, 9), 20, 0), 0);       // the hit itself
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, At(2026, 1, 5, 16, 59), 20, 0), 0);
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, At(2026, 1, 5, 17), 20, 0), 2);      // [09:00, 17:00)
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, At(2026, 1, 5, 18), 20, 0), 2);      // Monday 18:00
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, At(2026, 1, 5, 8, 59), 20, 0), 2);
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, At(2026, 1, 10, 10), 20, 0), 2);     // Saturday 10:00
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, At(2026, 1, 9, 12), 20, 0), 0);      // Friday noon
  const BudgetEvaluation e = EvaluateBudgets(p, kEmpty, At(2026, 1, 5, 10), 20, 0);
  EXPECT_EQ(e.binding, 0u);
  EXPECT_NE(e.detail.find("0 9 * * mon-fri"), std::string::npos) << e.detail;
  EXPECT_EQ(EvaluateBudgets(p, kEmpty, At(2026, 1, 10, 10), 20, 0).binding, 1u);

  EXPECT_EQ(BudgetIsActive(p.budgets[0], At(2026, 1, 5, 10)).value(), true);
  EXPECT_EQ(BudgetIsActive(p.budgets[0], At(2026, 1, 5, 18)).value(), false);
  EXPECT_EQ(BudgetIsActive(p.budgets[0], At(2026, 1, 10, 10)).value(), false);
}

TEST(BudgetTest, ScheduleWindowSpanningMidnight) {
  const NodePool p = Pool({Scheduled(Count(5), "0 22 * * *", 4 * kHour)});
  EXPECT_EQ(AllowedDisruptions(p, kDrifted, At(2026, 1, 6, 1), 50, 0), 5);
  EXPECT_EQ(AllowedDisruptions(p, kDrifted, At(2026, 1, 6, 2), 50, 0), kInt32Max);  // window over, no limit
  EXPECT_EQ(AllowedDisruptions(p, kDrifted, At(2026, 1, 5, 21), 50, 0), kInt32Max);
}

TEST(BudgetTest, MalformedScheduleAllowsZero) {
  const NodePool p = Pool({Scheduled(Count(5), "0 9 * * funday", 8 * kHour), Count(3)});
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, At(2026, 1, 5, 10), 10, 0), 0);
  EXPECT_EQ(AllowedDisruptions(p, kEmpty, At(2026, 1, 10, 10), 10, 0), 0);  // regardless of time
  const BudgetEvaluation e = EvaluateBudgets(p, kEmpty, 0, 10, 0);
  EXPECT_EQ(e.binding, 0u);
  EXPECT_NE(e.detail.find("malformed"), std::string::npos) << e.detail;
  EXPECT_NE(e.detail.find("funday"), std::string::npos) << e.detail;
  // A malformed budget for another reason does not matter.
  const NodePool other = Pool({Scheduled(Count(5, {kDrifted}), "bogus", kHour), Count(3)});
  EXPECT_EQ(AllowedDisruptions(other, kEmpty, 0, 10, 0), 3);
  EXPECT_EQ(AllowedDisruptions(other, kDrifted, 0, 10, 0), 0);
  // A duration without a schedule is malformed too (Karpenter fails the parse).
  EXPECT_EQ(AllowedDisruptions(Pool({Scheduled(Count(5), "", kHour)}), kEmpty, 0, 10, 0), 0);
  EXPECT_FALSE(BudgetIsActive(Scheduled(Count(5), "", kHour), 0).ok());
}

TEST(BudgetTest, KarpenterEdgeCases) {
  // A schedule without a duration is never active (duration 0).
  EXPECT_EQ(BudgetIsActive(Scheduled(Count(0), "* * * * *", std::nullopt), At(2026, 1, 5, 10)).value(), false);
  // A schedule that can never fire: robfig's Next returns the zero time, which
  // Karpenter reads as active.
  EXPECT_EQ(BudgetIsActive(Scheduled(Count(0), "0 0 30 2 *", kHour), At(2026, 1, 5, 10)).value(), true);
  // Every-minute schedule with any positive duration is always active.
  EXPECT_EQ(BudgetIsActive(Scheduled(Count(0), "* * * * *", kSecond), At(2026, 1, 5, 10) + 59 * kSecond).value(),
            false);  // last hit 59 s ago, window 1 s
  EXPECT_EQ(BudgetIsActive(Scheduled(Count(0), "* * * * *", kMinute), At(2026, 1, 5, 10) + 59 * kSecond).value(),
            true);
}

RC_GTEST_PROP(BudgetProp, AllowedIsMonotoneAndBounded, ()) {
  const int32_t n_budgets = *rc::gen::inRange(0, 4);
  std::vector<Budget> budgets;
  for (int32_t i = 0; i < n_budgets; ++i) {
    Budget b = *rc::gen::element(Count(*rc::gen::inRange(0, 20)), Percent(*rc::gen::inRange(0, 101)));
    if (*rc::gen::arbitrary<bool>()) b.reasons = {*rc::gen::element(kEmpty, kDrifted, kUnderutilized)};
    budgets.push_back(b);
  }
  const NodePool p = Pool(budgets);
  const DisruptionReason reason = *rc::gen::element(kEmpty, kDrifted, kUnderutilized);
  const int32_t total = *rc::gen::inRange(0, 1000);
  const int32_t disrupting = *rc::gen::inRange(0, 50);
  const int32_t a = AllowedDisruptions(p, reason, 0, total, disrupting);
  RC_ASSERT(a >= 0);
  // More disrupting nodes never allow more; more nodes never allow fewer.
  RC_ASSERT(AllowedDisruptions(p, reason, 0, total, disrupting + 1) <= a);
  RC_ASSERT(AllowedDisruptions(p, reason, 0, total + 1, disrupting) >= a);
  // Adding a budget never allows more.
  NodePool tighter = p;
  tighter.budgets.push_back(Count(*rc::gen::inRange(0, 20)));
  RC_ASSERT(AllowedDisruptions(tighter, reason, 0, total, disrupting) <= a);
}

}  // namespace
}  // namespace adze::controllers::disruption
