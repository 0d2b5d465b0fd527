#include "sim/ec2/simulated_ec2.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <utility>

#include "model/labels.h"
#include "providers/aws/node_class_hash.h"

namespace adze::sim {
namespace {

namespace label = model::label;
namespace aws = providers::aws;
using ports::OfferingKey;

const std::string kOnDemand(label::kCapacityTypeOnDemand);
const std::string kSpot(label::kCapacityTypeSpot);
const std::string kReserved(label::kCapacityTypeReserved);

// Spec §3.1: reserved capacity is priced at on-demand / 10,000,000.
constexpr double kReservedPriceDivisor = 10'000'000;
// Free addresses per simulated subnet (a /20).
constexpr int32_t kSubnetFreeIps = 4091;

// ASSUMPTION: the representative monthly interruption probability of each
// Spot Advisor band (<5, 5–10, 10–15, 15–20, >20 %): the band's midpoint, and
// 25 % for the open-ended top band. An unknown band reads as the top band.
constexpr double kBandMonthlyProbability[] = {0.025, 0.075, 0.125, 0.175, 0.25};
constexpr double kHoursPerMonth = 30 * 24;
// Interruption draws further out than this are not scheduled (a century).
constexpr double kMaxInterruptionHours = 100 * 365 * 24;

bool PatternMatches(std::string_view pattern, std::string_view value) {
  if (pattern.empty() || pattern == "*") return true;
  if (pattern.back() == '*') {
    pattern.remove_suffix(1);
    return value.substr(0, pattern.size()) == pattern;
  }
  return pattern == value;
}

// The zone filter of catalog::CapacityOptions: by name or id; empty = all.
bool ZoneAllowed(const catalog::Zone& z, const std::vector<std::string>& zones) {
  return zones.empty() || std::find(zones.begin(), zones.end(), z.name) != zones.end() ||
         std::find(zones.begin(), zones.end(), z.id) != zones.end();
}

}  // namespace

SimulatedEc2::SimulatedEc2(const catalog::Catalog& catalog, const Ec2Options& options, catalog::CapacityOptions base,
                           EventQueue& events, uint64_t seed)
    : catalog_(catalog),
      options_(options),
      base_(std::move(base)),
      events_(events),
      seed_(seed),
      alive_(std::make_shared<bool>(true)) {
  for (const CapacityReservation& r : options_.reservations) {
    reservations_.insert_or_assign(r.id, ReservationState{r, 0});
  }
}

int32_t SimulatedEc2::ConfiguredPoolSize(const OfferingKey& key) const {
  int32_t size = options_.default_pool_size;
  for (const CapacityPool& p : options_.pools) {  // later entries win
    if (PatternMatches(p.instance_type, key.instance_type) && (p.zone.empty() || p.zone == key.zone) &&
        (p.capacity_type.empty() || p.capacity_type == key.capacity_type)) {
      size = p.size;
    }
  }
  return size;
}

SimulatedEc2::PoolState& SimulatedEc2::Pool(const OfferingKey& key) {
  auto it = pools_.find(key);
  if (it == pools_.end()) it = pools_.emplace(key, PoolState{ConfiguredPoolSize(key), 0}).first;
  return it->second;
}

int32_t SimulatedEc2::PoolUsed(const OfferingKey& key) const {
  auto it = pools_.find(key);
  return it == pools_.end() ? 0 : it->second.used;
}

int32_t SimulatedEc2::PoolSize(const OfferingKey& key) const {
  auto it = pools_.find(key);
  return it == pools_.end() ? ConfiguredPoolSize(key) : it->second.size;
}

std::optional<int32_t> SimulatedEc2::ReservationRemaining(const std::string& reservation_id) const {
  auto it = reservations_.find(reservation_id);
  if (it == reservations_.end()) return std::nullopt;
  return std::max(0, it->second.spec.count - it->second.used);
}

std::optional<double> SimulatedEc2::Price(const std::string& instance_type, const std::string& capacity_type) const {
  const catalog::InstanceTypeInfo* info = catalog_.Find(instance_type);
  if (info == nullptr || !info->od_price_usd_hr) return std::nullopt;
  const double od = *info->od_price_usd_hr;
  if (capacity_type == kReserved) return od / kReservedPriceDivisor;
  if (capacity_type == kSpot) {
    if (!info->spot_savings_pct) return std::nullopt;
    return od * (1 - *info->spot_savings_pct / 100);  // as catalog::ResolveInstanceType prices spot
  }
  return od;
}

std::vector<catalog::Zone> SimulatedEc2::RegionZones() const {
  std::vector<catalog::Zone> out;
  for (const catalog::Zone& z : catalog_.AllZones()) {
    if (ZoneAllowed(z, base_.zones)) out.push_back(z);
  }
  return out;
}

// ---- Describe calls ------------------------------------------------------------

aws::Outcome<aws::DescribeInstanceTypesResponse> SimulatedEc2::DescribeInstanceTypes() const {
  return aws::DescribeInstanceTypesResponse{catalog_.types()};
}

aws::Outcome<aws::DescribeInstanceTypeOfferingsResponse> SimulatedEc2::DescribeInstanceTypeOfferings() const {
  aws::DescribeInstanceTypeOfferingsResponse r;
  for (const catalog::InstanceTypeInfo& info : catalog_.types()) {
    for (const catalog::TypeZone& z : info.zones) {
      // A size-0 on-demand pool: the type is not offered there.
      if (PoolSize(OfferingKey{kOnDemand, info.instance_type, z.zone}) > 0) {
        r.offerings.push_back(aws::InstanceTypeOffering{info.instance_type, z.zone});
      }
    }
  }
  return r;
}

aws::Outcome<aws::DescribeSpotPriceHistoryResponse> SimulatedEc2::DescribeSpotPriceHistory() const {
  aws::DescribeSpotPriceHistoryResponse r;
  for (const catalog::InstanceTypeInfo& info : catalog_.types()) {
    const std::optional<double> price = Price(info.instance_type, kSpot);
    if (!price) continue;
    for (const catalog::TypeZone& z : info.zones) {
      // A size-0 spot pool has no market, hence no price.
      if (PoolSize(OfferingKey{kSpot, info.instance_type, z.zone}) > 0) {
        r.prices.push_back(aws::SpotPrice{info.instance_type, z.zone, *price});
      }
    }
  }
  return r;
}

aws::Outcome<aws::GetOnDemandPricesResponse> SimulatedEc2::GetOnDemandPrices() const {
  aws::GetOnDemandPricesResponse r;
  for (const catalog::InstanceTypeInfo& info : catalog_.types()) {
    if (info.od_price_usd_hr) r.usd_per_hour[info.instance_type] = *info.od_price_usd_hr;
  }
  return r;
}

aws::Outcome<aws::DescribeCapacityReservationsResponse> SimulatedEc2::DescribeCapacityReservations() const {
  aws::DescribeCapacityReservationsResponse r;
  for (const auto& [id, res] : reservations_) {
    r.capacity_reservations.push_back(aws::CapacityReservation{id, res.spec.instance_type, res.spec.zone,
                                                               res.spec.count,
                                                               std::max(0, res.spec.count - res.used), "active"});
  }
  return r;
}

aws::Outcome<aws::DescribeSubnetsResponse> SimulatedEc2::DescribeSubnets(const aws::SelectorTerms& terms) const {
  aws::DescribeSubnetsResponse r;
  for (const catalog::Zone& z : RegionZones()) {
    const uint64_t h = aws::Hasher().AddTerms(terms).Add(z.name).value();
    r.subnets.push_back(aws::Subnet{aws::HexId("subnet", h), z.name, z.id, kSubnetFreeIps});
  }
  return r;
}

aws::Outcome<aws::DescribeSecurityGroupsResponse> SimulatedEc2::DescribeSecurityGroups(
    const aws::SelectorTerms& terms) const {
  const uint64_t h = aws::Hasher().AddTerms(terms).value();
  return aws::DescribeSecurityGroupsResponse{{aws::SecurityGroup{aws::HexId("sg", h), "adze-sim"}}};
}

aws::Outcome<aws::DescribeImagesResponse> SimulatedEc2::DescribeImages(const aws::DescribeImagesRequest& request) const {
  aws::DescribeImagesResponse r;
  for (const model::SelectorTerm& t : request.terms) {
    const std::string id = !t.id.empty() ? t.id : aws::HexId("ami", aws::Hasher().AddTerms({t}).value());
    r.images.push_back(aws::Image{id, t.name, "", "x86_64"});
  }
  return r;
}

aws::Outcome<aws::GetParameterResponse> SimulatedEc2::GetParameter(const std::string& name) const {
  return aws::GetParameterResponse{aws::HexId("ami", aws::Hasher().Add(name).value())};
}

aws::Outcome<aws::DescribeInstancesResponse> SimulatedEc2::DescribeInstances(
    const aws::DescribeInstancesRequest& request) const {
  aws::DescribeInstancesResponse r;
  auto tagged = [&](const aws::Ec2Instance& i) {
    return std::all_of(request.tag_keys.begin(), request.tag_keys.end(),
                       [&](const std::string& k) { return i.tags.contains(k); });
  };
  if (!request.instance_ids.empty()) {
    for (const std::string& id : request.instance_ids) {
      auto it = by_id_.find(id);
      if (it == by_id_.end()) continue;
      const aws::Ec2Instance& i = instances_.at(it->second).instance;
      if (tagged(i)) r.instances.push_back(i);
    }
    return r;
  }
  for (uint64_t seq : running_) {
    const aws::Ec2Instance& i = instances_.at(seq).instance;
    if (tagged(i)) r.instances.push_back(i);
  }
  return r;
}

// ---- Launch templates, fleets, tags, termination ----------------------------------

aws::Outcome<aws::CreateLaunchTemplateResponse> SimulatedEc2::CreateLaunchTemplate(
    const aws::CreateLaunchTemplateRequest& request) {
  if (launch_templates_.contains(request.launch_template_name)) {
    return aws::AwsError{"InvalidLaunchTemplateName.AlreadyExistsException",
                         "launch template " + request.launch_template_name + " already exists"};
  }
  launch_templates_.emplace(request.launch_template_name, request);
  return aws::CreateLaunchTemplateResponse{aws::HexId("lt", aws::Hasher().Add(request.launch_template_name).value())};
}

void SimulatedEc2::CreateFleet(const aws::CreateFleetRequest& request, aws::CreateFleetDone done) {
  std::weak_ptr<bool> alive = alive_;
  events_.After(options_.create_fleet_latency, [this, alive, request, done = std::move(done)] {
    if (alive.expired()) return;
    done(Fulfil(request));
  });
}

aws::CreateFleetResponse SimulatedEc2::Fulfil(const aws::CreateFleetRequest& request) {
  ++counters_.create_calls;
  aws::CreateFleetResponse response;
  response.fleet_id = aws::HexId("fleet", next_fleet_++);
  auto capacity_type_of = [&](const aws::FleetOverride& ov) {
    if (!ov.capacity_reservation_id.empty()) return kReserved;
    return request.default_target_capacity_type == kSpot ? kSpot : kOnDemand;
  };
  struct Candidate {
    const aws::FleetOverride* ov;
    int32_t spare = 0;
  };
  std::vector<Candidate> candidates;
  for (const aws::FleetOverride& ov : request.overrides) {
    int32_t spare = 0;
    if (!ov.capacity_reservation_id.empty()) {
      auto r = reservations_.find(ov.capacity_reservation_id);
      if (r != reservations_.end()) spare = r->second.spec.count - r->second.used;
    } else {
      const PoolState& p = Pool(OfferingKey{capacity_type_of(ov), ov.instance_type, ov.availability_zone});
      spare = p.size - p.used;
    }
    candidates.push_back(Candidate{&ov, std::max(0, spare)});
  }
  auto by_price = [](const Candidate& a, const Candidate& b) {
    if (a.ov->priority != b.ov->priority) return a.ov->priority < b.ov->priority;
    if (a.ov->instance_type != b.ov->instance_type) return a.ov->instance_type < b.ov->instance_type;
    return a.ov->availability_zone < b.ov->availability_zone;
  };
  if (request.allocation_strategy == "price-capacity-optimized") {
    // ASSUMPTION (price-capacity-optimized): the deep pools are those with at
    // least half the largest spare capacity; the cheapest deep pool first,
    // then the other pools with spare capacity by price, full pools last.
    int32_t max_spare = 0;
    for (const Candidate& c : candidates) max_spare = std::max(max_spare, c.spare);
    const int32_t deep = (max_spare + 1) / 2;
    auto tier = [&](const Candidate& c) { return c.spare == 0 ? 2 : (c.spare >= deep ? 0 : 1); };
    std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
      if (tier(a) != tier(b)) return tier(a) < tier(b);
      if (a.ov->priority != b.ov->priority) return a.ov->priority < b.ov->priority;
      if (a.spare != b.spare) return a.spare > b.spare;
      return by_price(a, b);
    });
  } else {
    std::sort(candidates.begin(), candidates.end(), by_price);  // lowest-price
  }

  for (const Candidate& c : candidates) {
    const aws::FleetOverride& ov = *c.ov;
    const std::string capacity_type = capacity_type_of(ov);
    if (capacity_type == kReserved) {
      auto r = reservations_.find(ov.capacity_reservation_id);
      if (r != reservations_.end() && r->second.used < r->second.spec.count) {
        response.instances.push_back(aws::FleetInstance{{Launch(request, ov, capacity_type)}, ov, kOnDemand});
        return response;
      }
      response.errors.push_back(aws::FleetError{ov, "ReservationCapacityExceeded",
                                                "capacity reservation " + ov.capacity_reservation_id + " is used up"});
      continue;
    }
    const OfferingKey key{capacity_type, ov.instance_type, ov.availability_zone};
    const PoolState& pool = Pool(key);
    if (pool.used < pool.size) {
      response.instances.push_back(aws::FleetInstance{{Launch(request, ov, capacity_type)}, ov, capacity_type});
      return response;
    }
    ++counters_.insufficient_capacity_errors[key];
    ++counters_.insufficient_capacity_errors_total;
    response.errors.push_back(aws::FleetError{
        ov, "InsufficientInstanceCapacity",
        "We currently do not have sufficient " + ov.instance_type + " capacity in " + ov.availability_zone + "."});
  }
  ++counters_.insufficient_capacity_failures;
  return response;
}

std::string SimulatedEc2::Launch(const aws::CreateFleetRequest& request, const aws::FleetOverride& ov,
                                 const std::string& capacity_type) {
  const uint64_t seq = next_instance_++;
  char id[32];
  std::snprintf(id, sizeof id, "i-%017" PRIx64, seq);
  InstanceRecord rec;
  rec.seq = seq;
  aws::Ec2Instance& inst = rec.instance;
  inst.instance_id = id;
  inst.instance_type = ov.instance_type;
  inst.availability_zone = ov.availability_zone;
  inst.subnet_id = ov.subnet_id;
  inst.image_id = ov.image_id;
  if (auto lt = launch_templates_.find(request.launch_template_name); lt != launch_templates_.end()) {
    if (inst.image_id.empty()) inst.image_id = lt->second.image_id;
    inst.security_group_ids = lt->second.security_group_ids;
  }
  inst.instance_lifecycle = capacity_type == kSpot ? kSpot : "";
  inst.capacity_reservation_id = ov.capacity_reservation_id;
  inst.state = "running";
  inst.launch_time = events_.Now();
  inst.tags = request.tags;
  rec.capacity_type = capacity_type;
  rec.price_per_hour = Price(ov.instance_type, capacity_type).value_or(0);
  const catalog::InstanceTypeInfo* info = catalog_.Find(ov.instance_type);
  rec.gpus = info != nullptr ? info->gpu_count : 0;

  if (capacity_type == kReserved) {
    ++reservations_.at(ov.capacity_reservation_id).used;
  } else {
    ++Pool(OfferingKey{capacity_type, ov.instance_type, ov.availability_zone}).used;
  }
  ++counters_.launches;
  ++counters_.launches_by_capacity_type[capacity_type];
  by_id_.emplace(inst.instance_id, seq);
  running_.insert(seq);
  instances_.emplace(seq, std::move(rec));
  if (capacity_type == kSpot && options_.spot_interruptions) ScheduleSpotInterruption(seq);
  return id;
}

aws::Outcome<aws::TerminateInstancesResponse> SimulatedEc2::TerminateInstances(
    const aws::TerminateInstancesRequest& request) {
  for (const std::string& id : request.instance_ids) {
    if (!by_id_.contains(id)) return aws::AwsError{"InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist"};
  }
  aws::TerminateInstancesResponse r;
  for (const std::string& id : request.instance_ids) {
    InstanceRecord& rec = instances_.at(by_id_.find(id)->second);
    if (rec.instance.state != "terminated") Terminate(rec);
    r.terminating_instance_ids.push_back(id);
  }
  return r;
}

aws::Outcome<std::monostate> SimulatedEc2::CreateTags(const aws::CreateTagsRequest& request) {
  for (const std::string& id : request.resources) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return aws::AwsError{"InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist"};
    for (const auto& [k, v] : request.tags) instances_.at(it->second).instance.tags[k] = v;
  }
  return std::monostate{};
}

// ---- Spot market -------------------------------------------------------------------

void SimulatedEc2::ScheduleSpotInterruption(uint64_t seq) {
  const InstanceRecord& rec = instances_.at(seq);
  const std::string name = "ec2/spot/" + rec.instance.instance_type + "/" + rec.instance.availability_zone;
  auto it = spot_streams_.find(name);
  if (it == spot_streams_.end()) it = spot_streams_.emplace(name, ports::RandomStream(seed_, name)).first;
  ports::RandomStream& stream = it->second;
  // Two draws per launch, always, so a pool's stream advances the same way
  // whatever the multiplier.
  const double u_interrupt = stream.Uniform();
  const double u_lead = stream.Uniform();

  const catalog::InstanceTypeInfo* info = catalog_.Find(rec.instance.instance_type);
  const std::optional<int32_t> band = info != nullptr ? info->spot_interruption_band : std::nullopt;
  const double p = band ? kBandMonthlyProbability[std::clamp<int32_t>(*band, 0, 4)] : kBandMonthlyProbability[4];
  const double rate_per_hour = -std::log1p(-p) / kHoursPerMonth * options_.spot_interruption_multiplier;
  if (!(rate_per_hour > 0)) return;
  const double hours = -std::log1p(-u_interrupt) / rate_per_hour;
  if (!(hours < kMaxInterruptionHours)) return;

  const Duration launched = rec.instance.launch_time;
  const Duration warning = launched + static_cast<Duration>(std::llround(hours * static_cast<double>(kHour)));
  const Duration lead = static_cast<Duration>(u_lead * static_cast<double>(kRebalanceLeadMax));
  const Duration rebalance = std::max(launched, warning - lead);

  std::weak_ptr<bool> alive = alive_;
  events_.At(rebalance, [this, alive, seq, warning] {
    if (alive.expired()) return;
    InstanceRecord* r = FindRunning(seq);
    if (r == nullptr) return;
    ++counters_.rebalance_recommendations;
    Post(ports::InterruptionMessage::Kind::kRebalanceRecommendation, r->instance.instance_id);
    events_.At(warning, [this, alive, seq] {
      if (!alive.expired()) WarnAndTerminate(seq);
    });
  });
}

void SimulatedEc2::WarnAndTerminate(uint64_t seq) {
  InstanceRecord* r = FindRunning(seq);
  if (r == nullptr) return;
  ++counters_.spot_interruption_warnings;
  Post(ports::InterruptionMessage::Kind::kSpotInterrupted, r->instance.instance_id);
  std::weak_ptr<bool> alive = alive_;
  events_.After(kSpotNotice, [this, alive, seq] {
    if (alive.expired()) return;
    InstanceRecord* t = FindRunning(seq);
    if (t == nullptr) return;
    Terminate(*t);
    ++counters_.spot_interruptions;
    Post(ports::InterruptionMessage::Kind::kInstanceTerminated, t->instance.instance_id);
  });
}

Status SimulatedEc2::InterruptSpotInstance(const std::string& instance_id) {
  auto it = by_id_.find(instance_id);
  if (it == by_id_.end()) return Error::NotFound("instance " + instance_id + " does not exist");
  InstanceRecord* r = FindRunning(it->second);
  if (r == nullptr || r->capacity_type != kSpot) {
    return Error::InvalidArgument("instance " + instance_id + " is not a running spot instance");
  }
  ++counters_.rebalance_recommendations;
  Post(ports::InterruptionMessage::Kind::kRebalanceRecommendation, instance_id);
  WarnAndTerminate(it->second);
  return OkStatus();
}

SimulatedEc2::InstanceRecord* SimulatedEc2::FindRunning(uint64_t seq) {
  if (!running_.contains(seq)) return nullptr;
  return &instances_.at(seq);
}

// ---- The interruption queue (SQS) ------------------------------------------------------

void SimulatedEc2::Post(ports::InterruptionMessage::Kind kind, const std::string& instance_id) {
  messages_.push_back(QueuedMessage{ports::InterruptionMessage{kind, instance_id, events_.Now(), ""}, events_.Now()});
}

Result<std::vector<ports::InterruptionMessage>> SimulatedEc2::Receive(int max_messages, Duration /*max_wait*/) {
  std::vector<ports::InterruptionMessage> out;
  const Duration now = events_.Now();
  for (QueuedMessage& q : messages_) {
    if (static_cast<int>(out.size()) >= max_messages) break;
    if (q.visible_at > now) continue;
    q.message.receipt_handle = "rh-" + std::to_string(next_receipt_++);
    q.visible_at = now + kVisibilityTimeout;
    out.push_back(q.message);
  }
  return out;
}

Status SimulatedEc2::Delete(const std::string& receipt_handle) {
  auto it = std::find_if(messages_.begin(), messages_.end(),
                         [&](const QueuedMessage& q) { return q.message.receipt_handle == receipt_handle; });
  if (it == messages_.end()) return Error::NotFound("receipt handle " + receipt_handle + " not found");
  messages_.erase(it);
  return OkStatus();
}

std::vector<aws::Ec2Instance> SimulatedEc2::AllInstances() const {
  std::vector<aws::Ec2Instance> out;
  out.reserve(instances_.size());
  for (const auto& [seq, rec] : instances_) out.push_back(rec.instance);
  return out;
}

// ---- Billing -------------------------------------------------------------------------

namespace {

// Adds one instance's cost and usage from its launch to end.
void Accrue(Ec2Bill& bill, Duration launched_at, const std::string& capacity_type, double price_per_hour,
            int32_t gpus, Duration end) {
  const Duration ran = std::max<Duration>(0, end - launched_at);
  const Duration billed = std::max(ran, SimulatedEc2::kMinimumBilled);
  const int64_t billed_seconds = (billed + kSecond - 1) / kSecond;  // whole seconds, rounded up
  const double usd = price_per_hour * static_cast<double>(billed_seconds) / 3600.0;
  const double hours = static_cast<double>(ran) / static_cast<double>(kHour);
  bill.total_usd += usd;
  bill.usd_by_capacity_type[capacity_type] += usd;
  bill.instance_hours += hours;
  bill.instance_hours_by_capacity_type[capacity_type] += hours;
  bill.gpu_hours += hours * gpus;
}

}  // namespace

void SimulatedEc2::Terminate(InstanceRecord& record) {
  aws::Ec2Instance& inst = record.instance;
  ADZE_CHECK(inst.state != "terminated");
  inst.state = "terminated";
  record.terminated_at = events_.Now();
  running_.erase(record.seq);
  if (record.capacity_type == kReserved) {
    --reservations_.at(inst.capacity_reservation_id).used;
  } else {
    --Pool(OfferingKey{record.capacity_type, inst.instance_type, inst.availability_zone}).used;
  }
  Accrue(closed_, inst.launch_time, record.capacity_type, record.price_per_hour, record.gpus, record.terminated_at);
  ++counters_.terminations;
}

Ec2Bill SimulatedEc2::Bill() const {
  Ec2Bill bill = closed_;
  const Duration now = events_.Now();
  for (uint64_t seq : running_) {
    const InstanceRecord& rec = instances_.at(seq);
    Accrue(bill, rec.instance.launch_time, rec.capacity_type, rec.price_per_hour, rec.gpus, now);
  }
  return bill;
}

}  // namespace adze::sim
