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
  run.summary.time_to_running.p95 = 9;
  run.summary.time_to_running_of_arrivals.p95 = 12;
  const auto v = MetricsOf(run);
  ASSERT_EQ(v.size(), ComparedMetrics().size());
  auto metric = [&](std::string_view id) {
    const auto& defs = ComparedMetrics();
    for (size_t i = 0; i < defs.size(); ++i) {
      if (defs[i].key == id) return v[i];
    }
    ADD_FAILURE() << "no metric " << id;
    return -1.0;
  };
  EXPECT_DOUBLE_EQ(metric("gpu_hours_idle"), 6);
  EXPECT_DOUBLE_EQ(metric("pod_hours_pending"), 6);  // 3 pods × 2 h
  EXPECT_DOUBLE_EQ(metric("time_to_running_p95_s"), 9);
  EXPECT_DOUBLE_EQ(metric("arrivals_time_to_running_p95_s"), 12);
}

}  // namespace
}  // namespace adze::report
