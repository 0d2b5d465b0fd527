#include "catalog/instance_type.h"

#include <algorithm>
#include <set>

#include "model/labels.h"

namespace adze::catalog {
namespace {

using model::AmiFamily;
using model::Requirement;
namespace label = model::label;

bool InRegion(std::string_view zone, std::string_view region) {
  // us-east-1a is in us-east-1; us-east-10a would not be.
  return zone.size() > region.size() && zone.substr(0, region.size()) == region &&
         !(zone[region.size()] >= '0' && zone[region.size()] <= '9');
}

bool ZoneAllowed(const TypeZone& z, const CapacityOptions& options) {
  if (!InRegion(z.zone, options.region)) return false;
  if (options.zones.empty()) return true;
  return std::any_of(options.zones.begin(), options.zones.end(),
                     [&](const std::string& allowed) { return allowed == z.zone || allowed == z.zone_id; });
}

std::vector<Offering> MakeOfferings(const InstanceTypeInfo& info, const CapacityOptions& options) {
  std::vector<Offering> out;
  const std::optional<double> od = info.od_price_usd_hr;
  std::optional<double> spot;
  if (od && info.spot_savings_pct) spot = *od * (1 - *info.spot_savings_pct / 100);
  for (const TypeZone& z : info.zones) {
    if (!ZoneAllowed(z, options)) continue;
    out.push_back(Offering{z.zone, z.zone_id, std::string(label::kCapacityTypeOnDemand), od.value_or(0), od.has_value(), "", 0});
    out.push_back(Offering{z.zone, z.zone_id, std::string(label::kCapacityTypeSpot), spot.value_or(0), spot.has_value(), "", 0});
  }
  return out;
}

// Windows Server build numbers for node.kubernetes.io/windows-build (Microsoft's
// release information: 2019 = 10.0.17763, 2022 = 10.0.20348, 2025 = 10.0.26100).
std::string_view WindowsBuild(AmiFamily f) {
  switch (f) {
    case AmiFamily::kWindows2019: return "10.0.17763";
    case AmiFamily::kWindows2022: return "10.0.20348";
    case AmiFamily::kWindows2025: return "10.0.26100";
    default: return "";
  }
}

void InOrAbsent(model::Requirements& reqs, std::string_view key, const std::string& value, bool present) {
  if (present) {
    reqs.Add(Requirement::In(std::string(key), {value}));
  } else {
    reqs.Add(Requirement::DoesNotExist(std::string(key)));
  }
}

model::Requirements MakeRequirements(const InstanceTypeInfo& info, const std::vector<Offering>& offerings,
                                     AmiFamily family, const CapacityOptions& options) {
  std::set<std::string> zones, zone_ids, capacity_types;
  for (const Offering& o : offerings) {
    if (!o.available) continue;
    zones.insert(o.zone);
    zone_ids.insert(o.zone_id);
    capacity_types.insert(o.capacity_type);
  }
  model::Requirements r;
  r.Add(Requirement::In(std::string(label::kInstanceType), {info.instance_type}));
  r.Add(Requirement::In(std::string(label::kArch), {info.arch}));
  // Windows AMIs exist for amd64 only: an arm64 type gets no OS value at all.
  std::vector<std::string> os;
  if (!IsWindows(family)) {
    os.push_back("linux");
  } else if (info.arch == "amd64") {
    os.push_back("windows");
  }
  r.Add(Requirement::In(std::string(label::kOs), os));
  r.Add(Requirement::In(std::string(label::kZone), {zones.begin(), zones.end()}));
  r.Add(Requirement::In(std::string(label::kRegion), {options.region}));
  if (!zone_ids.empty()) r.Add(Requirement::In(std::string(label::kZoneId), {zone_ids.begin(), zone_ids.end()}));
  InOrAbsent(r, label::kWindowsBuild, std::string(WindowsBuild(family)), IsWindows(family));
  r.Add(Requirement::In(std::string(label::kCapacityType), {capacity_types.begin(), capacity_types.end()}));

  r.Add(Requirement::In(std::string(label::kInstanceCategory), {info.category}));
  r.Add(Requirement::In(std::string(label::kInstanceFamily), {info.family}));
  r.Add(Requirement::In(std::string(label::kInstanceGeneration), {std::to_string(info.generation)}));
  r.Add(Requirement::In(std::string(label::kInstanceSize), {info.size}));
  r.Add(Requirement::In(std::string(label::kInstanceCpu), {std::to_string(info.vcpu)}));
  r.Add(Requirement::In(std::string(label::kInstanceMemory), {std::to_string(info.memory_mib)}));
  InOrAbsent(r, label::kInstanceHypervisor, info.hypervisor, !info.hypervisor.empty());
  InOrAbsent(r, label::kInstanceNetworkBandwidth, std::to_string(info.network_bandwidth_mbps.value_or(0)),
             info.network_bandwidth_mbps.has_value());
  InOrAbsent(r, label::kInstanceLocalNvme, std::to_string(info.local_nvme_gb), info.local_nvme_gb > 0);
  // The catalog has no CPU manufacturer or EBS bandwidth: unknown, so absent.
  r.Add(Requirement::DoesNotExist(std::string(label::kInstanceCpuManufacturer)));
  r.Add(Requirement::DoesNotExist(std::string(label::kInstanceEbsBandwidth)));

  // GPU labels only for whole GPUs: fractional g6f/gr6f report gpu_count 0.
  const bool gpu = info.gpu_count > 0;
  InOrAbsent(r, label::kInstanceGpuName, info.gpu_name, gpu);
  InOrAbsent(r, label::kInstanceGpuManufacturer, info.gpu_manufacturer, gpu);
  InOrAbsent(r, label::kInstanceGpuCount, std::to_string(info.gpu_count), gpu);
  InOrAbsent(r, label::kInstanceGpuMemory, std::to_string(info.gpu_memory_mib.value_or(0)),
             gpu && info.gpu_memory_mib.has_value());
  const bool accel = info.accelerator_count > 0;
  InOrAbsent(r, label::kInstanceAcceleratorName, info.accelerator_name, accel && !info.accelerator_name.empty());
  InOrAbsent(r, label::kInstanceAcceleratorManufacturer, info.accelerator_manufacturer,
             accel && !info.accelerator_manufacturer.empty());
  InOrAbsent(r, label::kInstanceAcceleratorCount, std::to_string(info.accelerator_count), accel);
  return r;
}

bool Matches(const Offering& o, std::string_view capacity_type) {
  return o.available && (capacity_type.empty() || o.capacity_type == capacity_type);
}

}  // namespace

model::ResourceList InstanceType::Allocatable() const {
  model::ResourceList out;
  for (const auto& [name, q] : capacity) {
    model::Quantity left = q - overhead.Get(name);
    out.Set(name, left.milli() < 0 ? model::Quantity::FromMilli(0, q.format()) : left);
  }
  return out;
}

std::optional<double> InstanceType::CheapestPrice(std::string_view capacity_type) const {
  std::optional<double> best;
  for (const Offering& o : offerings) {
    if (Matches(o, capacity_type) && (!best || o.price_per_hour < *best)) best = o.price_per_hour;
  }
  return best;
}

bool InstanceType::HasAvailableOffering(std::string_view capacity_type) const {
  return std::any_of(offerings.begin(), offerings.end(), [&](const Offering& o) { return Matches(o, capacity_type); });
}

bool InstanceType::HasAccelerators() const {
  for (std::string_view r : {model::resource::kNvidiaGpu, model::resource::kAmdGpu, model::resource::kHabanaGaudi,
                             model::resource::kNeuron}) {
    if (capacity.Get(r).milli() > 0) return true;
  }
  return false;
}

InstanceType ResolveInstanceType(const InstanceTypeInfo& info, const model::EC2NodeClass& node_class,
                                 const CapacityOptions& options) {
  InstanceType t;
  t.name = info.instance_type;
  t.info = &info;
  t.offerings = MakeOfferings(info, options);
  t.requirements = MakeRequirements(info, t.offerings, node_class.EffectiveAmiFamily(), options);
  t.capacity = ComputeCapacity(info, node_class, options);
  Overhead o = ComputeOverhead(info, node_class, options, t.capacity);
  t.overhead = o.Total();
  t.kube_reserved = std::move(o.kube_reserved);
  t.system_reserved = std::move(o.system_reserved);
  t.eviction_threshold = std::move(o.eviction_threshold);
  t.max_pods_secondary_ip = EniLimitedPods(info, options.reserved_enis);
  t.max_pods_prefix_delegation = PrefixDelegationPods(info, options.reserved_enis);
  return t;
}

std::vector<InstanceType> ResolveInstanceTypes(const Catalog& catalog, const model::EC2NodeClass& node_class,
                                               const CapacityOptions& options) {
  std::vector<InstanceType> out;
  out.reserve(catalog.types().size());
  for (const InstanceTypeInfo& info : catalog.types()) {
    if (!info.in_latest_ec2_snapshot && !options.include_retired) continue;
    out.push_back(ResolveInstanceType(info, node_class, options));
  }
  return out;
}

}  // namespace adze::catalog
