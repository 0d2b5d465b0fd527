#include "ports/metrics_registry.h"

#include <gtest/gtest.h>

namespace adze::ports {
namespace {

TEST(MetricsRegistryTest, KeepsSeriesByNameAndLabels) {
  MetricsRegistry m;
  m.Add("terminated_total", 1, {{"reason", "empty"}});
  m.Add("terminated_total", 2, {{"reason", "empty"}});
  m.Add("terminated_total", 1, {{"reason", "drifted"}});
  EXPECT_EQ(m.Counter("terminated_total", {{"reason", "empty"}}), 3);
  EXPECT_EQ(m.Counter("terminated_total"), 0);  // the unlabelled series was never written
  auto by = m.CounterBy("terminated_total", "reason");
  EXPECT_EQ(by.size(), 2u);
  EXPECT_EQ(by["drifted"], 1);
}

TEST(MetricsRegistryTest, GaugesKeepTheLastValueHistogramsEveryObservation) {
  MetricsRegistry m;
  m.Set("nodes", 3);
  m.Set("nodes", 2);
  EXPECT_EQ(m.Gauge("nodes"), 2);
  m.Observe("decision_seconds", 0.5);
  m.Observe("decision_seconds", 0.1);
  EXPECT_EQ(m.Observations("decision_seconds"), (std::vector<double>{0.5, 0.1}));
  EXPECT_TRUE(m.Observations("other").empty());
}

}  // namespace
}  // namespace adze::ports
