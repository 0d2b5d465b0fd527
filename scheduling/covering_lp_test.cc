#include "scheduling/covering_lp.h"

#include <gtest/gtest.h>

namespace adze::scheduling {
namespace {

// min 3x + 2y + 4z  s.t.  x + z ≥ 2,  y + z ≥ 3.  z covers both rows for 4,
// cheaper than x + y (5): optimum z = 2, y = 1, cost 10; duals (2, 2).
TEST(CoveringLp, FindsTheOptimumAndItsDuals) {
  CoveringLp lp({2, 3});
  lp.AddColumn(3, {1, 0});  // x (starting basis)
  lp.AddColumn(2, {0, 1});  // y (starting basis)
  const size_t z = lp.AddColumn(4, {1, 1});
  ASSERT_TRUE(lp.Solve());
  EXPECT_NEAR(lp.objective(), 10.0, 1e-9);
  EXPECT_NEAR(lp.value(z), 2.0, 1e-9);
  EXPECT_NEAR(lp.value(1), 1.0, 1e-9);
  EXPECT_NEAR(lp.value(0), 0.0, 1e-9);
  EXPECT_NEAR(lp.duals()[0], 2.0, 1e-9);
  EXPECT_NEAR(lp.duals()[1], 2.0, 1e-9);
}

// Columns added after a solve are priced in from the last basis.
TEST(CoveringLp, WarmStartsWhenColumnsAreAdded) {
  CoveringLp lp({4, 4});
  lp.AddColumn(1, {1, 0});
  lp.AddColumn(1, {0, 1});
  ASSERT_TRUE(lp.Solve());
  EXPECT_NEAR(lp.objective(), 8.0, 1e-9);
  const size_t both = lp.AddColumn(1.5, {2, 1});
  ASSERT_TRUE(lp.Solve());
  // 2 × both covers (4, 2) for 3, then 2 × y for 2: 5.
  EXPECT_NEAR(lp.objective(), 5.0, 1e-9);
  EXPECT_NEAR(lp.value(both), 2.0, 1e-9);
}

// min x + y + w over x = (1, 0), y = (0, 1), w = (6, 1), demand (3, 3):
// optimum 3 (e.g. w = 3, over-covering row 0), and the only optimal duals
// are (0, 1): an over-coverable row is worth nothing.
TEST(CoveringLp, OverCoveredRowsHaveZeroDual) {
  CoveringLp lp({3, 3});
  lp.AddColumn(1, {1, 0});
  lp.AddColumn(1, {0, 1});
  lp.AddColumn(1, {6, 1});
  ASSERT_TRUE(lp.Solve());
  EXPECT_NEAR(lp.objective(), 3.0, 1e-9);
  EXPECT_NEAR(lp.duals()[0], 0.0, 1e-9);
  EXPECT_NEAR(lp.duals()[1], 1.0, 1e-9);
}

}  // namespace
}  // namespace adze::scheduling
