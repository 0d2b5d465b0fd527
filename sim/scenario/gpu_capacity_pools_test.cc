#include "sim/scenario/gpu_capacity_pools.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario/scenario_decoder.h"

namespace adze::sim {
namespace {

// The pool size a list gives an offering, as simulated EC2 reads it (later
// entries win; a pattern is a type, a prefix ending in '*', or "*").
std::optional<int32_t> SizeOf(const std::vector<CapacityPool>& pools, std::string_view type,
                              std::string_view capacity_type) {
  std::optional<int32_t> size;
  for (const CapacityPool& p : pools) {
    std::string_view pattern = p.instance_type;
    bool match = pattern == "*" || pattern == type;
    if (!match && pattern.back() == '*') {
      pattern.remove_suffix(1);
      match = type.substr(0, pattern.size()) == pattern;
    }
    if (match && (p.capacity_type.empty() || p.capacity_type == capacity_type)) size = p.size;
  }
  return size;
}

TEST(GpuCapacityPoolsTest, EveryGpuTypeGetsACalibratedSpotAndOnDemandPoolAndNoOtherTypeDoes) {
  const catalog::Catalog& cat = catalog::Catalog::Embedded();
  const GpuPoolSizes sizes;
  const std::vector<CapacityPool> pools = CalibratedGpuPools(cat);
  size_t gpu_types = 0;
  for (const catalog::InstanceTypeInfo& info : cat.types()) {
    const bool gpu = info.gpu_count > 0 || !info.gpu_name.empty();
    if (!gpu) {
      EXPECT_FALSE(SizeOf(pools, info.instance_type, "spot").has_value()) << info.instance_type;
      EXPECT_FALSE(SizeOf(pools, info.instance_type, "on-demand").has_value()) << info.instance_type;
      continue;
    }
    ++gpu_types;
    const bool scarce = IsScarceGpuFamily(info);
    EXPECT_EQ(SizeOf(pools, info.instance_type, "spot"), scarce ? sizes.scarce_spot : sizes.gpu_spot)
        << info.instance_type;
    EXPECT_EQ(SizeOf(pools, info.instance_type, "on-demand"), scarce ? sizes.scarce_on_demand : sizes.gpu_on_demand)
        << info.instance_type;
  }
  EXPECT_GT(gpu_types, 50u);
  // The scarce class is the p-class; g5g is not caught by g5's pattern.
  EXPECT_EQ(SizeOf(pools, "p5.48xlarge", "on-demand"), sizes.scarce_on_demand);
  EXPECT_EQ(SizeOf(pools, "g5.xlarge", "spot"), sizes.gpu_spot);
  EXPECT_EQ(SizeOf(pools, "m5.large", "spot"), std::nullopt);
  EXPECT_LT(sizes.scarce_on_demand, sizes.gpu_on_demand);
  EXPECT_LT(sizes.gpu_spot, 200);  // the flat default that let 4,000 spot GPU nodes launch
}

Scenario Decode(const std::string& ec2) {
  const std::string text = "apiVersion: adze.dev/v1alpha1\nkind: Scenario\nregion: us-east-1\n" + ec2;
  Result<Scenario> r = DecodeScenario(text, "s.yaml", [](const std::string&) -> Result<std::string> {
    return Error::NotFound("no files");
  });
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : Scenario{};
}

TEST(GpuCapacityPoolsTest, AScenarioGetsThemUnlessItSizesEveryPoolAndItsOwnPoolsWin) {
  const Scenario plain = Decode("");
  EXPECT_EQ(SizeOf(plain.ec2.pools, "g6.xlarge", "spot"), GpuPoolSizes{}.gpu_spot);
  EXPECT_EQ(SizeOf(plain.ec2.pools, "m6i.large", "spot"), std::nullopt);  // defaultPoolSize applies

  const Scenario own = Decode("ec2:\n  pools:\n    - {instanceType: \"g6*\", capacityType: spot, size: 50}\n");
  EXPECT_EQ(SizeOf(own.ec2.pools, "g6.xlarge", "spot"), 50);
  EXPECT_EQ(SizeOf(own.ec2.pools, "g5.xlarge", "spot"), GpuPoolSizes{}.gpu_spot);

  const Scenario flat = Decode("ec2:\n  defaultPoolSize: 2000\n");
  EXPECT_TRUE(flat.ec2.pools.empty());
  EXPECT_EQ(flat.ec2.default_pool_size, 2000);
}

}  // namespace
}  // namespace adze::sim
