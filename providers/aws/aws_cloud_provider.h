// AwsCloudProvider: ports::CloudProvider for AWS — Karpenter's AWS provider
// logic over the narrow Ec2Api (spec §3, DESIGN.md "providers/"). It is the
// same whether Ec2Api is the simulator or the real EC2.
//
// - Instance types are resolved once per EC2NodeClass (DescribeInstanceTypes,
//   DescribeInstanceTypeOfferings, DescribeSpotPriceHistory, Pricing,
//   DescribeCapacityReservations, DescribeSubnets) with the catalog's
//   allocatable and max-pods rules (catalog::ResolveInstanceType) and cached;
//   each call then only patches offering availability (the unavailable-
//   offering cache, reservation counts). An on-demand offering exists where
//   DescribeInstanceTypeOfferings lists the type in the zone and Pricing
//   prices it; a spot offering where the spot price history has a price; a
//   zone without a subnet of the node class has no available offering.
// - Create runs the §3.2 launch filters (fits, exotic filter, spot not dearer
//   than on-demand, cheapest 60), chooses the capacity type (§3.3: first of
//   reserved, spot, on-demand with an available offering), turns every
//   remaining (type, zone) of that capacity type into a Fleet override
//   (§3.4: Priority = price, SubnetId = the zone's subnet with most free IPs,
//   one reservation per type and zone — the one with most capacity left) and
//   sends one instant CreateFleet (spot: price-capacity-optimized; on-demand
//   and reserved: lowest-price). Per-override ICE-class errors put the
//   offering in the unavailable-offering cache for 3 min (re-marking
//   extends); no instance and only ICE-class errors → kInsufficientCapacity.
// - Launch templates are created lazily, one per (node class static hash,
//   image), named karpenter.k8s.aws/<hash>.
// - Images: alias and ssmParameter terms through SSM GetParameter, the others
//   through DescribeImages; the newest image launches, and an instance whose
//   image is none of the node class's images now has AMIDrift.
// - Drift (spec §6.5), in Karpenter's order: the static hash (tagged on the
//   instance at launch) → NodeClassDrift; image → AMIDrift; security groups →
//   SecurityGroupDrift; subnet → SubnetDrift. The node class side is read
//   fresh on every call; an instance is described once per
//   `instance_refresh` (5 min), since its image and subnet never change and
//   a disruption pass asks about every node every 10 s.
// - GetInstanceTypes hands every caller the same shared list until an
//   offering's availability (or a reservation count) changes.
//
// ASSUMPTIONS / simplifications: type, offering and price answers are read
// once per node class resolution (Karpenter refreshes them every 5 min / 12 h);
// reservations are re-read on every availability patch; a node class with
// capacityReservationSelectorTerms selects the reservations whose id a term
// names, and every reservation when a term has no id; identical CreateFleet
// requests are not coalesced (spec §3.4 batching).
// Thread-safety: none; call from the thread that runs the controllers (the
// Ec2Api calls its CreateFleet callbacks there).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/capacity.h"
#include "catalog/instance_type.h"
#include "model/ec2nodeclass.h"
#include "ports/clock.h"
#include "ports/cloud_provider.h"
#include "providers/aws/ec2_api.h"

namespace adze::providers::aws {

struct AwsProviderOptions {
  // The unavailable-offering (ICE) cache TTL, spec §3.5. Default 3 min.
  model::Duration unavailable_ttl = 3 * model::kMinute;
  // Karpenter's cap on the types in one CreateFleet call (spec §3.2 step 5). Default 60.
  size_t max_fleet_types = 60;
  // kubernetes.io/cluster/<name>=owned on every instance. Default "adze".
  std::string cluster_name = "adze";
  // How long what an instance was launched with (image, subnet, groups,
  // node-class tags) is trusted before IsDrifted describes it again. The
  // node class side is always current. Default 5 min.
  model::Duration instance_refresh = 5 * model::kMinute;
};

// What the provider itself counted.
struct AwsProviderCounters {
  uint64_t create_calls = 0;
  // Create calls that ended kInsufficientCapacity.
  uint64_t insufficient_capacity_failures = 0;
  // Times a node class's instance types were resolved (once per class, again
  // after UpdateNodeClass).
  uint64_t type_resolutions = 0;
  uint64_t create_fleet_calls = 0;
  uint64_t launch_templates_created = 0;
};

class AwsCloudProvider : public ports::CloudProvider {
 public:
  // Runs a task later on the controllers' thread (never inside the call that
  // posts it): how Create reports failures found before any CreateFleet.
  using Post = std::function<void(std::function<void()>)>;

  // base supplies region, zones and prefix delegation for every node class.
  // REQUIRES: ec2 and clock outlive this object. CreateFleet callbacks that
  // arrive after it is destroyed do nothing.
  AwsCloudProvider(Ec2Api& ec2, const ports::Clock& clock, Post post, std::vector<model::EC2NodeClass> node_classes,
                   catalog::CapacityOptions base, AwsProviderOptions options = {});
  ~AwsCloudProvider() override = default;
  AwsCloudProvider(const AwsCloudProvider&) = delete;
  AwsCloudProvider& operator=(const AwsCloudProvider&) = delete;

  // ports::CloudProvider. Errors passed to done: kNotFound (unknown node
  // class), kInvalidArgument (no type the node class can launch),
  // kInsufficientCapacity, kDeadlineExceeded (the fleet answered after the
  // deadline; an instance it launched is terminated), or the mapped AWS error.
  void Create(const model::NodeClaim& claim, model::Duration deadline, ports::LaunchDone done) override;
  // kNotFound when unknown or already terminated.
  Status Delete(const std::string& provider_id) override;
  // Terminated instances too (terminated = true).
  std::optional<ports::Instance> Get(const std::string& provider_id) const override;
  // Instances tagged for this cluster that are not terminated, by id.
  std::vector<ports::Instance> List() const override;
  // The node class's types that the pool's requirements and template labels
  // allow (ignoring zone, zone-id and capacity type, which depend on the
  // offerings), sorted by name, every offering listed. kNotFound when the
  // pool's node class is unknown.
  Result<catalog::InstanceTypes> GetInstanceTypes(const model::NodePool& pool) override;
  void MarkUnavailable(const ports::OfferingKey& key) override;
  // nullopt for unknown or terminated instances and unknown node classes.
  std::optional<std::string> IsDrifted(const model::NodeClaim& claim) const override;

  // Replaces (or adds) the node class of that name; drops what was resolved for it.
  void UpdateNodeClass(const model::EC2NodeClass& node_class);
  // True while the offering is in the unavailable-offering cache.
  bool IsUnavailable(const ports::OfferingKey& key) const;
  const AwsProviderCounters& counters() const { return counters_; }

 private:
  struct OfferingSource {
    bool base_available = false;  // offered, priced, zone has a subnet
    std::string reservation_id;   // reserved offerings
  };
  struct TypeCache {
    uint64_t resolution = 0;
    uint64_t availability = 0;  // bumped whenever Patch changes an offering
    // The ICE cache as of the last patch: its change count, and the first
    // expiry after that patch (availability cannot move before either changes).
    uint64_t patched_at_ice_change = ~uint64_t{0};
    model::Duration patch_valid_until = 0;
    std::vector<catalog::InstanceType> types;          // sorted by name
    std::vector<std::vector<OfferingSource>> sources;  // parallel to types[i].offerings
    std::map<std::string, int32_t> reservation_remaining;  // by id, this class's reservations
  };
  struct PoolFilter {
    std::string node_class;
    uint64_t resolution = 0;
    std::vector<model::Requirement> requirements;
    model::Labels template_labels;
    std::vector<size_t> types;
    // The answer last handed out, and the availability it was built at.
    catalog::InstanceTypes answer;
    uint64_t availability = ~uint64_t{0};
  };
  // What drift compares of one instance, as last described.
  struct DriftFacts {
    model::Duration read_at = 0;
    bool gone = false;  // shutting-down or terminated
    std::optional<std::string> node_class, node_class_hash;  // its tags
    std::string image_id, subnet_id;
    std::vector<std::string> security_group_ids;  // sorted
    // IsDrifted's answer, while views_generation_ is still this (a disruption
    // pass asks about every node; the answer changes only with the facts or a view).
    uint64_t verdict_generation = 0;
    std::optional<std::string> verdict;
  };
  // What a node class resolves to in EC2 now (images, subnets, groups).
  struct NodeClassView {
    std::vector<std::string> image_ids;  // newest first
    std::map<std::string, std::string> subnet_by_zone;  // most free IPs
    std::set<std::string> subnet_ids;
    std::vector<std::string> security_group_ids;  // sorted
    uint64_t static_hash = 0;
    std::string static_hash_tag;  // its decimal form, the instance tag
  };
  struct Catalog {  // the answers that do not depend on a node class
    std::shared_ptr<const std::vector<catalog::InstanceTypeInfo>> infos;
    std::set<std::pair<std::string, std::string>> offered;  // (type, zone)
    std::map<std::pair<std::string, std::string>, double> spot_prices;
    std::map<std::string, double> od_prices;
  };

  const model::EC2NodeClass* FindNodeClass(const std::string& name) const;
  Result<const Catalog*> LoadCatalog();
  Result<const NodeClassView*> View(const std::string& node_class) const;
  // The resolved types of the node class with availability patched to now.
  Result<TypeCache*> Types(const std::string& node_class);
  void Patch(TypeCache& cache);
  bool InIceCache(const ports::OfferingKey& key) const;
  // The instance's drift facts, described again once older than
  // options_.instance_refresh; nullptr when EC2 does not know it.
  DriftFacts* FactsOf(const std::string& provider_id) const;
  // The first drift of the instance from its node class's view, if any.
  static std::optional<std::string> Drift(const DriftFacts& facts, const NodeClassView& view);
  Result<std::string> LaunchTemplate(const model::EC2NodeClass& nc, const NodeClassView& view);
  void Fail(ports::LaunchDone done, Error error);
  void OnFleet(const std::string& claim, const std::string& capacity_type, model::Duration deadline,
               const std::vector<std::pair<FleetOverride, double>>& prices, const Tags& tags,
               Outcome<CreateFleetResponse> outcome, const ports::LaunchDone& done);
  ports::Instance ToInstance(Ec2Instance i) const;

  Ec2Api& ec2_;
  const ports::Clock& clock_;
  Post post_;
  std::map<std::string, model::EC2NodeClass> node_classes_;
  catalog::CapacityOptions base_;
  AwsProviderOptions options_;
  // CreateFleet callbacks hold a weak_ptr to it and do nothing once it expires.
  std::shared_ptr<bool> alive_;

  std::optional<Catalog> catalog_;
  std::map<std::string, TypeCache> type_caches_;  // by node class
  std::map<std::string, PoolFilter> pool_filters_;  // by NodePool
  mutable std::map<std::string, NodeClassView> views_;  // by node class; a cache
  uint64_t views_generation_ = 1;  // bumped whenever a view is dropped
  // By provider id: one DescribeInstances per instance per refresh, not one
  // per disruption pass (a pass asks about every node).
  mutable std::unordered_map<std::string, DriftFacts> drift_facts_;
  mutable model::Duration next_facts_prune_ = 0;
  std::map<ports::OfferingKey, model::Duration> unavailable_until_;
  uint64_t ice_changes_ = 0;  // entries added or extended
  std::set<std::string> launch_templates_;
  std::map<std::string, double> price_by_instance_;  // what each launch cost per hour
  AwsProviderCounters counters_;
};

}  // namespace adze::providers::aws
