// CloudProvider: what the controllers may ask of the cloud (DESIGN.md, "the
// three interfaces"). providers/aws implements it over an Ec2Api, which the
// simulator (sim/ec2) or the AWS adapter provides. Controllers never see which.
// Thread-safety: implementations say; controllers call from one thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "catalog/instance_types.h"
#include "model/duration.h"
#include "model/nodeclaim.h"
#include "model/nodepool.h"
#include "model/result.h"

namespace adze::ports {

// The key of the unavailable-offering (insufficient capacity) cache, spec §3.5.
struct OfferingKey {
  std::string capacity_type;
  std::string instance_type;
  std::string zone;
  friend bool operator==(const OfferingKey&, const OfferingKey&) = default;
  friend auto operator<=>(const OfferingKey&, const OfferingKey&) = default;
};

struct Instance {
  std::string id;           // i-0000000000000001
  std::string provider_id;  // aws:///<zone>/<id>
  std::string instance_type;
  std::string zone;
  std::string capacity_type;  // on-demand | spot | reserved
  std::string reservation_id;
  std::string image_id;
  double price_per_hour = 0;
  model::Duration launched_at = 0;
  std::string node_claim;  // the claim it was launched for (a tag on EC2)
  std::string node_pool;
  bool terminated = false;
};

// Called exactly once, later (never from inside Create), on the thread that runs the controllers.
using LaunchDone = std::function<void(Result<Instance>)>;

class CloudProvider {
 public:
  virtual ~CloudProvider() = default;

  // Starts launching one instance for the claim (spec §3.2–3.4) and returns
  // at once: the claim's requirements (node.kubernetes.io/instance-type,
  // zone, capacity type) and resources.requests select the overrides; EC2
  // Fleet picks one. `done` gets the instance or an error: kInsufficientCapacity
  // when no override had capacity (each failed override is then unavailable
  // for the ICE TTL); kInvalidArgument when the claim names no launchable
  // type; kDeadlineExceeded when the launch did not complete by `deadline`
  // (an absolute Clock::Now()-based time); kThrottled, kUnavailable, ... as
  // the cloud answered.
  virtual void Create(const model::NodeClaim& claim, model::Duration deadline, LaunchDone done) = 0;

  // Terminates the instance. kNotFound when there is no such instance.
  virtual Status Delete(const std::string& provider_id) = 0;

  virtual std::optional<Instance> Get(const std::string& provider_id) const = 0;
  // Instances that are not terminated, ordered by id.
  virtual std::vector<Instance> List() const = 0;

  // The instance types the pool may launch, resolved under its EC2NodeClass,
  // with every offering (unavailable ones marked, not removed).
  // The list is shared and immutable: a later call may return a new one.
  virtual Result<catalog::InstanceTypes> GetInstanceTypes(const model::NodePool& pool) = 0;

  // Marks an offering unavailable for the ICE TTL (3 min), as a spot
  // interruption warning does (spec §3.5, §7).
  virtual void MarkUnavailable(const OfferingKey& key) = 0;

  // Why the claim no longer matches its NodeClass (AMI, subnets, security
  // groups, block devices), or nullopt.
  virtual std::optional<std::string> IsDrifted(const model::NodeClaim& claim) const = 0;
};

}  // namespace adze::ports
