#include "adapters/twin/kwok_cloud_provider.h"

#include <gtest/gtest.h>

#include "adapters/kube/wall_clock.h"
#include "model/labels.h"

namespace adze::twin {
namespace {

model::NodeClaim Claim(const std::string& name, std::vector<std::string> types, std::string capacity_type = "") {
  model::NodeClaim c;
  c.meta.name = name;
  c.meta.labels[std::string{model::label::kNodePool}] = "default";
  c.node_class_ref.name = "default";
  c.requirements.Add(model::Requirement::In(std::string{model::label::kInstanceType}, std::move(types)));
  if (!capacity_type.empty()) {
    c.requirements.Add(model::Requirement::In(std::string{model::label::kCapacityType}, {capacity_type}));
  }
  return c;
}

TEST(KwokCloudProvider, LaunchesTheCheapestAllowedOfferingLater) {
  kube::WallClock clock;
  std::vector<ports::NodeClaimInfo> claims;
  KwokCloudProvider cloud(catalog::Catalog::Embedded(), clock, nullptr, [&] { return claims; });
  std::optional<Result<ports::Instance>> got;
  cloud.Create(Claim("c1", {"m6i.large", "m6i.xlarge"}, "on-demand"), 0, [&](Result<ports::Instance> r) { got = r; });
  EXPECT_FALSE(got.has_value());  // never from inside Create
  clock.RunDue();
  ASSERT_TRUE(got.has_value());
  ASSERT_TRUE(got->ok()) << got->error().message;
  EXPECT_EQ((*got)->instance_type, "m6i.large");
  EXPECT_EQ((*got)->capacity_type, "on-demand");
  EXPECT_EQ((*got)->provider_id, "kwok://c1");
  EXPECT_GT((*got)->price_per_hour, 0);
  ASSERT_EQ(cloud.List().size(), 1u);
  // ICE on every on-demand offering of the type: the next launch fails.
  auto types = cloud.GetInstanceTypes(model::NodePool{});
  ASSERT_TRUE(types.ok());
  const std::vector<catalog::InstanceType>& list = types->all();
  for (const catalog::InstanceType& t : list) {
    if (t.name != "m6i.large") continue;
    for (const catalog::Offering& o : t.offerings) cloud.MarkUnavailable({o.capacity_type, t.name, o.zone});
  }
  std::optional<Result<ports::Instance>> ice;
  cloud.Create(Claim("c2", {"m6i.large"}, "on-demand"), 0, [&](Result<ports::Instance> r) { ice = r; });
  clock.RunDue();
  ASSERT_TRUE(ice.has_value());
  EXPECT_EQ(ice->error().code, ErrorCode::kInsufficientCapacity);
  EXPECT_TRUE(cloud.Delete("kwok://c1").ok());
  EXPECT_EQ(cloud.Delete("kwok://c1").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(cloud.List().empty());
}

TEST(KwokCloudProvider, InstancesAreTheClaimsAfterARestart) {
  kube::WallClock clock;
  std::vector<ports::NodeClaimInfo> claims(1);
  claims[0].claim.meta.name = "old";
  claims[0].claim.provider_id = "kwok://old";
  claims[0].instance_type = "c6i.large";
  claims[0].node_pool = "default";
  KwokCloudProvider cloud(catalog::Catalog::Embedded(), clock, nullptr, [&] { return claims; });
  auto i = cloud.Get("kwok://old");
  ASSERT_TRUE(i.has_value());
  EXPECT_EQ(i->instance_type, "c6i.large");
  EXPECT_EQ(i->node_claim, "old");
  EXPECT_FALSE(cloud.Get("aws:///us-east-1a/i-1").has_value());
}

}  // namespace
}  // namespace adze::twin
