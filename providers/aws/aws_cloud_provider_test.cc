#include "providers/aws/aws_cloud_provider.h"

#include <gtest/gtest.h>

#include "model/check.h"

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "model/labels.h"
#include "providers/aws/fake_ec2_api.h"

namespace adze::providers::aws {
namespace {

namespace label = model::label;
using model::kMinute;
using model::kSecond;
using ports::OfferingKey;

// Absolute UTC microseconds, as the real clock reads: nothing may assume 0.
class TestClock : public ports::Clock {
 public:
  model::Duration Now() const override { return now; }
  void At(model::Duration, std::function<void()>) override { ADZE_CHECK(false); }  // the provider sets no timers
  model::Duration now = 1'764'720'000 * kSecond;
};

const catalog::Catalog& Cat() { return catalog::Catalog::Embedded(); }
double Od(const std::string& t) { return *Cat().Find(t)->od_price_usd_hr; }

model::EC2NodeClass NodeClass() {
  model::EC2NodeClass nc;
  nc.meta.name = "default";
  model::SelectorTerm ami;
  ami.alias = "al2023@latest";
  nc.ami_selector_terms.push_back(ami);
  model::SelectorTerm tags;
  tags.tags = {{"karpenter.sh/discovery", "demo"}};
  nc.subnet_selector_terms.push_back(tags);
  nc.security_group_selector_terms.push_back(tags);
  nc.role = "KarpenterNodeRole";
  return nc;
}

model::NodePool Pool() {
  model::NodePool p;
  p.meta.name = "general";
  p.node_class_ref.name = "default";
  return p;
}

model::NodeClaim Claim(const std::string& name, std::vector<std::string> types, std::vector<std::string> cts,
                       const std::string& cpu = "1") {
  model::NodeClaim c;
  c.meta.name = name;
  c.meta.labels[std::string(label::kNodePool)] = "general";
  c.node_class_ref.name = "default";
  c.requirements.Add(model::Requirement::In(std::string(label::kInstanceType), std::move(types)));
  c.requirements.Add(model::Requirement::In(std::string(label::kCapacityType), std::move(cts)));
  c.requests.Set("cpu", *model::Quantity::Parse(cpu));
  c.requests.Set("memory", *model::Quantity::Parse("1Gi"));
  return c;
}

class AwsCloudProviderTest : public ::testing::Test {
 protected:
  AwsCloudProviderTest() : ec2_(clock_) {
    for (const std::string t : {"c5.large", "m5.large", "m5.xlarge", "g5.xlarge", "m5.metal"}) {
      catalog::InstanceTypeInfo info = *Cat().Find(t);
      ec2_.instance_types.push_back(info);
      ec2_.od_prices[t] = *info.od_price_usd_hr;
      for (const std::string z : {"us-east-1a", "us-east-1b"}) {
        ec2_.offerings.push_back(InstanceTypeOffering{t, z});
        // Spot at 40 % of on-demand, a little dearer in 1b.
        ec2_.spot_prices.push_back(SpotPrice{t, z, *info.od_price_usd_hr * (z == "us-east-1a" ? 0.4 : 0.41)});
      }
    }
    ec2_.subnets = {Subnet{"subnet-a1", "us-east-1a", "use1-az1", 10}, Subnet{"subnet-a2", "us-east-1a", "use1-az1", 500},
                    Subnet{"subnet-b1", "us-east-1b", "use1-az2", 100}};
    ec2_.security_groups = {SecurityGroup{"sg-1", "nodes"}};
    ec2_.parameters["/aws/service/eks/optimized-ami/al2023/latest/image_id"] = "ami-al2023";
  }

  void Make(AwsProviderOptions options = {}) {
    catalog::CapacityOptions base;
    base.zones = {"us-east-1a", "us-east-1b"};
    provider_ = std::make_unique<AwsCloudProvider>(
        ec2_, clock_, [this](std::function<void()> f) { posted_.push_back(std::move(f)); },
        std::vector<model::EC2NodeClass>{NodeClass()}, base, options);
  }

  // Starts a launch; the result arrives only after RunAll().
  void Start(const model::NodeClaim& claim, model::Duration deadline_in = kMinute) {
    provider_->Create(claim, clock_.now + deadline_in, [this](Result<ports::Instance> r) { results_.push_back(r); });
  }
  void RunAll() {
    while (!posted_.empty()) {
      auto f = std::move(posted_.front());
      posted_.pop_front();
      f();
    }
    ec2_.DeliverDue();
  }
  Result<ports::Instance> Launch(const model::NodeClaim& claim) {
    results_.clear();
    Start(claim);
    EXPECT_TRUE(results_.empty()) << "done ran inside Create";
    RunAll();
    EXPECT_EQ(results_.size(), 1u);
    return results_.empty() ? Result<ports::Instance>(Error::Internal("no result")) : results_.back();
  }
  // Claim "nc" (c5.large, on-demand), launched: its provider id is set.
  model::NodeClaim LaunchedClaim() {
    model::NodeClaim claim = Claim("nc", {"c5.large"}, {"on-demand"});
    auto r = Launch(claim);
    EXPECT_TRUE(r.ok());
    if (r.ok()) claim.provider_id = r->provider_id;
    return claim;
  }

  TestClock clock_;
  FakeEc2Api ec2_;
  std::deque<std::function<void()>> posted_;
  std::vector<Result<ports::Instance>> results_;
  std::unique_ptr<AwsCloudProvider> provider_;
};

const catalog::InstanceType* Find(const std::vector<catalog::InstanceType>& types, const std::string& name) {
  for (const auto& t : types) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const catalog::Offering* FindOffering(const catalog::InstanceType& type, const std::string& zone,
                                      const std::string& capacity_type) {
  for (const auto& o : type.offerings) {
    if (o.zone == zone && o.capacity_type == capacity_type) return &o;
  }
  return nullptr;
}

TEST_F(AwsCloudProviderTest, ResolvesTypesAndOfferingsFromTheDescribeCalls) {
  ec2_.offerings.erase(ec2_.offerings.begin());  // c5.large not offered in 1a (on-demand)
  std::erase_if(ec2_.spot_prices, [](const SpotPrice& p) { return p.instance_type == "m5.large"; });  // no spot market
  Make();
  auto types = provider_->GetInstanceTypes(Pool());
  ASSERT_TRUE(types.ok());
  ASSERT_EQ(types->size(), 5u);
  const catalog::InstanceType* c5 = Find(types->all(), "c5.large");
  ASSERT_NE(c5, nullptr);
  for (const catalog::Offering& o : c5->offerings) {
    const bool expect = !(o.zone == "us-east-1a" && o.capacity_type == "on-demand");
    EXPECT_EQ(o.available, expect) << o.zone << " " << o.capacity_type;
  }
  EXPECT_FALSE(Find(types->all(), "m5.large")->HasAvailableOffering("spot"));
  EXPECT_DOUBLE_EQ(*Find(types->all(), "m5.large")->CheapestPrice("on-demand"), Od("m5.large"));
  // Allocatable comes from the catalog rules (spec §4): m5.large pods 29.
  EXPECT_EQ(Find(types->all(), "m5.large")->capacity.Get("pods").Value(), 29);
  // Resolved once: later calls reuse the answers.
  ASSERT_TRUE(provider_->GetInstanceTypes(Pool()).ok());
  EXPECT_EQ(provider_->counters().type_resolutions, 1u);
  EXPECT_EQ(ec2_.describe_instance_types_calls(), 1u);
  model::NodePool missing = Pool();
  missing.node_class_ref.name = "missing";
  EXPECT_EQ(provider_->GetInstanceTypes(missing).error().code, ErrorCode::kNotFound);
}

TEST_F(AwsCloudProviderTest, RowsWithoutPricesArePricedByThePriceCalls) {
  // DescribeInstanceTypes over HTTP carries no price: the offerings come from
  // the offering and price calls alone.
  for (catalog::InstanceTypeInfo& info : ec2_.instance_types) {
    info.od_price_usd_hr.reset();
    info.spot_savings_pct.reset();
  }
  Make();
  auto types = provider_->GetInstanceTypes(Pool());
  ASSERT_TRUE(types.ok());
  const catalog::InstanceType* m5 = Find(types->all(), "m5.large");
  ASSERT_NE(m5, nullptr);
  EXPECT_TRUE(m5->HasAvailableOffering("on-demand"));
  EXPECT_TRUE(m5->HasAvailableOffering("spot"));
  EXPECT_DOUBLE_EQ(*m5->CheapestPrice("on-demand"), Od("m5.large"));
  EXPECT_TRUE(Launch(Claim("nc", {"m5.large"}, {"on-demand"})).ok());
}

TEST_F(AwsCloudProviderTest, ZoneWithoutASubnetHasNoAvailableOffering) {
  ec2_.subnets.pop_back();  // no subnet in us-east-1b
  Make();
  auto types = provider_->GetInstanceTypes(Pool());
  for (const catalog::Offering& o : Find(types->all(), "m5.large")->offerings) {
    EXPECT_EQ(o.available, o.zone == "us-east-1a") << o.zone;
  }
}

TEST_F(AwsCloudProviderTest, OnDemandOverridesArePricedSubnettedAndLowestPrice) {
  Make();
  auto r = Launch(Claim("nc", {"c5.large", "m5.large", "m5.xlarge"}, {"on-demand"}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(ec2_.create_fleet_requests().size(), 1u);
  const CreateFleetRequest& req = ec2_.create_fleet_requests()[0];
  EXPECT_EQ(req.default_target_capacity_type, "on-demand");
  EXPECT_EQ(req.allocation_strategy, "lowest-price");
  EXPECT_EQ(req.total_target_capacity, 1);
  ASSERT_EQ(req.overrides.size(), 6u);  // 3 types × 2 zones
  for (const FleetOverride& ov : req.overrides) {
    EXPECT_DOUBLE_EQ(ov.priority, Od(ov.instance_type));
    EXPECT_EQ(ov.subnet_id, ov.availability_zone == "us-east-1a" ? "subnet-a2" : "subnet-b1");  // most free IPs
    EXPECT_EQ(ov.image_id, "ami-al2023");
  }
  EXPECT_EQ(req.tags.at("karpenter.sh/nodeclaim"), "nc");
  EXPECT_EQ(req.tags.at("karpenter.sh/nodepool"), "general");
  EXPECT_EQ(req.tags.at("karpenter.k8s.aws/ec2nodeclass"), "default");
  EXPECT_EQ(r->capacity_type, "on-demand");
  EXPECT_EQ(r->node_claim, "nc");
  EXPECT_EQ(r->image_id, "ami-al2023");
  EXPECT_EQ(r->launched_at, clock_.now);
  EXPECT_EQ(provider_->Get(r->provider_id)->id, r->id);
  EXPECT_EQ(provider_->List().size(), 1u);
}

TEST_F(AwsCloudProviderTest, ExoticTypesOnlyWhenNothingElseFits) {
  Make();
  ASSERT_TRUE(Launch(Claim("nc", {"g5.xlarge", "m5.metal", "m5.xlarge"}, {"on-demand"})).ok());
  for (const FleetOverride& ov : ec2_.create_fleet_requests().back().overrides) EXPECT_EQ(ov.instance_type, "m5.xlarge");
  ASSERT_TRUE(Launch(Claim("nc2", {"g5.xlarge", "m5.metal"}, {"on-demand"})).ok());
  EXPECT_EQ(ec2_.create_fleet_requests().back().overrides.size(), 4u);
}

TEST_F(AwsCloudProviderTest, SpotFirstAndNoSpotDearerThanTheCheapestOnDemand) {
  // m5.xlarge spot in 1b dearer than c5.large on-demand: dropped.
  for (SpotPrice& p : ec2_.spot_prices) {
    if (p.instance_type == "m5.xlarge" && p.availability_zone == "us-east-1b") p.spot_price = Od("c5.large") * 1.01;
  }
  Make();
  auto r = Launch(Claim("nc", {"c5.large", "m5.xlarge"}, {"spot", "on-demand"}));
  ASSERT_TRUE(r.ok());
  const CreateFleetRequest& req = ec2_.create_fleet_requests().back();
  EXPECT_EQ(req.default_target_capacity_type, "spot");
  EXPECT_EQ(req.allocation_strategy, "price-capacity-optimized");
  EXPECT_EQ(req.overrides.size(), 3u);
  for (const FleetOverride& ov : req.overrides) {
    EXPECT_FALSE(ov.instance_type == "m5.xlarge" && ov.availability_zone == "us-east-1b");
  }
  EXPECT_EQ(r->capacity_type, "spot");
}

TEST_F(AwsCloudProviderTest, KeepsTheCheapestTypesUpToTheCap) {
  AwsProviderOptions options;
  options.max_fleet_types = 2;
  Make(options);
  ASSERT_TRUE(Launch(Claim("nc", {"c5.large", "m5.large", "m5.xlarge"}, {"on-demand"})).ok());
  std::set<std::string> types;
  for (const FleetOverride& ov : ec2_.create_fleet_requests().back().overrides) types.insert(ov.instance_type);
  EXPECT_EQ(types, (std::set<std::string>{"c5.large", "m5.large"}));
}

TEST_F(AwsCloudProviderTest, ReservedComesFirstWithOneReservationPerTypeAndZone) {
  ec2_.reservations = {CapacityReservation{"cr-1", "m5.large", "us-east-1a", 4, 1, "active"},
                       CapacityReservation{"cr-2", "m5.large", "us-east-1a", 4, 3, "active"}};
  Make();
  auto r = Launch(Claim("nc", {"m5.large"}, {"reserved", "spot", "on-demand"}));
  ASSERT_TRUE(r.ok());
  const CreateFleetRequest& req = ec2_.create_fleet_requests().back();
  ASSERT_EQ(req.overrides.size(), 1u);
  EXPECT_EQ(req.overrides[0].capacity_reservation_id, "cr-2");  // most capacity left
  EXPECT_EQ(req.default_target_capacity_type, "on-demand");     // default ODCRs launch as on-demand
  EXPECT_EQ(r->capacity_type, "reserved");
  EXPECT_DOUBLE_EQ(r->price_per_hour, Od("m5.large") / 10'000'000);
}

TEST_F(AwsCloudProviderTest, IceFallsBackWithinTheFleetAndCachesTheOfferingForThreeMinutes) {
  ec2_.insufficient = {{"c5.large", "us-east-1a"}};
  Make();
  auto r = Launch(Claim("nc", {"c5.large"}, {"on-demand"}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->zone, "us-east-1b");  // the next override of the same CreateFleet
  const OfferingKey key{"on-demand", "c5.large", "us-east-1a"};
  EXPECT_TRUE(provider_->IsUnavailable(key));
  auto types = provider_->GetInstanceTypes(Pool());
  for (const catalog::Offering& o : Find(types->all(), "c5.large")->offerings) {
    if (o.zone == "us-east-1a" && o.capacity_type == "on-demand") {
      EXPECT_FALSE(o.available);
    }
  }
  // The next launch leaves the offering out.
  ASSERT_TRUE(Launch(Claim("nc2", {"c5.large"}, {"on-demand"})).ok());
  EXPECT_EQ(ec2_.create_fleet_requests().back().overrides.size(), 1u);
  clock_.now += 3 * kMinute - 1;
  EXPECT_TRUE(provider_->IsUnavailable(key));
  clock_.now += 1;
  EXPECT_FALSE(provider_->IsUnavailable(key));
}

TEST_F(AwsCloudProviderTest, OnlyIceErrorsIsInsufficientCapacity) {
  ec2_.insufficient = {{"c5.large", "us-east-1a"}, {"c5.large", "us-east-1b"}};
  Make();
  auto r = Launch(Claim("nc", {"c5.large"}, {"on-demand"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInsufficientCapacity);
  EXPECT_EQ(provider_->counters().insufficient_capacity_failures, 1u);
  // Both offerings cached: the next attempt fails before any CreateFleet.
  auto again = Launch(Claim("nc2", {"c5.large"}, {"on-demand"}));
  EXPECT_EQ(again.error().code, ErrorCode::kInsufficientCapacity);
  EXPECT_EQ(ec2_.create_fleet_requests().size(), 1u);
}

TEST_F(AwsCloudProviderTest, MarkUnavailableReMarkingExtendsTheTtl) {
  Make();
  const OfferingKey key{"spot", "m5.large", "us-east-1a"};
  provider_->MarkUnavailable(key);
  clock_.now += 2 * kMinute;
  provider_->MarkUnavailable(key);
  clock_.now += 2 * kMinute;
  EXPECT_TRUE(provider_->IsUnavailable(key));
  clock_.now += kMinute;
  EXPECT_FALSE(provider_->IsUnavailable(key));
}

TEST_F(AwsCloudProviderTest, WholeCallErrorsAreMapped) {
  Make();
  ec2_.next_create_fleet_errors.push_back(AwsError{"RequestLimitExceeded", "Request limit exceeded."});
  ec2_.next_create_fleet_errors.push_back(AwsError{"UnauthorizedOperation", "not allowed"});
  EXPECT_EQ(Launch(Claim("a", {"c5.large"}, {"on-demand"})).error().code, ErrorCode::kThrottled);
  EXPECT_EQ(Launch(Claim("b", {"c5.large"}, {"on-demand"})).error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(Launch(Claim("c", {"c5.large"}, {"on-demand"})).ok());
}

TEST_F(AwsCloudProviderTest, ClaimsThatNameNothingLaunchableAreInvalid) {
  Make();
  EXPECT_EQ(Launch(Claim("nc", {"no-such.type"}, {"on-demand"})).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Launch(Claim("nc", {"c5.large"}, {"on-demand"}, "64")).error().code, ErrorCode::kInvalidArgument);
  model::NodeClaim unknown = Claim("nc", {"c5.large"}, {"on-demand"});
  unknown.node_class_ref.name = "missing";
  EXPECT_EQ(Launch(unknown).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(ec2_.create_fleet_requests().empty());
}

TEST_F(AwsCloudProviderTest, AnAnswerAfterTheDeadlineIsDeadlineExceededAndTerminatesTheInstance) {
  ec2_.latency = 30 * kSecond;
  Make();
  results_.clear();
  Start(Claim("nc", {"c5.large"}, {"on-demand"}), 10 * kSecond);
  RunAll();
  EXPECT_TRUE(results_.empty());  // not due yet
  EXPECT_EQ(ec2_.pending(), 1u);
  clock_.now += 30 * kSecond;
  RunAll();
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_EQ(results_[0].error().code, ErrorCode::kDeadlineExceeded);
  ASSERT_EQ(ec2_.instances().size(), 1u);
  EXPECT_EQ(ec2_.instances().begin()->second.state, "terminated");
  EXPECT_TRUE(provider_->List().empty());
  // Within the deadline the same latency is fine.
  results_.clear();
  Start(Claim("nc", {"c5.large"}, {"on-demand"}), kMinute);
  clock_.now += 30 * kSecond;
  RunAll();
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_TRUE(results_[0].ok());
}

// An answer that arrived in time but waited for the controllers' thread
// (a burst's answers queue there) is a launch, not a late one to terminate.
TEST_F(AwsCloudProviderTest, AnAnswerThatArrivedInTimeIsALaunchHoweverLateItIsApplied) {
  ec2_.latency = 5 * kSecond;
  ec2_.stamp_answered_at = true;
  Make();
  results_.clear();
  Start(Claim("nc", {"c5.large"}, {"on-demand"}), 10 * kSecond);
  clock_.now += 30 * kSecond;  // applied 25 s after it arrived
  RunAll();
  ASSERT_EQ(results_.size(), 1u);
  ASSERT_TRUE(results_[0].ok()) << results_[0].error().message;
  EXPECT_EQ(results_[0]->instance_type, "c5.large");
  EXPECT_EQ(results_[0]->capacity_type, "on-demand");
  EXPECT_FALSE(results_[0]->image_id.empty());
  EXPECT_EQ(results_[0]->node_claim, "nc");
  ASSERT_EQ(ec2_.instances().size(), 1u);
  EXPECT_NE(ec2_.instances().begin()->second.state, "terminated");
}

TEST_F(AwsCloudProviderTest, DriftFollowsTheStaticHashImageGroupsAndSubnets) {
  Make();
  const model::NodeClaim claim = LaunchedClaim();
  EXPECT_EQ(provider_->IsDrifted(claim), std::nullopt);

  ec2_.parameters["/aws/service/eks/optimized-ami/al2023/latest/image_id"] = "ami-newer";
  provider_->UpdateNodeClass(NodeClass());
  EXPECT_EQ(provider_->IsDrifted(claim), "AMIDrift");
  ec2_.parameters["/aws/service/eks/optimized-ami/al2023/latest/image_id"] = "ami-al2023";

  ec2_.security_groups = {SecurityGroup{"sg-2", "nodes"}};
  provider_->UpdateNodeClass(NodeClass());
  EXPECT_EQ(provider_->IsDrifted(claim), "SecurityGroupDrift");
  ec2_.security_groups = {SecurityGroup{"sg-1", "nodes"}};

  const std::vector<Subnet> subnets = ec2_.subnets;
  ec2_.subnets = {Subnet{"subnet-other", "us-east-1a", "use1-az1", 10}, Subnet{"subnet-b9", "us-east-1b", "use1-az2", 1}};
  provider_->UpdateNodeClass(NodeClass());
  EXPECT_EQ(provider_->IsDrifted(claim), "SubnetDrift");
  ec2_.subnets = subnets;

  model::EC2NodeClass changed = NodeClass();
  changed.role = "OtherRole";
  provider_->UpdateNodeClass(changed);
  EXPECT_EQ(provider_->IsDrifted(claim), "NodeClassDrift");

  provider_->UpdateNodeClass(NodeClass());
  EXPECT_EQ(provider_->IsDrifted(claim), std::nullopt);
  ASSERT_TRUE(provider_->Delete(claim.provider_id).ok());
  EXPECT_EQ(provider_->IsDrifted(claim), std::nullopt);
  EXPECT_EQ(provider_->Delete(claim.provider_id).error().code, ErrorCode::kNotFound);
}

TEST_F(AwsCloudProviderTest, DriftDescribesAnInstanceOncePerRefreshAndReadsTheNodeClassEveryTime) {
  Make();
  const model::NodeClaim claim = LaunchedClaim();
  const uint64_t before = ec2_.describe_instances_calls();
  for (int pass = 0; pass < 30; ++pass) EXPECT_EQ(provider_->IsDrifted(claim), std::nullopt);
  EXPECT_EQ(ec2_.describe_instances_calls(), before + 1);

  // The node class side is current at once: a new image is AMI drift now.
  ec2_.parameters["/aws/service/eks/optimized-ami/al2023/latest/image_id"] = "ami-newer";
  provider_->UpdateNodeClass(NodeClass());
  EXPECT_EQ(provider_->IsDrifted(claim), "AMIDrift");
  ec2_.parameters["/aws/service/eks/optimized-ami/al2023/latest/image_id"] = "ami-al2023";
  provider_->UpdateNodeClass(NodeClass());
  EXPECT_EQ(provider_->IsDrifted(claim), std::nullopt);
  EXPECT_EQ(ec2_.describe_instances_calls(), before + 1);

  // The instance side (groups changed outside adze) is seen after one refresh.
  ASSERT_EQ(ec2_.instances().size(), 1u);
  Ec2Instance& instance = ec2_.instances().begin()->second;
  instance.security_group_ids = {"sg-9"};
  clock_.now += AwsProviderOptions{}.instance_refresh - kSecond;
  EXPECT_EQ(provider_->IsDrifted(claim), std::nullopt);
  clock_.now += kSecond;
  EXPECT_EQ(provider_->IsDrifted(claim), "SecurityGroupDrift");
  EXPECT_EQ(ec2_.describe_instances_calls(), before + 2);
}

TEST_F(AwsCloudProviderTest, GetInstanceTypesSharesOneListUntilAnOfferingChanges) {
  Make();
  auto first = provider_->GetInstanceTypes(Pool());
  auto second = provider_->GetInstanceTypes(Pool());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(first->SharesWith(*second));

  const ports::OfferingKey key{"on-demand", "c5.large", "us-east-1b"};
  ASSERT_TRUE(FindOffering(*Find(first->all(), "c5.large"), "us-east-1b", "on-demand")->available);
  provider_->MarkUnavailable(key);
  auto marked = provider_->GetInstanceTypes(Pool());
  EXPECT_FALSE(marked->SharesWith(*first));
  EXPECT_FALSE(FindOffering(*Find(marked->all(), "c5.large"), "us-east-1b", "on-demand")->available);
  // The list handed out before is unchanged: holders never see it move.
  EXPECT_TRUE(FindOffering(*Find(first->all(), "c5.large"), "us-east-1b", "on-demand")->available);

  // The mark expires with the ICE TTL; the next answer has the offering back.
  clock_.now += AwsProviderOptions{}.unavailable_ttl;
  auto expired = provider_->GetInstanceTypes(Pool());
  EXPECT_FALSE(expired->SharesWith(*marked));
  EXPECT_TRUE(FindOffering(*Find(expired->all(), "c5.large"), "us-east-1b", "on-demand")->available);
  EXPECT_TRUE(provider_->GetInstanceTypes(Pool())->SharesWith(*expired));
}

TEST_F(AwsCloudProviderTest, AnswersAfterTheProviderIsGoneDoNothing) {
  Make();
  Start(Claim("nc", {"c5.large"}, {"on-demand"}));
  provider_.reset();
  ec2_.DeliverDue();
  EXPECT_TRUE(results_.empty());
}

}  // namespace
}  // namespace adze::providers::aws
