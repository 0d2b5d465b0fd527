// InstanceType: an EC2 instance type as the scheduler sees it under one
// EC2NodeClass — its label requirements, capacity, overhead and offerings
// (zone × capacity type × price × availability) — following Karpenter's AWS
// provider (spec §1.4, §3.1, §4).
// Thread-safety: value types and a pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/capacity.h"
#include "catalog/catalog.h"
#include "catalog/instance_type_info.h"
#include "model/ec2nodeclass.h"
#include "model/requirements.h"
#include "model/resource_list.h"

namespace adze::catalog {

// One (zone, capacity type) a type can be launched in (spec §3.1). Unavailable
// offerings are still listed.
struct Offering {
  std::string zone;           // us-east-1a
  std::string zone_id;        // use1-az2
  std::string capacity_type;  // "spot" | "on-demand" | "reserved"
  // USD per hour; 0 when no price is known (and then available is false).
  double price_per_hour = 0;
  // Priced, in an allowed zone of the region.
  bool available = false;
  // Reserved offerings only: the capacity reservation and how many more
  // instances it can launch (spec §2.10, §3.1).
  std::string reservation_id;
  int32_t reservation_count = 0;
  friend bool operator==(const Offering&, const Offering&) = default;
};

struct InstanceType {
  std::string name;
  // One requirement per well-known label. Keys with a value are In{value};
  // AWS keys the type has no value for (GPU, accelerator, local NVMe,
  // hypervisor on metal, ...) are DoesNotExist, as upstream, so a pod that
  // requires them to exist does not match. Zone, zone-id and capacity-type
  // list the values of the available offerings.
  model::Requirements requirements;
  model::ResourceList capacity;
  model::ResourceList kube_reserved;
  model::ResourceList system_reserved;
  model::ResourceList eviction_threshold;
  // kube_reserved + system_reserved + eviction_threshold.
  model::ResourceList overhead;
  // Sorted by zone, then capacity type (on-demand before spot).
  std::vector<Offering> offerings;
  // The catalog row. Points into the Catalog, which must outlive this value.
  const InstanceTypeInfo* info = nullptr;
  // Network pod limits of the default card (after reserved ENIs), whatever the
  // NodeClass says: secondary-IP mode and prefix-delegation mode.
  int32_t max_pods_secondary_ip = 0;
  int32_t max_pods_prefix_delegation = 0;

  // capacity − overhead for every capacity entry, floored at zero.
  model::ResourceList Allocatable() const;
  // Cheapest available offering of the capacity type ("spot", "on-demand"; empty
  // = any); nullopt when there is none.
  std::optional<double> CheapestPrice(std::string_view capacity_type = {}) const;
  // True when some offering of the capacity type (empty = any) is available.
  bool HasAvailableOffering(std::string_view capacity_type = {}) const;
  // True when the capacity holds GPUs (NVIDIA, AMD), Gaudi or Neuron devices.
  bool HasAccelerators() const;
};

// Resolves one catalog row under node_class and options (retired or not).
InstanceType ResolveInstanceType(const InstanceTypeInfo& info, const model::EC2NodeClass& node_class,
                                 const CapacityOptions& options);

// Resolves every type of the catalog, sorted by name; retired types only with
// options.include_retired. Offerings: per zone of the type in options.region
// (narrowed to options.zones when given) an on-demand offering, available when
// the type has an on-demand price, and a spot offering priced
// od × (1 − spot_savings_pct / 100), available when both are known.
// The result points into catalog (InstanceType::info).
std::vector<InstanceType> ResolveInstanceTypes(const Catalog& catalog, const model::EC2NodeClass& node_class,
                                               const CapacityOptions& options);

}  // namespace adze::catalog
