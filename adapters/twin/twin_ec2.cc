#include "adapters/twin/twin_ec2.h"

#include <algorithm>
#include <optional>

#include "adapters/twin/eventbridge_event.h"

namespace adze::twin {

namespace aws = providers::aws;
using nlohmann::json;

namespace {

int64_t SystemWallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FamilyOf(const std::string& type) { return type.substr(0, type.find('.')); }

}  // namespace

TwinEc2::TwinEc2(const catalog::Catalog& catalog, const sim::Ec2Options& ec2, catalog::CapacityOptions base,
                 TwinEc2Options options)
    : catalog_(catalog),
      options_([&] {
        if (!options.wall_now) options.wall_now = SystemWallMicros;
        if (!(options.speed > 0)) options.speed = 1;
        return std::move(options);
      }()),
      t0_(options_.wall_now()),
      random_(options_.seed) {
  ec2_ = std::make_unique<sim::SimulatedEc2>(catalog_, ec2, std::move(base), events_, options_.seed);
}

TwinEc2::~TwinEc2() { Stop(); }

void TwinEc2::SetMessageSink(MessageSink sink) {
  std::lock_guard lock(mu_);
  sink_ = std::move(sink);
}

void TwinEc2::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      Step();
      lock.lock();
      wake_.wait_for(lock, options_.step_interval, [this] { return stopping_; });
    }
  });
}

void TwinEc2::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  answered_.notify_all();
  if (thread_.joinable()) thread_.join();
}

model::Duration TwinEc2::VirtualNow() const {
  const double elapsed = static_cast<double>(options_.wall_now() - t0_);
  return static_cast<model::Duration>(elapsed * options_.speed);
}

int64_t TwinEc2::ToWall(model::Duration virtual_time) const {
  return t0_ + static_cast<int64_t>(static_cast<double>(virtual_time) / options_.speed);
}

void TwinEc2::Step() {
  {
    std::lock_guard lock(mu_);
    // The wall clock may step back; the event queue never does.
    const model::Duration now = std::max(events_.Now(), VirtualNow());
    events_.RunUntil(now);
    std::erase_if(blocks_, [now](const CapacityBlock& b) { return b.until != 0 && b.until <= now; });
    DrainMessagesLocked();
  }
  answered_.notify_all();
}

void TwinEc2::DrainMessagesLocked() {
  for (;;) {
    auto received = ec2_->Receive(10, 0);
    if (!received.ok() || received->empty()) return;
    for (const ports::InterruptionMessage& m : *received) {
      (void)ec2_->Delete(m.receipt_handle);
      if (sink_) {
        sink_(EncodeEventBridgeEvent(m, ToWall(m.time), options_.region, options_.account, next_event_++));
      }
    }
  }
}

bool TwinEc2::Blocked(const aws::FleetOverride& ov, const std::string& capacity_type) const {
  for (const CapacityBlock& b : blocks_) {
    const bool type = b.instance_types.contains(ov.instance_type) ||
                      (!b.family.empty() && FamilyOf(ov.instance_type) == b.family);
    if (!type) continue;
    if (!b.zones.empty() && !b.zones.contains(ov.availability_zone)) continue;
    if (!b.capacity_type.empty() && b.capacity_type != capacity_type) continue;
    return true;
  }
  return false;
}

aws::Outcome<aws::CreateFleetResponse> TwinEc2::CreateFleet(aws::CreateFleetRequest request,
                                                            std::chrono::milliseconds timeout) {
  struct Answer {
    bool done = false;
    std::optional<aws::Outcome<aws::CreateFleetResponse>> outcome;
  };
  auto answer = std::make_shared<Answer>();
  std::unique_lock lock(mu_);
  if (stopping_) return aws::AwsError{"ServiceUnavailable", "the twin is shutting down"};
  if (request.default_target_capacity_type == "reserved-capacity") {
    // use-capacity-reservations-first: an override whose type and zone have
    // an open reservation launches into it.
    auto reservations = ec2_->DescribeCapacityReservations();
    for (aws::FleetOverride& ov : request.overrides) {
      if (!ov.capacity_reservation_id.empty() || !reservations.IsSuccess()) continue;
      for (const aws::CapacityReservation& r : reservations.GetResult().capacity_reservations) {
        if (r.instance_type == ov.instance_type && r.availability_zone == ov.availability_zone &&
            r.available_instance_count > 0) {
          ov.capacity_reservation_id = r.capacity_reservation_id;
          break;
        }
      }
    }
  }
  const std::string capacity_type = request.default_target_capacity_type == "spot" ? "spot" : "on-demand";
  std::vector<aws::FleetError> injected;
  std::vector<aws::FleetOverride> kept;
  for (const aws::FleetOverride& ov : request.overrides) {
    if (ov.capacity_reservation_id.empty() && Blocked(ov, capacity_type)) {
      ++blocked_overrides_;
      injected.push_back(aws::FleetError{ov, "InsufficientInstanceCapacity",
                                         "We currently do not have sufficient " + ov.instance_type +
                                             " capacity in the Availability Zone you requested (" +
                                             ov.availability_zone + ")."});
    } else {
      kept.push_back(ov);
    }
  }
  request.overrides = std::move(kept);
  ec2_->CreateFleet(request, [answer, injected](aws::Outcome<aws::CreateFleetResponse> o) {
    if (o.IsSuccess()) {
      aws::CreateFleetResponse r = std::move(o).GetResult();
      r.errors.insert(r.errors.begin(), injected.begin(), injected.end());
      answer->outcome.emplace(std::move(r));
    } else {
      answer->outcome.emplace(std::move(o));
    }
    answer->done = true;
  });
  wake_.notify_all();
  answered_.wait_for(lock, timeout, [&] { return answer->done || stopping_; });
  if (answer->done) return std::move(*answer->outcome);
  if (stopping_) return aws::AwsError{"ServiceUnavailable", "the twin is shutting down"};
  return aws::AwsError{"RequestTimeout", "CreateFleet did not complete in time"};
}

void TwinEc2::AddCapacityBlock(CapacityBlock block) {
  std::lock_guard lock(mu_);
  blocks_.push_back(std::move(block));
}

size_t TwinEc2::ClearCapacityBlocks() {
  std::lock_guard lock(mu_);
  const size_t n = blocks_.size();
  blocks_.clear();
  return n;
}

Status TwinEc2::Interrupt(const std::string& instance_id) {
  Status s = OkStatus();
  {
    std::lock_guard lock(mu_);
    s = ec2_->InterruptSpotInstance(instance_id);
    if (s.ok()) {
      ++injected_interruptions_;
      DrainMessagesLocked();
    }
  }
  wake_.notify_all();
  return s;
}

std::vector<std::string> TwinEc2::InterruptRandom(int count) {
  std::vector<std::string> chosen;
  {
    std::lock_guard lock(mu_);
    auto running = ec2_->DescribeInstances({});
    std::vector<std::string> spot;
    if (running.IsSuccess()) {
      for (const aws::Ec2Instance& i : running.GetResult().instances) {
        if (i.instance_lifecycle == "spot") spot.push_back(i.instance_id);
      }
    }
    std::sort(spot.begin(), spot.end());
    while (static_cast<int>(chosen.size()) < count && !spot.empty()) {
      const size_t k = std::uniform_int_distribution<size_t>(0, spot.size() - 1)(random_);
      if (ec2_->InterruptSpotInstance(spot[k]).ok()) {
        ++injected_interruptions_;
        chosen.push_back(spot[k]);
      }
      spot.erase(spot.begin() + static_cast<std::ptrdiff_t>(k));
    }
    DrainMessagesLocked();
  }
  wake_.notify_all();
  return chosen;
}

std::vector<TwinInstance> TwinEc2::Instances() const {
  std::lock_guard lock(mu_);
  std::vector<TwinInstance> out;
  for (aws::Ec2Instance& i : ec2_->AllInstances()) {
    TwinInstance t;
    t.capacity_type = !i.capacity_reservation_id.empty() ? "reserved"
                      : i.instance_lifecycle == "spot"    ? "spot"
                                                          : "on-demand";
    t.launch_time = ToWall(i.launch_time);
    t.instance = std::move(i);
    out.push_back(std::move(t));
  }
  return out;
}

std::optional<InstanceState> TwinEc2::Find(const std::string& instance_id) const {
  std::lock_guard lock(mu_);
  auto r = ec2_->DescribeInstances(aws::DescribeInstancesRequest{{instance_id}, {}});
  if (!r.IsSuccess() || r.GetResult().instances.empty()) return std::nullopt;
  const aws::Ec2Instance& i = r.GetResult().instances.front();
  InstanceState s;
  s.running = i.state == "running" || i.state == "pending";
  s.launched_at = ToWall(i.launch_time);
  s.instance_type = i.instance_type;
  if (const catalog::InstanceTypeInfo* info = catalog_.Find(i.instance_type)) s.gpus = info->gpu_count;
  return s;
}

json TwinEc2::Counters() const {
  std::lock_guard lock(mu_);
  const sim::Ec2Counters& c = ec2_->counters();
  const sim::Ec2Bill bill = ec2_->Bill();
  json ice_by_offering = json::object();
  for (const auto& [key, n] : c.insufficient_capacity_errors) {
    ice_by_offering[key.capacity_type + "/" + key.instance_type + "/" + key.zone] = n;
  }
  uint64_t running = 0;
  for (const aws::Ec2Instance& i : ec2_->AllInstances()) running += i.state == "running" ? 1 : 0;
  return json{{"createFleetCalls", c.create_calls},
              {"createFleetFailures", c.insufficient_capacity_failures},
              {"launches", c.launches},
              {"launchesByCapacityType", c.launches_by_capacity_type},
              {"insufficientCapacityErrors", c.insufficient_capacity_errors_total},
              {"insufficientCapacityErrorsByOffering", ice_by_offering},
              {"terminations", c.terminations},
              {"running", running},
              {"rebalanceRecommendations", c.rebalance_recommendations},
              {"spotInterruptionWarnings", c.spot_interruption_warnings},
              {"spotInterruptions", c.spot_interruptions},
              {"bill",
               {{"totalUsd", bill.total_usd},
                {"usdByCapacityType", bill.usd_by_capacity_type},
                {"instanceHours", bill.instance_hours},
                {"gpuHours", bill.gpu_hours}}},
              {"injected",
               {{"blockedOverrides", blocked_overrides_},
                {"spotInterruptions", injected_interruptions_},
                {"capacityBlocksActive", blocks_.size()}}},
              {"twinTimeSeconds", static_cast<double>(events_.Now()) / 1e6},
              {"speed", options_.speed}};
}

}  // namespace adze::twin
