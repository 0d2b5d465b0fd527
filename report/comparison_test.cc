#include "report/comparison.h"

#include <gtest/gtest.h>

namespace adze::report {
namespace {

TEST(ComparisonTest, PairedDifferenceHasAStudentTInterval) {
  // Differences 1, 2, 3: mean 2, sd 1, t(2) = 4.303 → ±4.303/√3.
  const Interval d = PairedDifference({11, 12, 13}, {10, 10, 10});
  EXPECT_DOUBLE_EQ(d.mean, 2);
  ASSERT_TRUE(d.low && d.high);
  EXPECT_NEAR(*d.low, 2 - 4.303 / std::sqrt(3.0), 1e-9);
  EXPECT_NEAR(*d.high, 2 + 4.303 / std::sqrt(3.0), 1e-9);
}

TEST(ComparisonTest, OneSeedHasNoInterval) {
  const Interval d = PairedDifference({5}, {3});
  EXPECT_DOUBLE_EQ(d.mean, 2);
  EXPECT_FALSE(d.low.has_value());
  EXPECT_EQ(FormatDifference({"cost_usd", "cost", "$"}, d), "+$2.00");
}

TEST(ComparisonTest, MetricsIntegratePendingPodsOverTheTimeSeries) {
  sim::RunResult run;
  run.summary.gpu_hours_provisioned = 10;
  run.summary.gpu_hours_requested = 4;
  for (int m = 0; m < 120; ++m) {
    sim::TimeseriesRow row;
    row.minute = m;
    row.pods_pending = 3;
    run.timeseries.push_back(row);
  }
  const auto v = MetricsOf(run);
  ASSERT_EQ(v.size(), ComparedMetrics().size());
  EXPECT_DOUBLE_EQ(v[3], 6);   // idle GPU-hours
  EXPECT_DOUBLE_EQ(v[7], 6);   // 3 pods × 2 h
}

}  // namespace
}  // namespace adze::report
