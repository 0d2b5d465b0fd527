// CloudProvider: what the controllers may ask of the cloud (DESIGN.md, "the
// three interfaces"). The simulator implements it with simulated EC2; the AWS
// adapter with the EC2 API. Controllers never see which.
// Thread-safety: implementations say; controllers call from one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/instance_type.h"
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

class CloudProvider {
 public:
  virtual ~CloudProvider() = default;

  // Launches one instance for the claim (spec §3.2–3.4): the claim's
  // requirements (node.kubernetes.io/instance-type, zone, capacity type)
  // and resources.requests select the overrides; EC2 Fleet picks one.
  // Errors: kInsufficientCapacity when no override had capacity (each failed
  // override is then unavailable for the ICE TTL); kInvalidArgument when the
  // claim names no launchable type.
  virtual Result<Instance> Create(const model::NodeClaim& claim) = 0;

  // Terminates the instance. kNotFound when there is no such instance.
  virtual Status Delete(const std::string& provider_id) = 0;

  virtual std::optional<Instance> Get(const std::string& provider_id) const = 0;
  // Instances that are not terminated, ordered by id.
  virtual std::vector<Instance> List() const = 0;

  // The instance types the pool may launch, resolved under its EC2NodeClass,
  // with every offering (unavailable ones marked, not removed).
  virtual Result<std::vector<catalog::InstanceType>> GetInstanceTypes(const model::NodePool& pool) = 0;

  // Marks an offering unavailable for the ICE TTL (3 min), as a spot
  // interruption warning does (spec §3.5, §7).
  virtual void MarkUnavailable(const OfferingKey& key) = 0;

  // Why the claim no longer matches its NodeClass (AMI, subnets, security
  // groups, block devices), or nullopt.
  virtual std::optional<std::string> IsDrifted(const model::NodeClaim& claim) const = 0;
};

}  // namespace adze::ports
