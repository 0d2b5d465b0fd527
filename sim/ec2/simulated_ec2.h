// SimulatedEc2: EC2 as the simulator models it, behind providers::aws::Ec2Api
// and ports::InterruptionQueue (DESIGN.md "The simulator", spec §3.4–3.5 and
// §7, data/sim-calibration.md "Spot" and "EC2 API latency"). Only what EC2
// itself does lives here; Karpenter's logic (types under an EC2NodeClass,
// launch filters, overrides, the unavailable-offering cache, drift) is in
// providers/aws/AwsCloudProvider, which the simulator runs over this.
//
// - CreateFleet (instant, target capacity 1) answers `create_fleet_latency`
//   (Ec2Options) after the call, through the EventQueue; the instance is
//   launched then. The allocation strategy orders the overrides (spot:
//   price-capacity-optimized, on-demand: lowest-price) and the first with
//   capacity launches; each override tried before it fails with
//   InsufficientInstanceCapacity (a full pool) or ReservationCapacityExceeded
//   (a used-up reservation).
// - Capacity pools are finite, one per instance type × zone × capacity type
//   (Ec2Options). A pool of size 0 does not exist: a size-0 on-demand pool
//   drops the (type, zone) from DescribeInstanceTypeOfferings, a size-0 spot
//   pool from DescribeSpotPriceHistory. A merely full pool is only learnt from
//   CreateFleet's errors.
// - Capacity reservations (Ec2Options::reservations) launch at most `count`
//   instances at once, at on-demand / 10,000,000 (spec §3.1).
// - Billing is per second with a 60-second minimum per instance.
// - Spot instances draw an interruption time from the Spot Advisor band of
//   their type; EC2 then posts a rebalance recommendation, the two-minute
//   warning and the termination to the interruption queue and terminates the
//   instance.
// - The interruption queue behaves like SQS: a received message is invisible
//   for the visibility timeout (30 s, SQS's default) and comes back unless
//   deleted with its receipt handle. Receive never waits (the simulation polls).
// - Describe* answer from the catalog: DescribeInstanceTypes returns the
//   catalog rows; prices are the catalog's (spot = on-demand × (1 − savings));
//   subnets are one per zone of the region (narrowed to `base.zones`), and
//   subnet, security-group and image ids are derived from the selector terms,
//   so changing the terms changes them (drift).
//
// ASSUMPTIONS (no published figure; each is also noted where it is used):
// - Spot hazard: a type's monthly interruption band <5, 5–10, 10–15, 15–20,
//   >20 % reads as p = 2.5, 7.5, 12.5, 17.5, 25 % per 30 days (band midpoints;
//   25 % for the open band; an unknown band reads as 25 %). Interruptions are a
//   Poisson process per instance with rate λ = −ln(1 − p) / 30 days ×
//   spot_interruption_multiplier, so P(interrupted within 30 days) = p at
//   multiplier 1.
// - The rebalance recommendation comes U[0, 5 min) before the two-minute
//   warning, never before the launch.
// - Price-capacity-optimized: among overrides whose pool has spare capacity,
//   the "deep" pools are those with at least half the largest spare capacity
//   (rounded up); the cheapest deep pool wins (ties: more spare, then type
//   name, then zone). The others follow by price if it fails.
// - The 60-second minimum is charged from the launch on: an instance that has
//   run 10 s has accrued 60 s of cost. Billed time is rounded up to whole
//   seconds. Instance-hours and GPU-hours are the real running time.
//   Reservations cost nothing while unused (their upfront cost is not billed).
// - DescribeInstances by tag lists instances that are not terminated (AWS
//   keeps terminated ones visible for about an hour); by id, every instance.
// - Only EC2-initiated terminations (spot interruptions) post
//   kInstanceTerminated; terminations the controllers ask for do not.
// Thread-safety: none; a simulation runs on one thread.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/capacity.h"
#include "catalog/catalog.h"
#include "ports/cloud_provider.h"
#include "ports/interruption_queue.h"
#include "ports/random_stream.h"
#include "providers/aws/ec2_api.h"
#include "sim/event_queue.h"
#include "sim/scenario.h"

namespace adze::sim {

// Cost and usage accrued up to the time Bill() is called.
struct Ec2Bill {
  double total_usd = 0;
  std::map<std::string, double> usd_by_capacity_type;  // on-demand | spot | reserved
  double instance_hours = 0;
  std::map<std::string, double> instance_hours_by_capacity_type;
  // Instance-hours × the type's GPU count (catalog gpu_count).
  double gpu_hours = 0;
};

struct Ec2Counters {
  // CreateFleet calls, and those that launched nothing.
  uint64_t create_calls = 0;
  uint64_t insufficient_capacity_failures = 0;
  uint64_t launches = 0;
  std::map<std::string, uint64_t> launches_by_capacity_type;
  // InsufficientInstanceCapacity errors per override, and their total.
  std::map<ports::OfferingKey, uint64_t> insufficient_capacity_errors;
  uint64_t insufficient_capacity_errors_total = 0;
  // Every termination, EC2-initiated ones included.
  uint64_t terminations = 0;
  uint64_t rebalance_recommendations = 0;
  // Two-minute warnings sent.
  uint64_t spot_interruption_warnings = 0;
  // Spot instances EC2 terminated.
  uint64_t spot_interruptions = 0;
};

class SimulatedEc2 : public providers::aws::Ec2Api, public ports::InterruptionQueue {
 public:
  // The spot warning's notice (EC2 docs).
  static constexpr Duration kSpotNotice = 2 * kMinute;
  // Upper bound of the rebalance recommendation's lead over the warning (assumption).
  static constexpr Duration kRebalanceLeadMax = 5 * kMinute;
  static constexpr Duration kMinimumBilled = 60 * kSecond;
  // SQS's default visibility timeout.
  static constexpr Duration kVisibilityTimeout = 30 * kSecond;

  // base supplies the region and its zones (the subnets).
  // REQUIRES: catalog and events outlive this object. Events this object
  // scheduled on `events` become no-ops once it is destroyed.
  SimulatedEc2(const catalog::Catalog& catalog, const Ec2Options& options, catalog::CapacityOptions base,
               EventQueue& events, uint64_t seed);
  ~SimulatedEc2() override = default;
  SimulatedEc2(const SimulatedEc2&) = delete;
  SimulatedEc2& operator=(const SimulatedEc2&) = delete;

  // providers::aws::Ec2Api.
  providers::aws::Outcome<providers::aws::CreateLaunchTemplateResponse> CreateLaunchTemplate(
      const providers::aws::CreateLaunchTemplateRequest& request) override;
  void CreateFleet(const providers::aws::CreateFleetRequest& request, providers::aws::CreateFleetDone done) override;
  providers::aws::Outcome<providers::aws::DescribeInstancesResponse> DescribeInstances(
      const providers::aws::DescribeInstancesRequest& request) const override;
  // Frees the pool (or reservation) slot and stops billing. Unknown ids:
  // InvalidInstanceID.NotFound; terminated ones succeed again, as on AWS.
  providers::aws::Outcome<providers::aws::TerminateInstancesResponse> TerminateInstances(
      const providers::aws::TerminateInstancesRequest& request) override;
  providers::aws::Outcome<std::monostate> CreateTags(const providers::aws::CreateTagsRequest& request) override;
  providers::aws::Outcome<providers::aws::DescribeInstanceTypesResponse> DescribeInstanceTypes() const override;
  providers::aws::Outcome<providers::aws::DescribeInstanceTypeOfferingsResponse> DescribeInstanceTypeOfferings()
      const override;
  providers::aws::Outcome<providers::aws::DescribeSpotPriceHistoryResponse> DescribeSpotPriceHistory() const override;
  providers::aws::Outcome<providers::aws::GetOnDemandPricesResponse> GetOnDemandPrices() const override;
  providers::aws::Outcome<providers::aws::DescribeCapacityReservationsResponse> DescribeCapacityReservations()
      const override;
  providers::aws::Outcome<providers::aws::DescribeSubnetsResponse> DescribeSubnets(
      const providers::aws::SelectorTerms& terms) const override;
  providers::aws::Outcome<providers::aws::DescribeSecurityGroupsResponse> DescribeSecurityGroups(
      const providers::aws::SelectorTerms& terms) const override;
  providers::aws::Outcome<providers::aws::DescribeImagesResponse> DescribeImages(
      const providers::aws::DescribeImagesRequest& request) const override;
  providers::aws::Outcome<providers::aws::GetParameterResponse> GetParameter(const std::string& name) const override;

  // ports::InterruptionQueue (SQS): up to max_messages visible messages,
  // oldest first, each then invisible for kVisibilityTimeout. Never waits.
  Result<std::vector<ports::InterruptionMessage>> Receive(int max_messages, Duration max_wait) override;
  // kNotFound for an unknown (or outdated) receipt handle.
  Status Delete(const std::string& receipt_handle) override;

  // Instances running in the pool, and its size.
  int32_t PoolUsed(const ports::OfferingKey& key) const;
  int32_t PoolSize(const ports::OfferingKey& key) const;
  // How many more instances the reservation can launch; nullopt when unknown.
  std::optional<int32_t> ReservationRemaining(const std::string& reservation_id) const;
  // Messages in the queue, visible or not.
  size_t queued_messages() const { return messages_.size(); }

  Ec2Bill Bill() const;
  const Ec2Counters& counters() const { return counters_; }

  // Interrupts a running spot instance now, as AWS FIS's
  // send-spot-instance-interruptions does: the rebalance recommendation and
  // the two-minute warning are posted now, the instance terminates
  // kSpotNotice later. kNotFound: unknown instance; kInvalidArgument: not
  // a running spot instance. (Used by the twin's fault controls.)
  Status InterruptSpotInstance(const std::string& instance_id);
  // Every instance launched so far, terminated ones included, in id order.
  std::vector<providers::aws::Ec2Instance> AllInstances() const;

 private:
  struct PoolState {
    int32_t size = 0;
    int32_t used = 0;
  };
  struct ReservationState {
    CapacityReservation spec;
    int32_t used = 0;
  };
  struct InstanceRecord {
    uint64_t seq = 0;
    providers::aws::Ec2Instance instance;
    std::string capacity_type;  // on-demand | spot | reserved
    double price_per_hour = 0;
    int32_t gpus = 0;
    Duration terminated_at = 0;
  };
  struct QueuedMessage {
    ports::InterruptionMessage message;  // receipt_handle set on each receive
    Duration visible_at = 0;
  };

  PoolState& Pool(const ports::OfferingKey& key);
  int32_t ConfiguredPoolSize(const ports::OfferingKey& key) const;
  // The price EC2 charges for the offering; nullopt when it has none.
  std::optional<double> Price(const std::string& instance_type, const std::string& capacity_type) const;
  providers::aws::CreateFleetResponse Fulfil(const providers::aws::CreateFleetRequest& request);
  std::string Launch(const providers::aws::CreateFleetRequest& request, const providers::aws::FleetOverride& ov,
                     const std::string& capacity_type);
  void Terminate(InstanceRecord& record);
  void ScheduleSpotInterruption(uint64_t seq);
  // The warning now and the termination kSpotNotice later.
  void WarnAndTerminate(uint64_t seq);
  void Post(ports::InterruptionMessage::Kind kind, const std::string& instance_id);
  InstanceRecord* FindRunning(uint64_t seq);
  std::vector<catalog::Zone> RegionZones() const;

  const catalog::Catalog& catalog_;
  Ec2Options options_;
  catalog::CapacityOptions base_;
  EventQueue& events_;
  uint64_t seed_;
  // Scheduled events hold a weak_ptr to it and do nothing once it expires.
  std::shared_ptr<bool> alive_;

  std::map<ports::OfferingKey, PoolState> pools_;
  std::map<std::string, ReservationState> reservations_;  // by id
  std::map<std::string, providers::aws::CreateLaunchTemplateRequest> launch_templates_;  // by name
  std::map<std::string, ports::RandomStream> spot_streams_;  // "ec2/spot/<type>/<zone>"

  uint64_t next_instance_ = 1;
  uint64_t next_fleet_ = 1;
  std::map<uint64_t, InstanceRecord> instances_;  // by sequence number (id order)
  std::map<std::string, uint64_t, std::less<>> by_id_;
  std::set<uint64_t> running_;

  // Billing of terminated instances, closed when they terminate.
  Ec2Bill closed_;
  Ec2Counters counters_;
  std::deque<QueuedMessage> messages_;  // oldest first
  uint64_t next_receipt_ = 1;
};

}  // namespace adze::sim
