#include "catalog/instance_type.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/testing_csv.h"
#include "model/labels.h"

namespace adze::catalog {
namespace {

using model::AmiFamily;
using model::EC2NodeClass;
using model::Quantity;
using model::Requirement;
using model::Requirements;
namespace label = model::label;
namespace resource = model::resource;

EC2NodeClass Al2023() {
  EC2NodeClass nc;
  nc.ami_family = AmiFamily::kAL2023;
  return nc;
}

InstanceType Resolve(std::string_view name, const EC2NodeClass& nc = Al2023(), const CapacityOptions& opts = {}) {
  const InstanceTypeInfo* info = Catalog::Embedded().Find(name);
  EXPECT_NE(info, nullptr) << name;
  return ResolveInstanceType(*info, nc, opts);
}

std::vector<std::string> Values(const Requirements& r, std::string_view key) {
  const Requirement* req = r.Find(key);
  EXPECT_NE(req, nullptr) << key;
  return req ? req->values() : std::vector<std::string>{};
}

TEST(ResolveInstanceTypesTest, CurrentTypesByDefaultRetiredOnRequest) {
  const Catalog& c = Catalog::Embedded();
  auto current = ResolveInstanceTypes(c, Al2023(), {});
  EXPECT_EQ(current.size(), 362u);
  EXPECT_TRUE(std::is_sorted(current.begin(), current.end(),
                             [](const InstanceType& a, const InstanceType& b) { return a.name < b.name; }));
  auto has = [](const std::vector<InstanceType>& v, std::string_view n) {
    return std::any_of(v.begin(), v.end(), [&](const InstanceType& t) { return t.name == n; });
  };
  for (const char* retired : {"g3.4xlarge", "g3s.xlarge", "p2.xlarge", "p3.16xlarge", "dl1.24xlarge"}) {
    EXPECT_FALSE(has(current, retired)) << retired;
  }
  CapacityOptions opts;
  opts.include_retired = true;
  auto all = ResolveInstanceTypes(c, Al2023(), opts);
  EXPECT_EQ(all.size(), 373u);
  EXPECT_TRUE(has(all, "p3.16xlarge"));
  for (const InstanceType& t : all) {
    ASSERT_NE(t.info, nullptr);
    EXPECT_EQ(t.info, c.Find(t.name));
  }
}

TEST(InstanceTypeTest, M5LargeAl2023Allocatable) {
  InstanceType t = Resolve("m5.large");
  auto a = t.Allocatable();
  EXPECT_EQ(a.Get(resource::kCpu), Quantity::FromMilli(1930));
  EXPECT_EQ(a.Get(resource::kMemory), Quantity::MiB(6903));
  EXPECT_EQ(a.Get(resource::kPods), Quantity::FromUnits(29));
  EXPECT_EQ(a.Get(resource::kEphemeralStorage), Quantity::Bytes(17LL << 30));
  EXPECT_EQ(t.capacity.Get(resource::kMemory), Quantity::MiB(7577));
  EXPECT_EQ(t.max_pods_secondary_ip, 29);
  EXPECT_EQ(t.max_pods_prefix_delegation, 110);
  EXPECT_EQ(t.overhead.Get(resource::kCpu), Quantity::FromMilli(70));
}

TEST(InstanceTypeTest, AllocatableFloorsAtZero) {
  EC2NodeClass nc = Al2023();
  nc.kubelet.system_reserved.Set(resource::kCpu, Quantity::FromUnits(8));
  nc.kubelet.system_reserved.Set("example.com/widget", Quantity::FromUnits(1));
  auto a = Resolve("m5.large", nc).Allocatable();
  EXPECT_EQ(a.Get(resource::kCpu), Quantity::FromMilli(0));
  EXPECT_FALSE(a.Has("example.com/widget"));  // only capacity's names
}

TEST(InstanceTypeTest, PrefixDelegationCapacity) {
  CapacityOptions pd;
  pd.prefix_delegation = true;
  EXPECT_EQ(Resolve("g5.xlarge", Al2023(), pd).capacity.Get(resource::kPods), Quantity::FromUnits(110));
  InstanceType p5 = Resolve("p5.48xlarge", Al2023(), pd);
  EXPECT_EQ(p5.capacity.Get(resource::kPods), Quantity::FromUnits(250));
  EXPECT_EQ(p5.max_pods_secondary_ip, 100);
  EXPECT_EQ(p5.max_pods_prefix_delegation, 250);
}

TEST(InstanceTypeTest, P5LabelsAndCapacity) {
  InstanceType t = Resolve("p5.48xlarge");
  model::Labels labels = t.requirements.SingleValuedLabels();
  EXPECT_EQ(labels[std::string(label::kInstanceGpuName)], "h100");
  EXPECT_EQ(labels[std::string(label::kInstanceGpuCount)], "8");
  EXPECT_EQ(labels[std::string(label::kInstanceGpuMemory)], "81920");
  EXPECT_EQ(labels[std::string(label::kInstanceGpuManufacturer)], "nvidia");
  EXPECT_EQ(labels[std::string(label::kInstanceType)], "p5.48xlarge");
  EXPECT_EQ(labels[std::string(label::kArch)], "amd64");
  EXPECT_EQ(labels[std::string(label::kOs)], "linux");
  EXPECT_EQ(labels[std::string(label::kRegion)], "us-east-1");
  EXPECT_EQ(labels[std::string(label::kInstanceCategory)], "p");
  EXPECT_EQ(labels[std::string(label::kInstanceFamily)], "p5");
  EXPECT_EQ(labels[std::string(label::kInstanceGeneration)], "5");
  EXPECT_EQ(labels[std::string(label::kInstanceSize)], "48xlarge");
  EXPECT_EQ(labels[std::string(label::kInstanceCpu)], "192");
  EXPECT_EQ(labels[std::string(label::kInstanceMemory)], "2097152");
  EXPECT_EQ(labels[std::string(label::kInstanceHypervisor)], "nitro");
  EXPECT_EQ(labels[std::string(label::kInstanceNetworkBandwidth)], "3200000");
  EXPECT_EQ(labels[std::string(label::kInstanceLocalNvme)], "30400");
  EXPECT_FALSE(labels.contains(std::string(label::kInstanceAcceleratorName)));
  EXPECT_EQ(t.capacity.Get(resource::kNvidiaGpu), Quantity::FromUnits(8));
  EXPECT_EQ(t.capacity.Get(resource::kEfa), Quantity::FromUnits(32));
  EXPECT_EQ(t.max_pods_secondary_ip, 100);
  EXPECT_EQ(Values(t.requirements, label::kZone).size(), 6u);
  EXPECT_EQ(Values(t.requirements, label::kCapacityType), (std::vector<std::string>{"on-demand", "spot"}));
}

TEST(InstanceTypeTest, FractionalGpuHasNoGpuLabels) {
  InstanceType t = Resolve("g6f.large");
  model::Labels labels = t.requirements.SingleValuedLabels();
  for (std::string_view key : {label::kInstanceGpuName, label::kInstanceGpuCount, label::kInstanceGpuManufacturer,
                               label::kInstanceGpuMemory}) {
    EXPECT_FALSE(labels.contains(std::string(key))) << key;
    // DoesNotExist, so a pod that needs a GPU label does not match.
    const Requirement* r = t.requirements.Find(key);
    ASSERT_NE(r, nullptr) << key;
    EXPECT_EQ(r->op(), model::Operator::kDoesNotExist) << key;
  }
  EXPECT_FALSE(t.capacity.Has(resource::kNvidiaGpu));
}

TEST(InstanceTypeTest, AbsentValuesAreDoesNotExist) {
  InstanceType m5 = Resolve("m5.large");
  Requirements needs_gpu;
  needs_gpu.Add(Requirement::Exists(std::string(label::kInstanceGpuCount)));
  EXPECT_TRUE(m5.requirements.Compatible(needs_gpu).has_value());
  EXPECT_FALSE(Resolve("g5.xlarge").requirements.Compatible(needs_gpu).has_value());
  EXPECT_EQ(m5.requirements.Find(label::kInstanceLocalNvme)->op(), model::Operator::kDoesNotExist);
  EXPECT_EQ(m5.requirements.Find(label::kWindowsBuild)->op(), model::Operator::kDoesNotExist);
  // Bare metal has no hypervisor.
  EXPECT_EQ(Resolve("m5.metal").requirements.Find(label::kInstanceHypervisor)->op(), model::Operator::kDoesNotExist);
}

TEST(InstanceTypeTest, AcceleratorLabels) {
  model::Labels inf2 = Resolve("inf2.xlarge").requirements.SingleValuedLabels();
  EXPECT_EQ(inf2[std::string(label::kInstanceAcceleratorName)], "inferentia2");
  EXPECT_EQ(inf2[std::string(label::kInstanceAcceleratorManufacturer)], "aws");
  EXPECT_EQ(inf2[std::string(label::kInstanceAcceleratorCount)], "1");
  EXPECT_FALSE(inf2.contains(std::string(label::kInstanceGpuName)));
}

TEST(InstanceTypeTest, GravitonMemoryAndArch) {
  InstanceType t = Resolve("m6g.large");
  EXPECT_EQ(t.capacity.Get(resource::kMemory), Quantity::MiB(8192 - 64 - 610));
  EXPECT_EQ(t.requirements.SingleValuedLabels()[std::string(label::kArch)], "arm64");
}

TEST(InstanceTypeTest, WindowsLabels) {
  EC2NodeClass win;
  win.ami_family = AmiFamily::kWindows2022;
  model::Labels labels = Resolve("m5.large", win).requirements.SingleValuedLabels();
  EXPECT_EQ(labels[std::string(label::kOs)], "windows");
  EXPECT_EQ(labels[std::string(label::kWindowsBuild)], "10.0.20348");
  // No Windows AMI for arm64: the OS requirement allows nothing.
  EXPECT_TRUE(Resolve("m6g.large", win).requirements.Find(label::kOs)->IsEmpty());
}

TEST(OfferingsTest, SpotPriceIsOnDemandTimesOneMinusSavings) {
  InstanceType t = Resolve("m5.large");
  ASSERT_EQ(t.offerings.size(), 10u);  // 5 zones × 2 capacity types
  const Offering& od = t.offerings[0];
  const Offering& spot = t.offerings[1];
  EXPECT_EQ(od.zone, "us-east-1a");
  EXPECT_EQ(od.zone_id, "use1-az2");
  EXPECT_EQ(od.capacity_type, "on-demand");
  EXPECT_TRUE(od.available);
  EXPECT_DOUBLE_EQ(od.price_per_hour, 0.096);
  EXPECT_EQ(spot.capacity_type, "spot");
  EXPECT_TRUE(spot.available);
  EXPECT_DOUBLE_EQ(spot.price_per_hour, 0.096 * (1 - 0.66));
  EXPECT_DOUBLE_EQ(t.CheapestPrice().value(), 0.096 * (1 - 0.66));
  EXPECT_DOUBLE_EQ(t.CheapestPrice("on-demand").value(), 0.096);
  EXPECT_TRUE(t.HasAvailableOffering("spot"));
}

TEST(OfferingsTest, NoSpotDataMeansUnavailableSpot) {
  InstanceType t = Resolve("g6f.large");  // newer than the Spot Advisor copy
  ASSERT_FALSE(t.offerings.empty());
  for (const Offering& o : t.offerings) {
    EXPECT_EQ(o.available, o.capacity_type == "on-demand") << o.zone << " " << o.capacity_type;
  }
  EXPECT_FALSE(t.HasAvailableOffering("spot"));
  EXPECT_FALSE(t.CheapestPrice("spot").has_value());
  EXPECT_EQ(Values(t.requirements, label::kCapacityType), (std::vector<std::string>{"on-demand"}));
}

TEST(OfferingsTest, UnpricedTypeHasNoAvailableOffering) {
  auto c = Catalog::FromCsv(
      testing::TypesCsv({{{"od_price_usd_hr", ""}}}),
      testing::ZonesCsv({{"m5.large", "us-east-1a", "use1-az2"}, {"m5.large", "us-east-1b", "use1-az4"}}), "t");
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto types = ResolveInstanceTypes(*c, Al2023(), {});
  ASSERT_EQ(types.size(), 1u);
  const InstanceType& t = types[0];
  EXPECT_EQ(t.offerings.size(), 4u);  // still listed
  EXPECT_FALSE(t.HasAvailableOffering());
  EXPECT_FALSE(t.CheapestPrice().has_value());
  EXPECT_TRUE(t.requirements.Find(label::kZone)->IsEmpty());
  EXPECT_TRUE(t.requirements.Find(label::kCapacityType)->IsEmpty());
  EXPECT_FALSE(t.requirements.Has(label::kZoneId));
  // The embedded unpriced types are offered nowhere in us-east-1.
  EXPECT_TRUE(Resolve("p5e.48xlarge").offerings.empty());
}

TEST(OfferingsTest, ZonesAndRegionNarrowOfferings) {
  CapacityOptions opts;
  opts.zones = {"us-east-1a", "use1-az4", "us-east-1e"};  // names or ids
  InstanceType t = Resolve("m5.large", Al2023(), opts);
  ASSERT_EQ(t.offerings.size(), 4u);  // m5.large is not offered in us-east-1e
  EXPECT_EQ(t.offerings[0].zone, "us-east-1a");
  EXPECT_EQ(t.offerings[2].zone, "us-east-1b");
  EXPECT_EQ(Values(t.requirements, label::kZone), (std::vector<std::string>{"us-east-1a", "us-east-1b"}));
  EXPECT_EQ(Values(t.requirements, label::kZoneId), (std::vector<std::string>{"use1-az2", "use1-az4"}));

  CapacityOptions elsewhere;
  elsewhere.region = "eu-west-1";
  InstanceType far = Resolve("m5.large", Al2023(), elsewhere);
  EXPECT_TRUE(far.offerings.empty());
  EXPECT_EQ(far.requirements.SingleValuedLabels()[std::string(label::kRegion)], "eu-west-1");
}

}  // namespace
}  // namespace adze::catalog
