// SimulatedEc2: EC2 as the simulator models it, behind ports::CloudProvider
// and ports::InterruptionQueue (DESIGN.md "The simulator", spec §3 and §7,
// data/sim-calibration.md "Spot").
//
// - Instance types come from the catalog, resolved once per EC2NodeClass and
//   cached; each GetInstanceTypes call only patches offering availability
//   (the insufficient-capacity cache, empty pools, reservation counts).
// - Create is an instant CreateFleet with one instance of target capacity:
//   the claim's types × zones become overrides, the capacity type is the
//   first of reserved, spot, on-demand the claim allows with an available
//   offering, and the allocation strategy picks the override (spot:
//   price-capacity-optimized, on-demand and reserved: lowest-price).
// - Capacity pools are finite, one per instance type × zone × capacity type
//   (Ec2Options). A full pool fails its override with
//   InsufficientInstanceCapacity, which puts the offering in the 3-minute
//   unavailable-offering cache (spec §3.5) and lets the fleet try the next.
// - Capacity reservations (Ec2Options::reservations) yield `reserved`
//   offerings priced at on-demand / 10,000,000 (spec §3.1) that launch at most
//   `count` instances at once.
// - Billing is per second with a 60-second minimum per instance.
// - Spot instances draw an interruption time from the Spot Advisor band of
//   their type; EC2 then posts a rebalance recommendation, the two-minute
//   warning and the termination to the interruption queue and terminates the
//   instance.
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
// - A pool of size 0 is known to be empty: its offering is unavailable in
//   GetInstanceTypes. A pool that is merely full stays available there
//   (Karpenter learns of it from the InsufficientInstanceCapacity error)
//   unless SetRevealFullPools(true).
// - Reservations are offered to every EC2NodeClass without
//   capacityReservationSelectorTerms; a class with terms gets those whose id a
//   term names, and every reservation when a term has no id (scenario
//   reservations carry no tags to match).
// - Offering zones are the base CapacityOptions zones; subnet selector terms
//   are not resolved to zones.
// - Image ids are derived from the amiSelectorTerms (a term's id when given,
//   otherwise a hash), so changing the terms changes the image (AMIDrift).
// - Only EC2-initiated terminations (spot interruptions) post
//   kInstanceTerminated; terminations the controllers ask for do not.
// Thread-safety: none; a simulation runs on one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/capacity.h"
#include "catalog/instance_type.h"
#include "model/ec2nodeclass.h"
#include "ports/cloud_provider.h"
#include "ports/interruption_queue.h"
#include "ports/random_stream.h"
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
  uint64_t create_calls = 0;
  uint64_t launches = 0;
  std::map<std::string, uint64_t> launches_by_capacity_type;
  // Create calls that returned kInsufficientCapacity.
  uint64_t insufficient_capacity_failures = 0;
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
  // Times a node class's instance types were resolved from the catalog (once
  // per class, again after UpdateNodeClass).
  uint64_t type_resolutions = 0;
};

class SimulatedEc2 : public ports::CloudProvider, public ports::InterruptionQueue {
 public:
  // The ICE cache TTL (spec §3.5) and the spot warning's notice (EC2 docs).
  static constexpr Duration kUnavailableTtl = 3 * kMinute;
  static constexpr Duration kSpotNotice = 2 * kMinute;
  // Upper bound of the rebalance recommendation's lead over the warning (assumption).
  static constexpr Duration kRebalanceLeadMax = 5 * kMinute;
  static constexpr Duration kMinimumBilled = 60 * kSecond;
  // Karpenter's cap on the types in one CreateFleet call (spec §3.2 step 5).
  static constexpr size_t kMaxFleetTypes = 60;

  // base supplies region, zones and prefix delegation for every node class.
  // REQUIRES: catalog and events outlive this object. Events this object
  // scheduled on `events` become no-ops once it is destroyed.
  SimulatedEc2(const catalog::Catalog& catalog, const Ec2Options& options,
               std::vector<model::EC2NodeClass> node_classes, catalog::CapacityOptions base,
               EventQueue& events, uint64_t seed);
  ~SimulatedEc2() override = default;
  SimulatedEc2(const SimulatedEc2&) = delete;
  SimulatedEc2& operator=(const SimulatedEc2&) = delete;

  // ports::CloudProvider.
  // kNotFound when the claim's node class is unknown; kInvalidArgument when
  // the claim names no type the node class can launch; kInsufficientCapacity
  // when no override had capacity (or none was available), naming the
  // offerings tried.
  Result<ports::Instance> Create(const model::NodeClaim& claim) override;
  // Terminates the instance, frees its pool (or reservation) slot and stops
  // its billing. kNotFound when unknown or already terminated.
  Status Delete(const std::string& provider_id) override;
  // Terminated instances too (terminated = true).
  std::optional<ports::Instance> Get(const std::string& provider_id) const override;
  std::vector<ports::Instance> List() const override;
  // The node class's types that the pool's requirements and template labels
  // allow (ignoring zone, zone-id and capacity type, which depend on the
  // offerings), sorted by name, every offering listed. Karpenter filters the
  // same way when it builds the pool's claim template; filtering here keeps
  // the copy small. kNotFound when the pool's node class is unknown.
  Result<std::vector<catalog::InstanceType>> GetInstanceTypes(const model::NodePool& pool) override;
  void MarkUnavailable(const ports::OfferingKey& key) override;
  // AMIDrift, SubnetDrift, SecurityGroupDrift or NodeClassDrift (the static
  // hash: the spec minus selector terms), comparing what the instance was
  // launched with against the node class now. nullopt for unknown claims.
  std::optional<std::string> IsDrifted(const model::NodeClaim& claim) const override;

  // ports::InterruptionQueue: every message since the last call, oldest first.
  std::vector<ports::InterruptionMessage> Receive() override;

  // Replaces (or adds) the node class of that name. Later launches use it and
  // earlier instances may now be drifted. Drops its resolved types.
  void UpdateNodeClass(const model::EC2NodeClass& node_class);

  // True while the offering is in the unavailable-offering cache.
  bool IsUnavailable(const ports::OfferingKey& key) const;
  // Instances running in the pool, and its size.
  int32_t PoolUsed(const ports::OfferingKey& key) const;
  int32_t PoolSize(const ports::OfferingKey& key) const;
  // How many more instances the reservation can launch; nullopt when unknown.
  std::optional<int32_t> ReservationRemaining(const std::string& reservation_id) const;
  // When true, GetInstanceTypes also marks offerings of full pools unavailable.
  // Default false.
  void SetRevealFullPools(bool reveal) { reveal_full_pools_ = reveal; }

  Ec2Bill Bill() const;
  const Ec2Counters& counters() const { return counters_; }

 private:
  struct PoolState {
    int32_t size = 0;
    int32_t used = 0;
    Duration unavailable_until = 0;  // in the ICE cache while > now
  };
  struct ReservationState {
    CapacityReservation spec;
    int32_t used = 0;
  };
  // What an offering's availability depends on.
  struct OfferingSource {
    bool base_available = false;  // priced, in an allowed zone
    PoolState* pool = nullptr;    // spot and on-demand
    ReservationState* reservation = nullptr;
  };
  struct TypeCache {
    uint64_t resolution = 0;  // counters_.type_resolutions when built
    std::vector<catalog::InstanceType> types;       // sorted by name
    std::vector<std::vector<OfferingSource>> sources;  // parallel to types[i].offerings
  };
  // The types a pool's requirements allow, by index into its TypeCache.
  struct PoolFilter {
    std::string node_class;
    uint64_t resolution = 0;
    std::vector<model::Requirement> requirements;
    model::Labels template_labels;
    std::vector<size_t> types;
  };
  struct DriftHashes {
    std::string image_id;
    uint64_t subnets = 0;
    uint64_t security_groups = 0;
    uint64_t spec = 0;
  };
  struct InstanceRecord {
    uint64_t seq = 0;
    ports::Instance instance;
    std::string node_class;
    DriftHashes hashes;
    int32_t gpus = 0;
    Duration terminated_at = 0;
  };

  const model::EC2NodeClass* FindNodeClass(const std::string& name) const;
  // The resolved types of the node class with availability patched to now;
  // nullptr when the class is unknown.
  TypeCache* Types(const std::string& node_class);
  void Patch(TypeCache& cache);
  PoolState& Pool(const ports::OfferingKey& key);
  int32_t ConfiguredPoolSize(const ports::OfferingKey& key) const;
  bool InIceCache(const PoolState& pool) const;
  ports::Instance Launch(const model::NodeClaim& claim, const catalog::InstanceType& type,
                         const catalog::Offering& offering, const model::EC2NodeClass& node_class);
  void Terminate(InstanceRecord& record);
  void ScheduleSpotInterruption(uint64_t seq, const catalog::InstanceType& type);
  void Post(ports::InterruptionMessage::Kind kind, const std::string& instance_id);
  InstanceRecord* FindRunning(uint64_t seq);

  const catalog::Catalog& catalog_;
  Ec2Options options_;
  std::map<std::string, model::EC2NodeClass> node_classes_;
  catalog::CapacityOptions base_;
  EventQueue& events_;
  uint64_t seed_;
  bool reveal_full_pools_ = false;
  // Scheduled events hold a weak_ptr to it and do nothing once it expires.
  std::shared_ptr<bool> alive_;

  std::map<std::string, TypeCache> type_caches_;  // by node class name
  std::map<std::string, PoolFilter> pool_filters_;  // by NodePool name
  std::map<ports::OfferingKey, PoolState> pools_;  // stable addresses
  std::map<std::string, ReservationState> reservations_;  // by id
  std::map<std::string, ports::RandomStream> spot_streams_;  // "ec2/spot/<type>/<zone>"

  uint64_t next_instance_ = 1;
  std::map<uint64_t, InstanceRecord> instances_;  // by sequence number (id order)
  std::map<std::string, uint64_t, std::less<>> by_provider_id_;
  std::set<uint64_t> running_;

  // Billing of terminated instances, closed when they terminate.
  Ec2Bill closed_;
  Ec2Counters counters_;
  std::vector<ports::InterruptionMessage> messages_;
};

}  // namespace adze::sim
