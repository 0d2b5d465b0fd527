#include "sim/ec2/simulated_ec2.h"
#include "sim/sim_clock.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/labels.h"
#include "providers/aws/aws_cloud_provider.h"

namespace adze::sim {
namespace {

namespace label = model::label;
using ports::InterruptionMessage;
using ports::OfferingKey;

const catalog::Catalog& Cat() { return catalog::Catalog::Embedded(); }

double OdPrice(const std::string& type) { return *Cat().Find(type)->od_price_usd_hr; }
double SpotPrice(const std::string& type) {
  const catalog::InstanceTypeInfo* info = Cat().Find(type);
  return *info->od_price_usd_hr * (1 - *info->spot_savings_pct / 100);
}

model::SelectorTerm Term(std::string id, std::string alias = "",
                         std::map<std::string, std::string> tags = {}) {
  model::SelectorTerm t;
  t.id = std::move(id);
  t.alias = std::move(alias);
  t.tags = std::move(tags);
  return t;
}

model::EC2NodeClass NodeClass(const std::string& name = "default") {
  model::EC2NodeClass nc;
  nc.meta.name = name;
  nc.ami_selector_terms.push_back(Term("", "al2023@latest"));
  nc.subnet_selector_terms.push_back(Term("", "", {{"karpenter.sh/discovery", "demo"}}));
  nc.security_group_selector_terms.push_back(Term("", "", {{"karpenter.sh/discovery", "demo"}}));
  nc.role = "KarpenterNodeRole";
  return nc;
}

model::NodePool Pool(const std::string& node_class = "default") {
  model::NodePool p;
  p.meta.name = "general";
  p.node_class_ref.name = node_class;
  return p;
}

model::NodeClaim Claim(const std::string& name, std::vector<std::string> types, std::vector<std::string> capacity_types,
                       std::vector<std::string> zones = {}, const std::string& cpu = "1",
                       const std::string& memory = "1Gi") {
  model::NodeClaim c;
  c.meta.name = name;
  c.meta.labels[std::string(label::kNodePool)] = "general";
  c.node_class_ref.name = "default";
  c.requirements.Add(model::Requirement::In(std::string(label::kInstanceType), std::move(types)));
  c.requirements.Add(model::Requirement::In(std::string(label::kCapacityType), std::move(capacity_types)));
  if (!zones.empty()) c.requirements.Add(model::Requirement::In(std::string(label::kZone), std::move(zones)));
  c.requirements.Add(model::Requirement::In(std::string(label::kNodePool), {"general"}));
  c.requests.Set("cpu", *model::Quantity::Parse(cpu));
  c.requests.Set("memory", *model::Quantity::Parse(memory));
  return c;
}

const catalog::InstanceType* FindType(const std::vector<catalog::InstanceType>& types, const std::string& name) {
  for (const catalog::InstanceType& t : types) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const catalog::Offering* FindOffering(const catalog::InstanceType& t, const std::string& zone, const std::string& ct) {
  for (const catalog::Offering& o : t.offerings) {
    if (o.zone == zone && o.capacity_type == ct) return &o;
  }
  return nullptr;
}

// Every message the queue holds now, each deleted once received (what the
// interruption controller does).
std::vector<InterruptionMessage> ReceiveAll(SimulatedEc2& ec2) {
  std::vector<InterruptionMessage> out;
  for (;;) {
    auto batch = ec2.Receive(10, 0);
    EXPECT_TRUE(batch.ok());
    for (const InterruptionMessage& m : *batch) {
      EXPECT_TRUE(ec2.Delete(m.receipt_handle).ok());
      out.push_back(m);
    }
    if (batch->size() < 10) return out;
  }
}

// SimulatedEc2 with the AWS provider over it, as the simulator runs them.
struct World {
  World(const Ec2Options& options, catalog::CapacityOptions base, uint64_t seed, EventQueue& events)
      : clock(events, 0),
        ec2(Cat(), options, base, events, seed),
        cloud(ec2, clock, [&events](std::function<void()> f) { events.After(0, std::move(f)); },
              {NodeClass()}, base) {}
  SimClock clock;  // starting at 0: the provider's times read as the queue's
  SimulatedEc2 ec2;
  providers::aws::AwsCloudProvider cloud;
};

// Launches through the provider and runs the events until the answer arrives.
Result<ports::Instance> CreateNow(providers::aws::AwsCloudProvider& cloud, EventQueue& events,
                                  const model::NodeClaim& claim) {
  std::optional<Result<ports::Instance>> result;
  cloud.Create(claim, events.Now() + kMinute, [&result](Result<ports::Instance> r) { result = std::move(r); });
  EXPECT_FALSE(result.has_value()) << "done ran inside Create";
  while (!result && events.RunNext()) {
  }
  return result ? *result : Result<ports::Instance>(Error::Internal("no answer"));
}

class SimulatedEc2Test : public ::testing::Test {
 protected:
  void Make(uint64_t seed = 42, std::vector<std::string> zones = {"us-east-1a", "us-east-1b"}) {
    catalog::CapacityOptions base;
    base.zones = std::move(zones);
    world_.reset();
    world_ = std::make_unique<World>(options_, base, seed, events_);
    ec2_ = &world_->ec2;
    cloud_ = &world_->cloud;
  }
  Result<ports::Instance> Create(const model::NodeClaim& claim) { return CreateNow(*cloud_, events_, claim); }
  ports::Instance MustCreate(const model::NodeClaim& claim) {
    Result<ports::Instance> r = Create(claim);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : ports::Instance{};
  }

  EventQueue events_;
  // These tests time launches to the second: EC2 answers at once unless a test says otherwise.
  Ec2Options options_ = [] {
    Ec2Options o;
    o.create_fleet_latency = 0;
    return o;
  }();
  std::unique_ptr<World> world_;
  SimulatedEc2* ec2_ = nullptr;
  providers::aws::AwsCloudProvider* cloud_ = nullptr;
};

TEST_F(SimulatedEc2Test, OnDemandPicksTheCheapestFittingType) {
  options_.spot_interruptions = false;
  Make();
  ports::Instance a = MustCreate(Claim("nc-a", {"m5.large", "c5.large", "m5.xlarge"}, {"on-demand"}));
  EXPECT_EQ(a.instance_type, "c5.large");
  EXPECT_EQ(a.zone, "us-east-1a");  // equal prices: by zone name
  EXPECT_EQ(a.capacity_type, "on-demand");
  EXPECT_DOUBLE_EQ(a.price_per_hour, OdPrice("c5.large"));
  EXPECT_EQ(a.id, "i-00000000000000001");
  EXPECT_EQ(a.provider_id, "aws:///us-east-1a/i-00000000000000001");
  EXPECT_EQ(a.node_claim, "nc-a");
  EXPECT_EQ(a.node_pool, "general");
  EXPECT_FALSE(a.image_id.empty());

  // 3 vCPUs fit only the xlarge.
  ports::Instance b = MustCreate(Claim("nc-b", {"m5.large", "c5.large", "m5.xlarge"}, {"on-demand"}, {}, "3"));
  EXPECT_EQ(b.instance_type, "m5.xlarge");
  EXPECT_EQ(b.id, "i-00000000000000002");

  // A zone requirement narrows the overrides.
  ports::Instance c = MustCreate(Claim("nc-c", {"c5.large"}, {"on-demand"}, {"us-east-1b"}));
  EXPECT_EQ(c.zone, "us-east-1b");

  ASSERT_EQ(cloud_->List().size(), 3u);
  EXPECT_EQ(cloud_->List()[0].id, a.id);
  EXPECT_EQ(ec2_->counters().launches, 3u);
  EXPECT_EQ(cloud_->Get(a.provider_id)->node_claim, "nc-a");
}

TEST_F(SimulatedEc2Test, ClaimWithNothingLaunchableIsInvalid) {
  Make();
  Result<ports::Instance> r = Create(Claim("nc", {"no-such.type"}, {"on-demand"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  // Too big for every option.
  r = Create(Claim("nc", {"c5.large"}, {"on-demand"}, {}, "64"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  model::NodeClaim unknown_class = Claim("nc", {"c5.large"}, {"on-demand"});
  unknown_class.node_class_ref.name = "missing";
  r = Create(unknown_class);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_F(SimulatedEc2Test, ExoticTypesOnlyWhenNothingElseFits) {
  options_.spot_interruptions = false;
  Make();
  // g5.xlarge is dearer anyway, but is dropped before pricing: m5.xlarge wins.
  EXPECT_EQ(MustCreate(Claim("nc", {"g5.xlarge", "m5.xlarge"}, {"on-demand"})).instance_type, "m5.xlarge");
  EXPECT_EQ(MustCreate(Claim("nc2", {"g5.xlarge"}, {"on-demand"})).instance_type, "g5.xlarge");
}

TEST_F(SimulatedEc2Test, SpotUsesPriceCapacityOptimized) {
  options_.spot_interruptions = false;
  Make();
  // Equal pools: the cheapest spot offering (m5.large is cheaper than c5.large on spot).
  ASSERT_LT(SpotPrice("m5.large"), SpotPrice("c5.large"));
  ports::Instance a = MustCreate(Claim("nc-a", {"m5.large", "c5.large"}, {"spot", "on-demand"}));
  EXPECT_EQ(a.capacity_type, "spot");
  EXPECT_EQ(a.instance_type, "m5.large");
  EXPECT_DOUBLE_EQ(a.price_per_hour, SpotPrice("m5.large"));
}

TEST_F(SimulatedEc2Test, SpotPrefersDeepPoolsOverTheCheapestShallowOne) {
  options_.spot_interruptions = false;
  options_.pools.push_back(CapacityPool{"m5.large", "", "spot", 10});  // cheap but shallow
  Make();
  // c5.large has 200 spare per zone; m5.large 10 (< half of 200): PCO takes
  // c5.large, where lowest-price would have taken m5.large.
  ports::Instance a = MustCreate(Claim("nc-a", {"m5.large", "c5.large"}, {"spot"}));
  EXPECT_EQ(a.instance_type, "c5.large");
  EXPECT_EQ(a.zone, "us-east-1a");
  // When every pool is shallow the cheapest one wins again.
  options_.pools.push_back(CapacityPool{"c5.large", "", "spot", 10});
  Make();
  EXPECT_EQ(MustCreate(Claim("nc-b", {"m5.large", "c5.large"}, {"spot"})).instance_type, "m5.large");
}

TEST_F(SimulatedEc2Test, SpotDearerThanTheCheapestOnDemandIsDropped) {
  options_.spot_interruptions = false;
  options_.pools.push_back(CapacityPool{"c5.large", "", "spot", 0});  // known empty
  Make();
  ASSERT_GT(SpotPrice("m5.4xlarge"), OdPrice("c5.large"));
  ports::Instance a = MustCreate(Claim("nc", {"c5.large", "m5.4xlarge"}, {"spot", "on-demand"}));
  EXPECT_EQ(a.instance_type, "c5.large");
  EXPECT_EQ(a.capacity_type, "on-demand");
  // Spot only: the filter does not apply.
  ports::Instance b = MustCreate(Claim("nc2", {"c5.large", "m5.4xlarge"}, {"spot"}));
  EXPECT_EQ(b.instance_type, "m5.4xlarge");
  EXPECT_EQ(b.capacity_type, "spot");
}

TEST_F(SimulatedEc2Test, PoolSizesMatchPatternsAndLaterEntriesWin) {
  options_.default_pool_size = 7;
  options_.pools.push_back(CapacityPool{"m5*", "", "", 3});
  options_.pools.push_back(CapacityPool{"m5.large", "us-east-1b", "spot", 1});
  options_.pools.push_back(CapacityPool{"*", "us-east-1c", "", 0});
  Make();
  EXPECT_EQ(ec2_->PoolSize({"on-demand", "c5.large", "us-east-1a"}), 7);
  EXPECT_EQ(ec2_->PoolSize({"on-demand", "m5.xlarge", "us-east-1a"}), 3);
  EXPECT_EQ(ec2_->PoolSize({"spot", "m5.large", "us-east-1a"}), 3);
  EXPECT_EQ(ec2_->PoolSize({"spot", "m5.large", "us-east-1b"}), 1);
  EXPECT_EQ(ec2_->PoolSize({"on-demand", "m5.large", "us-east-1b"}), 3);
  EXPECT_EQ(ec2_->PoolSize({"spot", "m5.large", "us-east-1c"}), 0);
}

TEST_F(SimulatedEc2Test, FullPoolGivesIceMarksTheOfferingAndFallsToAnotherZone) {
  options_.spot_interruptions = false;
  options_.pools.push_back(CapacityPool{"m5.large", "", "on-demand", 1});
  Make();
  const OfferingKey a_key{"on-demand", "m5.large", "us-east-1a"};
  const OfferingKey b_key{"on-demand", "m5.large", "us-east-1b"};
  EXPECT_EQ(MustCreate(Claim("nc-1", {"m5.large"}, {"on-demand"})).zone, "us-east-1a");
  // us-east-1a is full: the fleet records ICE there and launches in us-east-1b.
  ports::Instance second = MustCreate(Claim("nc-2", {"m5.large"}, {"on-demand"}));
  EXPECT_EQ(second.zone, "us-east-1b");
  EXPECT_EQ(ec2_->counters().insufficient_capacity_errors.at(a_key), 1u);
  EXPECT_TRUE(cloud_->IsUnavailable(a_key));

  // The offering is listed, unavailable, for three minutes.
  auto types = cloud_->GetInstanceTypes(Pool());
  ASSERT_TRUE(types.ok());
  const catalog::InstanceType* m5 = FindType(types->all(), "m5.large");
  ASSERT_NE(m5, nullptr);
  EXPECT_FALSE(FindOffering(*m5, "us-east-1a", "on-demand")->available);
  EXPECT_TRUE(FindOffering(*m5, "us-east-1b", "on-demand")->available);
  EXPECT_TRUE(m5->requirements.Get(label::kZone).Has("us-east-1a"));  // spot is still there

  // Both zones full now: the next launch fails naming the override it tried.
  Result<ports::Instance> third = Create(Claim("nc-3", {"m5.large"}, {"on-demand"}));
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::kInsufficientCapacity);
  EXPECT_NE(third.error().message.find("InsufficientInstanceCapacity on-demand:m5.large:us-east-1b"),
            std::string::npos)
      << third.error().message;
  EXPECT_TRUE(cloud_->IsUnavailable(b_key));
  EXPECT_EQ(cloud_->counters().insufficient_capacity_failures, 1u);
  EXPECT_EQ(ec2_->counters().insufficient_capacity_errors_total, 2u);

  // Another type takes over.
  EXPECT_EQ(MustCreate(Claim("nc-4", {"m5.large", "m6i.large"}, {"on-demand"})).instance_type, "m6i.large");

  // Available again after the TTL.
  events_.RunUntil(3 * kMinute - 1);
  EXPECT_TRUE(cloud_->IsUnavailable(a_key));
  events_.RunUntil(3 * kMinute);
  EXPECT_FALSE(cloud_->IsUnavailable(a_key));
  types = cloud_->GetInstanceTypes(Pool());
  m5 = FindType(types->all(), "m5.large");
  EXPECT_TRUE(FindOffering(*m5, "us-east-1a", "on-demand")->available);
}

TEST_F(SimulatedEc2Test, RemarkingExtendsTheUnavailableTtl) {
  Make();
  const OfferingKey key{"spot", "g5.xlarge", "us-east-1a"};
  cloud_->MarkUnavailable(key);
  events_.RunUntil(2 * kMinute);
  cloud_->MarkUnavailable(key);
  events_.RunUntil(4 * kMinute);
  EXPECT_TRUE(cloud_->IsUnavailable(key));
  auto types = cloud_->GetInstanceTypes(Pool());
  EXPECT_FALSE(FindOffering(*FindType(types->all(), "g5.xlarge"), "us-east-1a", "spot")->available);
  events_.RunUntil(5 * kMinute);
  EXPECT_FALSE(cloud_->IsUnavailable(key));
  types = cloud_->GetInstanceTypes(Pool());
  EXPECT_TRUE(FindOffering(*FindType(types->all(), "g5.xlarge"), "us-east-1a", "spot")->available);
}

TEST_F(SimulatedEc2Test, AllOfferingsUnavailableIsInsufficientCapacity) {
  options_.pools.push_back(CapacityPool{"c5.large", "", "on-demand", 0});
  Make();
  auto types = cloud_->GetInstanceTypes(Pool());
  const catalog::InstanceType* c5 = FindType(types->all(), "c5.large");
  EXPECT_FALSE(c5->HasAvailableOffering("on-demand"));
  EXPECT_FALSE(c5->requirements.Get(label::kCapacityType).Has("on-demand"));
  Result<ports::Instance> r = Create(Claim("nc", {"c5.large"}, {"on-demand"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInsufficientCapacity);
}

TEST_F(SimulatedEc2Test, ReservationsLaunchAtTheReservedPriceAndNeverExceedTheCount) {
  options_.spot_interruptions = false;
  options_.reservations.push_back(CapacityReservation{"cr-0123", "m5.large", "us-east-1b", 2});
  Make();
  auto types = cloud_->GetInstanceTypes(Pool());
  const catalog::InstanceType* m5 = FindType(types->all(), "m5.large");
  const catalog::Offering* reserved = FindOffering(*m5, "us-east-1b", "reserved");
  ASSERT_NE(reserved, nullptr);
  EXPECT_TRUE(reserved->available);
  EXPECT_EQ(reserved->reservation_id, "cr-0123");
  EXPECT_EQ(reserved->reservation_count, 2);
  EXPECT_DOUBLE_EQ(reserved->price_per_hour, OdPrice("m5.large") / 10'000'000);
  EXPECT_TRUE(m5->requirements.Get(label::kCapacityType).Has("reserved"));
  EXPECT_EQ(FindOffering(*m5, "us-east-1a", "reserved"), nullptr);
  // Offerings stay sorted by zone, then capacity type.
  for (size_t i = 1; i < m5->offerings.size(); ++i) {
    EXPECT_LE(std::tie(m5->offerings[i - 1].zone, m5->offerings[i - 1].capacity_type),
              std::tie(m5->offerings[i].zone, m5->offerings[i].capacity_type));
  }

  const std::vector<std::string> all = {"reserved", "spot", "on-demand"};
  ports::Instance a = MustCreate(Claim("nc-a", {"m5.large", "c5.large"}, all));
  ports::Instance b = MustCreate(Claim("nc-b", {"m5.large", "c5.large"}, all));
  for (const ports::Instance& i : {a, b}) {
    EXPECT_EQ(i.capacity_type, "reserved");
    EXPECT_EQ(i.instance_type, "m5.large");
    EXPECT_EQ(i.zone, "us-east-1b");
    EXPECT_EQ(i.reservation_id, "cr-0123");
    EXPECT_DOUBLE_EQ(i.price_per_hour, OdPrice("m5.large") / 10'000'000);
  }
  EXPECT_EQ(ec2_->ReservationRemaining("cr-0123"), 0);
  types = cloud_->GetInstanceTypes(Pool());
  reserved = FindOffering(*FindType(types->all(), "m5.large"), "us-east-1b", "reserved");
  EXPECT_FALSE(reserved->available);
  EXPECT_EQ(reserved->reservation_count, 0);
  EXPECT_FALSE(FindType(types->all(), "m5.large")->requirements.Get(label::kCapacityType).Has("reserved"));

  // The third launch cannot use the reservation: it falls to spot.
  ports::Instance c = MustCreate(Claim("nc-c", {"m5.large", "c5.large"}, all));
  EXPECT_EQ(c.capacity_type, "spot");
  // Reserved only: insufficient capacity.
  Result<ports::Instance> d = Create(Claim("nc-d", {"m5.large"}, {"reserved"}));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kInsufficientCapacity);

  // Terminating one frees its slot.
  ASSERT_TRUE(cloud_->Delete(a.provider_id).ok());
  EXPECT_EQ(ec2_->ReservationRemaining("cr-0123"), 1);
  EXPECT_EQ(MustCreate(Claim("nc-e", {"m5.large"}, {"reserved"})).capacity_type, "reserved");
  EXPECT_EQ(ec2_->ReservationRemaining("cr-0123"), 0);
}

TEST_F(SimulatedEc2Test, ReservationsFollowTheSelectorTermsWhenGiven) {
  options_.reservations.push_back(CapacityReservation{"cr-1", "m5.large", "us-east-1a", 1});
  options_.reservations.push_back(CapacityReservation{"cr-2", "m5.large", "us-east-1b", 1});
  Make();
  model::EC2NodeClass nc = NodeClass();
  nc.capacity_reservation_selector_terms.push_back(Term("cr-2"));
  cloud_->UpdateNodeClass(nc);
  auto types = cloud_->GetInstanceTypes(Pool());
  const catalog::InstanceType* m5 = FindType(types->all(), "m5.large");
  EXPECT_EQ(FindOffering(*m5, "us-east-1a", "reserved"), nullptr);
  ASSERT_NE(FindOffering(*m5, "us-east-1b", "reserved"), nullptr);
}

TEST_F(SimulatedEc2Test, BillingIsPerSecondWithASixtySecondMinimum) {
  options_.spot_interruptions = false;
  Make();
  const double price = OdPrice("m5.large");
  ports::Instance a = MustCreate(Claim("nc-a", {"m5.large"}, {"on-demand"}));
  events_.RunUntil(10 * kSecond);
  EXPECT_NEAR(ec2_->Bill().total_usd, price * 60 / 3600, 1e-12);  // the minimum, from the start
  events_.RunUntil(90 * kSecond);
  EXPECT_NEAR(ec2_->Bill().total_usd, price * 90 / 3600, 1e-12);
  events_.RunUntil(90 * kSecond + 1);  // a started second is billed whole
  EXPECT_NEAR(ec2_->Bill().total_usd, price * 91 / 3600, 1e-12);
  ASSERT_TRUE(cloud_->Delete(a.provider_id).ok());
  events_.RunUntil(1 * kHour);
  Ec2Bill bill = ec2_->Bill();
  EXPECT_NEAR(bill.total_usd, price * 91 / 3600, 1e-12);  // billing stopped
  EXPECT_NEAR(bill.instance_hours, (90 * kSecond + 1) / double(kHour), 1e-12);
  EXPECT_NEAR(bill.usd_by_capacity_type.at("on-demand"), bill.total_usd, 1e-15);

  // A 30-second spot instance costs its minute; a GPU instance adds GPU-hours.
  ports::Instance b = MustCreate(Claim("nc-b", {"c5.large"}, {"spot"}));
  events_.RunUntil(1 * kHour + 30 * kSecond);
  ASSERT_TRUE(cloud_->Delete(b.provider_id).ok());
  ports::Instance g = MustCreate(Claim("nc-g", {"g5.xlarge"}, {"on-demand"}));
  events_.RunUntil(3 * kHour + 30 * kSecond);
  bill = ec2_->Bill();
  EXPECT_NEAR(bill.usd_by_capacity_type.at("spot"), b.price_per_hour * 60 / 3600, 1e-12);
  EXPECT_NEAR(bill.gpu_hours, 2.0, 1e-9);
  EXPECT_NEAR(bill.instance_hours_by_capacity_type.at("spot"), 30.0 / 3600, 1e-12);
  EXPECT_NEAR(bill.total_usd,
              price * 91 / 3600 + b.price_per_hour * 60 / 3600 + g.price_per_hour * 2, 1e-9);
}

TEST_F(SimulatedEc2Test, CreateFleetAnswersAfterTheLatencyAndBillsFromThen) {
  options_.spot_interruptions = false;
  options_.create_fleet_latency = 2 * kSecond;
  Make();
  const Duration start = events_.Now();
  ports::Instance a = MustCreate(Claim("nc-a", {"c5.large"}, {"on-demand"}));
  EXPECT_EQ(events_.Now(), start + 2 * kSecond);
  EXPECT_EQ(a.launched_at, start + 2 * kSecond);
  EXPECT_EQ(ec2_->counters().create_calls, 1u);
  events_.RunUntil(start + 2 * kSecond + 90 * kSecond);
  EXPECT_NEAR(ec2_->Bill().total_usd, OdPrice("c5.large") * 90 / 3600, 1e-12);
}

TEST_F(SimulatedEc2Test, DeleteFreesCapacity) {
  options_.spot_interruptions = false;
  options_.pools.push_back(CapacityPool{"c5.large", "", "", 1});
  Make(42, {"us-east-1a"});
  const OfferingKey key{"on-demand", "c5.large", "us-east-1a"};
  ports::Instance a = MustCreate(Claim("nc-a", {"c5.large"}, {"on-demand"}));
  EXPECT_EQ(ec2_->PoolUsed(key), 1);
  EXPECT_FALSE(Create(Claim("nc-b", {"c5.large"}, {"on-demand"})).ok());
  ASSERT_TRUE(cloud_->Delete(a.provider_id).ok());
  EXPECT_EQ(ec2_->PoolUsed(key), 0);
  EXPECT_TRUE(cloud_->List().empty());
  EXPECT_TRUE(cloud_->Get(a.provider_id)->terminated);
  EXPECT_EQ(cloud_->Delete(a.provider_id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(cloud_->Delete("aws:///us-east-1a/i-nope").error().code, ErrorCode::kNotFound);
  events_.RunUntil(3 * kMinute);  // the failed launch left an ICE mark
  EXPECT_EQ(MustCreate(Claim("nc-c", {"c5.large"}, {"on-demand"})).instance_type, "c5.large");
  EXPECT_EQ(ec2_->counters().terminations, 1u);
}

TEST_F(SimulatedEc2Test, SpotInterruptionSequence) {
  options_.spot_interruption_multiplier = 10000;  // mean time to interruption of minutes
  options_.default_pool_size = 100;
  Make();
  std::vector<ports::Instance> spot;
  for (int i = 0; i < 20; ++i) spot.push_back(MustCreate(Claim("nc-" + std::to_string(i), {"m5.large"}, {"spot"})));
  ports::Instance od = MustCreate(Claim("nc-od", {"m5.large"}, {"on-demand"}));

  std::vector<InterruptionMessage> messages;
  while (events_.RunNext()) {
    for (InterruptionMessage& m : ReceiveAll(*ec2_)) messages.push_back(m);
  }
  EXPECT_TRUE(ReceiveAll(*ec2_).empty());
  for (const ports::Instance& inst : spot) {
    std::vector<InterruptionMessage> mine;
    for (const InterruptionMessage& m : messages) {
      if (m.instance_id == inst.id) mine.push_back(m);
    }
    ASSERT_EQ(mine.size(), 3u) << inst.id;
    EXPECT_EQ(mine[0].kind, InterruptionMessage::Kind::kRebalanceRecommendation);
    EXPECT_EQ(mine[1].kind, InterruptionMessage::Kind::kSpotInterrupted);
    EXPECT_EQ(mine[2].kind, InterruptionMessage::Kind::kInstanceTerminated);
    EXPECT_LE(mine[0].time, mine[1].time);
    EXPECT_GE(mine[1].time - mine[0].time, 0);
    EXPECT_LE(mine[1].time - mine[0].time, SimulatedEc2::kRebalanceLeadMax);
    EXPECT_EQ(mine[2].time, mine[1].time + 2 * kMinute);
    EXPECT_TRUE(cloud_->Get(inst.provider_id)->terminated);
  }
  // On-demand is never interrupted.
  EXPECT_FALSE(cloud_->Get(od.provider_id)->terminated);
  ASSERT_EQ(cloud_->List().size(), 1u);
  EXPECT_EQ(ec2_->PoolUsed({"spot", "m5.large", "us-east-1a"}), 0);
  EXPECT_EQ(ec2_->counters().spot_interruption_warnings, 20u);
  EXPECT_EQ(ec2_->counters().spot_interruptions, 20u);
  EXPECT_EQ(ec2_->counters().rebalance_recommendations, 20u);
}

TEST_F(SimulatedEc2Test, DeletedSpotInstancesGetNoInterruption) {
  options_.spot_interruption_multiplier = 10000;
  Make();
  ports::Instance a = MustCreate(Claim("nc", {"m5.large"}, {"spot"}));
  ASSERT_TRUE(cloud_->Delete(a.provider_id).ok());
  while (events_.RunNext()) {
  }
  EXPECT_TRUE(ReceiveAll(*ec2_).empty());
  EXPECT_EQ(ec2_->counters().terminations, 1u);
}

TEST_F(SimulatedEc2Test, NoInterruptionsWhenDisabled) {
  options_.spot_interruptions = false;
  options_.spot_interruption_multiplier = 10000;
  Make();
  MustCreate(Claim("nc", {"m5.large"}, {"spot"}));
  EXPECT_TRUE(events_.empty());
}

// The warning times of n spot launches in one pool with the given seed.
std::vector<Duration> WarningTimes(uint64_t seed, int n) {
  EventQueue events;
  Ec2Options options;
  options.spot_interruption_multiplier = 1000;
  catalog::CapacityOptions base;
  base.zones = {"us-east-1a"};
  World world(options, base, seed, events);
  for (int i = 0; i < n; ++i) {
    EXPECT_TRUE(CreateNow(world.cloud, events, Claim("nc-" + std::to_string(i), {"m5.large"}, {"spot"})).ok());
  }
  std::vector<Duration> times;
  while (events.RunNext()) {
    for (const InterruptionMessage& m : ReceiveAll(world.ec2)) {
      if (m.kind == InterruptionMessage::Kind::kSpotInterrupted) times.push_back(m.time);
    }
  }
  return times;
}

TEST(SimulatedEc2Determinism, SameSeedSameInterruptionsOtherSeedOthers) {
  std::vector<Duration> a = WarningTimes(7, 10);
  std::vector<Duration> b = WarningTimes(7, 10);
  std::vector<Duration> c = WarningTimes(8, 10);
  ASSERT_EQ(a.size(), 10u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST_F(SimulatedEc2Test, DriftFollowsTheNodeClass) {
  options_.spot_interruptions = false;
  Make();
  model::NodeClaim claim = Claim("nc", {"m5.large"}, {"on-demand"});
  ports::Instance a = MustCreate(claim);
  claim.provider_id = a.provider_id;
  EXPECT_EQ(cloud_->IsDrifted(claim), std::nullopt);

  model::EC2NodeClass nc = NodeClass();
  nc.ami_selector_terms = {Term("ami-0abc")};
  cloud_->UpdateNodeClass(nc);
  EXPECT_EQ(cloud_->IsDrifted(claim), "AMIDrift");
  EXPECT_EQ(MustCreate(Claim("nc-2", {"m5.large"}, {"on-demand"})).image_id, "ami-0abc");

  nc = NodeClass();
  nc.subnet_selector_terms = {Term("subnet-1")};
  cloud_->UpdateNodeClass(nc);
  EXPECT_EQ(cloud_->IsDrifted(claim), "SubnetDrift");

  nc = NodeClass();
  nc.security_group_selector_terms = {Term("sg-1")};
  cloud_->UpdateNodeClass(nc);
  EXPECT_EQ(cloud_->IsDrifted(claim), "SecurityGroupDrift");

  nc = NodeClass();
  nc.user_data = "echo hello";
  cloud_->UpdateNodeClass(nc);
  EXPECT_EQ(cloud_->IsDrifted(claim), "NodeClassDrift");

  cloud_->UpdateNodeClass(NodeClass());
  EXPECT_EQ(cloud_->IsDrifted(claim), std::nullopt);
}

TEST_F(SimulatedEc2Test, GetInstanceTypesResolvesOnceAndOnlyPatchesAvailability) {
  Make();
  auto first = cloud_->GetInstanceTypes(Pool());
  ASSERT_TRUE(first.ok());
  EXPECT_GT(first->size(), 300u);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(cloud_->GetInstanceTypes(Pool()).ok());
  MustCreate(Claim("nc", {"m5.large"}, {"on-demand"}));
  EXPECT_EQ(cloud_->counters().type_resolutions, 1u);
  auto again = cloud_->GetInstanceTypes(Pool());
  ASSERT_EQ(again->size(), first->size());
  for (size_t i = 0; i < first->size(); ++i) {
    EXPECT_EQ((*again)[i].name, (*first)[i].name);
    EXPECT_EQ((*again)[i].offerings, (*first)[i].offerings);
    EXPECT_EQ((*again)[i].requirements, (*first)[i].requirements);
  }
  cloud_->UpdateNodeClass(NodeClass());
  ASSERT_TRUE(cloud_->GetInstanceTypes(Pool()).ok());
  EXPECT_EQ(cloud_->counters().type_resolutions, 2u);
  model::NodePool missing = Pool("missing");
  EXPECT_EQ(cloud_->GetInstanceTypes(missing).error().code, ErrorCode::kNotFound);
}

TEST_F(SimulatedEc2Test, GetInstanceTypesKeepsOnlyWhatThePoolAllows) {
  options_.pools.push_back(CapacityPool{"g5.xlarge", "", "", 0});
  Make();
  model::NodePool gpu = Pool();
  gpu.meta.name = "gpu";
  gpu.requirements.push_back(model::Requirement::In(std::string(label::kInstanceCategory), {"g"}));
  gpu.requirements.push_back(model::Requirement::Exists(std::string(label::kInstanceGpuCount)));
  // Offering-level keys do not filter types: g5.xlarge, with no available
  // offering at all, is still listed.
  gpu.requirements.push_back(model::Requirement::In(std::string(label::kCapacityType), {"spot"}));
  auto types = cloud_->GetInstanceTypes(gpu);
  ASSERT_TRUE(types.ok());
  ASSERT_FALSE(types->empty());
  for (const catalog::InstanceType& t : *types) {
    EXPECT_EQ(t.info->category, "g") << t.name;
    EXPECT_GT(t.info->gpu_count, 0) << t.name;
  }
  const catalog::InstanceType* g5 = FindType(types->all(), "g5.xlarge");
  ASSERT_NE(g5, nullptr);
  EXPECT_FALSE(g5->HasAvailableOffering());
  // A changed pool is filtered again.
  gpu.requirements.push_back(model::Requirement::In(std::string(label::kInstanceFamily), {"g6"}));
  types = cloud_->GetInstanceTypes(gpu);
  ASSERT_FALSE(types->empty());
  for (const catalog::InstanceType& t : *types) EXPECT_EQ(t.info->family, "g6") << t.name;
  EXPECT_EQ(cloud_->counters().type_resolutions, 1u);
}

TEST(SimulatedEc2Lifetime, EventsOutlivingTheProviderDoNothing) {
  EventQueue events;
  Ec2Options options;
  options.spot_interruption_multiplier = 10000;
  {
    World world(options, catalog::CapacityOptions{}, 1, events);
    ASSERT_TRUE(CreateNow(world.cloud, events, Claim("nc", {"m5.large"}, {"spot"})).ok());
  }
  EXPECT_FALSE(events.empty());
  while (events.RunNext()) {
  }
}

}  // namespace
}  // namespace adze::sim

namespace adze::sim {
namespace {

TEST_F(SimulatedEc2Test, InterruptSpotInstanceWarnsNowAndTerminatesAfterTheNotice) {
  options_.spot_interruptions = false;  // only the interruption asked for
  Make();
  ports::Instance spot = MustCreate(Claim("nc", {"m5.large"}, {"spot"}));
  ports::Instance od = MustCreate(Claim("nc-od", {"m5.large"}, {"on-demand"}));
  const std::string id = spot.id;
  const std::string od_id = od.id;
  EXPECT_EQ(ec2_->InterruptSpotInstance(od_id).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ec2_->InterruptSpotInstance("i-0000000000000dead").error().code, ErrorCode::kNotFound);

  const Duration asked = events_.Now();
  ASSERT_TRUE(ec2_->InterruptSpotInstance(id).ok());
  std::vector<InterruptionMessage> now = ReceiveAll(*ec2_);
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].kind, InterruptionMessage::Kind::kRebalanceRecommendation);
  EXPECT_EQ(now[1].kind, InterruptionMessage::Kind::kSpotInterrupted);
  EXPECT_EQ(now[1].time, asked);
  events_.RunUntil(asked + SimulatedEc2::kSpotNotice - 1);
  EXPECT_TRUE(ReceiveAll(*ec2_).empty());
  events_.RunUntil(asked + SimulatedEc2::kSpotNotice);
  std::vector<InterruptionMessage> later = ReceiveAll(*ec2_);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].kind, InterruptionMessage::Kind::kInstanceTerminated);
  EXPECT_EQ(ec2_->counters().spot_interruptions, 1u);
  auto all = ec2_->AllInstances();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].instance_id, id);
  EXPECT_EQ(all[0].state, "terminated");
  EXPECT_EQ(all[1].state, "running");
  EXPECT_EQ(ec2_->InterruptSpotInstance(id).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace adze::sim
