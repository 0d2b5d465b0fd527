#include "controllers/pool_usage.h"

#include <gtest/gtest.h>

namespace adze::controllers {
namespace {

ports::NodeClaimInfo Claim(const std::string& pool, int64_t cpu, int64_t gpus) {
  ports::NodeClaimInfo c;
  c.node_pool = pool;
  c.claim.capacity = {{"cpu", model::Quantity::FromUnits(cpu)},
                      {"memory", model::Quantity::MiB(4096)},
                      {"nvidia.com/gpu", model::Quantity::FromUnits(gpus)}};
  return c;
}

struct PoolUsageTest : ::testing::Test {
  std::vector<ports::NodeClaimInfo> held = {Claim("gpu", 8, 1), Claim("gpu", 48, 4), Claim("other", 96, 8)};
  std::vector<const ports::NodeClaimInfo*> claims;
  model::NodePool pool;
  void SetUp() override {
    for (const auto& c : held) claims.push_back(&c);
    pool.meta.name = "gpu";
  }
};

TEST_F(PoolUsageTest, APoolWithoutLimitsNeedsNoUsage) {
  EXPECT_TRUE(PoolUsage(pool, claims, true).empty());
}

TEST_F(PoolUsageTest, CountsTheLimitedResourcesOfThePoolsOwnClaims) {
  pool.limits = {{"nvidia.com/gpu", model::Quantity::FromUnits(16)}, {"nodes", model::Quantity::FromUnits(10)}};
  const model::ResourceList usage = PoolUsage(pool, claims, /*count_nodes=*/true);
  EXPECT_EQ(usage.Get("nvidia.com/gpu"), model::Quantity::FromUnits(5));
  EXPECT_EQ(usage.Get("nodes"), model::Quantity::FromUnits(2));
  EXPECT_FALSE(usage.Has("cpu"));  // not limited: nothing reads it
  // What the solver makes of it: 11 GPUs and 8 nodes left.
  EXPECT_EQ(pool.RemainingLimits(usage).Get("nvidia.com/gpu"), model::Quantity::FromUnits(11));
  EXPECT_EQ(pool.RemainingLimits(usage).Get("nodes"), model::Quantity::FromUnits(8));
  EXPECT_FALSE(PoolUsage(pool, claims, /*count_nodes=*/false).Has("nodes"));
}

}  // namespace
}  // namespace adze::controllers
