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

// SimTime of a UTC calendar minute.
Duration At(int64_t y, int32_t mo, int32_t d, int32_t h = 0, int32_t mi = 0) {
  return FromCivilMinute(CivilMinute{y, mo, d, h, mi});
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
