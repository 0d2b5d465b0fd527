#include "model/workloads.h"

#include <gtest/gtest.h>

namespace adze::model {
namespace {

PodDisruptionBudget Budget(std::optional<int32_t> min, std::optional<int32_t> max, bool percent) {
  PodDisruptionBudget pdb;
  pdb.meta.namespace_ = "web";
  pdb.selector.match_labels = {{"app", "web"}};
  pdb.min_available = min;
  pdb.max_unavailable = max;
  pdb.min_available_percent = percent && min;
  pdb.max_unavailable_percent = percent && max;
  return pdb;
}

TEST(PodDisruptionBudgetTest, MinAvailableCountsHealthyPods) {
  EXPECT_EQ(Budget(3, std::nullopt, false).DisruptionsAllowed(5, 5), 2);
  EXPECT_EQ(Budget(3, std::nullopt, false).DisruptionsAllowed(5, 3), 0);
  EXPECT_EQ(Budget(3, std::nullopt, false).DisruptionsAllowed(5, 2), 0);  // never negative
}

TEST(PodDisruptionBudgetTest, MaxUnavailableSubtractsUnhealthyPods) {
  EXPECT_EQ(Budget(std::nullopt, 2, false).DisruptionsAllowed(5, 5), 2);
  EXPECT_EQ(Budget(std::nullopt, 2, false).DisruptionsAllowed(5, 4), 1);
  EXPECT_EQ(Budget(std::nullopt, 0, false).DisruptionsAllowed(5, 5), 0);
}

TEST(PodDisruptionBudgetTest, PercentagesRoundUpOverExpectedPods) {
  // 50 % of 5 = 2.5 → 3.
  EXPECT_EQ(Budget(50, std::nullopt, true).DisruptionsAllowed(5, 5), 2);
  EXPECT_EQ(Budget(std::nullopt, 50, true).DisruptionsAllowed(5, 5), 3);
}

TEST(PodDisruptionBudgetTest, SelectsPodsOfItsNamespaceOnly) {
  const PodDisruptionBudget pdb = Budget(1, std::nullopt, false);
  Pod pod;
  pod.meta.namespace_ = "web";
  pod.meta.labels = {{"app", "web"}};
  EXPECT_TRUE(pdb.Selects(pod));
  pod.meta.namespace_ = "other";
  EXPECT_FALSE(pdb.Selects(pod));
}

}  // namespace
}  // namespace adze::model
