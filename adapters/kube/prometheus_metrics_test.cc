#include "adapters/kube/prometheus_metrics.h"

#include <gtest/gtest.h>

#include "adapters/kube/wall_clock.h"

namespace adze::kube {
namespace {

TEST(PrometheusMetrics, RendersTextFormatWithKarpenterNames) {
  PrometheusMetrics m;
  m.Declare("karpenter_scheduler_queue_depth", "gauge", "The number of pods waiting to be scheduled.");
  m.Add("adze_nodeclaims_created_total", 2, {{"nodepool", "gpu"}});
  m.Add("adze_nodeclaims_terminated_total", 1, {{"reason", "say \"hi\"\n"}});
  m.Observe("adze_provisioning_decision_seconds", 0.02);
  m.Observe("adze_provisioning_decision_seconds", 3);
  std::string text = m.Render();
  EXPECT_NE(text.find("# TYPE karpenter_nodeclaims_created_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("karpenter_nodeclaims_created_total{nodepool=\"gpu\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("adze_nodeclaims_created_total{nodepool=\"gpu\"} 2\n"), std::string::npos);
  // Label values are escaped.
  EXPECT_NE(text.find(R"(reason="say \"hi\"\n")"), std::string::npos) << text;
  // Declared before any write: exported at 0.
  EXPECT_NE(text.find("karpenter_scheduler_queue_depth 0\n"), std::string::npos);
  // Cumulative buckets, shortest number spelling.
  EXPECT_NE(text.find("karpenter_scheduler_scheduling_duration_seconds_bucket{le=\"0.025\"} 1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("karpenter_scheduler_scheduling_duration_seconds_bucket{le=\"5\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("karpenter_scheduler_scheduling_duration_seconds_bucket{le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("karpenter_scheduler_scheduling_duration_seconds_count 2\n"), std::string::npos);
  EXPECT_DOUBLE_EQ(m.Value("karpenter_nodeclaims_created_total", {{"nodepool", "gpu"}}), 2);
  EXPECT_EQ(PrometheusMetrics::KarpenterName("adze_something_else"), "");
}

TEST(WallClock, TimersRunInOrderOnRunDue) {
  WallClock clock;
  std::vector<int> ran;
  ports::Time now = clock.Now();
  clock.At(now + 3600 * model::kSecond, [&] { ran.push_back(9); });  // not due
  clock.At(now - 2, [&] { ran.push_back(2); });
  clock.At(now - 5, [&] { ran.push_back(1); });
  clock.At(now - 2, [&] { ran.push_back(3); });  // same time: in the order set
  EXPECT_TRUE(ran.empty());                      // never inside At
  EXPECT_EQ(clock.RunDue(), 3u);
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(clock.Now(), now);
}

}  // namespace
}  // namespace adze::kube
