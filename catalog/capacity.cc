#include "catalog/capacity.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

namespace adze::catalog {
namespace {

using model::AmiFamily;
using model::Quantity;
using model::ResourceList;
namespace resource = model::resource;

constexpr int64_t kGi = int64_t{1} << 30;

// The family's data (ephemeral) device and its default size, per spec §4.3.
struct DataDevice {
  std::string_view device_name;
  int64_t default_bytes;
};

DataDevice FamilyDataDevice(AmiFamily family) {
  switch (family) {
    case AmiFamily::kBottlerocket: return {"/dev/xvdb", 20 * kGi};
    case AmiFamily::kWindows2019:
    case AmiFamily::kWindows2022:
    case AmiFamily::kWindows2025: return {"/dev/sda1", 50 * kGi};
    case AmiFamily::kAL2:
    case AmiFamily::kAL2023:
    case AmiFamily::kCustom: return {"/dev/xvda", 20 * kGi};
  }
  return {"/dev/xvda", 20 * kGi};
}

int32_t UsableEnis(const InstanceTypeInfo& info, int reserved_enis) {
  return std::max(0, info.max_enis_default_card - reserved_enis);
}

// The network pod figure for the CNI mode in effect.
int32_t NetworkPods(const InstanceTypeInfo& info, const CapacityOptions& options) {
  return options.prefix_delegation ? PrefixDelegationPods(info, options.reserved_enis)
                                   : EniLimitedPods(info, options.reserved_enis);
}

// ceil(bytes × percent / 100) computed exactly: the percentage is taken to
// millionths of a percent, which covers any value a manifest would hold.
Quantity PercentOf(Quantity capacity, double percent) {
  if (percent >= 100 || percent <= 0) return Quantity::Bytes(0);  // kubelet: 100% disables the signal
  const __int128 micro = static_cast<__int128>(std::llround(percent * 1e6));
  const __int128 bytes = capacity.Value();
  const __int128 scale = static_cast<__int128>(100) * 1'000'000;
  return Quantity::Bytes(static_cast<int64_t>((bytes * micro + scale - 1) / scale));
}

std::optional<Quantity> EvictionOverride(const model::EC2NodeClass& node_class, std::string_view signal,
                                         Quantity capacity) {
  auto it = node_class.kubelet.eviction_hard.find(std::string(signal));
  if (it == node_class.kubelet.eviction_hard.end()) return std::nullopt;
  const model::EvictionThreshold& t = it->second;
  if (t.quantity) return *t.quantity;
  if (t.percent) return PercentOf(capacity, *t.percent);
  return std::nullopt;
}

}  // namespace

bool IsWindows(AmiFamily family) {
  return family == AmiFamily::kWindows2019 || family == AmiFamily::kWindows2022 ||
         family == AmiFamily::kWindows2025;
}

bool UsesEniLimitedPodDensity(AmiFamily family) { return !IsWindows(family); }

int32_t EniLimitedPods(const InstanceTypeInfo& info, int reserved_enis) {
  const int32_t enis = UsableEnis(info, reserved_enis);
  if (enis == 0) return 0;
  return enis * (info.ipv4_per_eni - 1) + 2;
}

int32_t PrefixDelegationPods(const InstanceTypeInfo& info, int reserved_enis) {
  const int64_t enis = UsableEnis(info, reserved_enis);
  if (enis == 0) return 0;
  const int64_t by_prefixes = enis * (info.ipv4_per_eni - 1) * 16 + 2;
  const int64_t cap = info.vcpu <= 30 ? 110 : 250;
  return static_cast<int32_t>(std::min(by_prefixes, cap));
}

int32_t MaxPods(const InstanceTypeInfo& info, const model::EC2NodeClass& node_class, const CapacityOptions& options) {
  const AmiFamily family = node_class.EffectiveAmiFamily();
  int64_t pods;
  if (node_class.kubelet.max_pods) {
    pods = *node_class.kubelet.max_pods;
  } else if (UsesEniLimitedPodDensity(family)) {
    pods = NetworkPods(info, options);
  } else {
    pods = 110;
  }
  const int32_t per_core = node_class.kubelet.pods_per_core.value_or(0);
  if (per_core > 0 && family != AmiFamily::kBottlerocket) {
    pods = std::min(pods, static_cast<int64_t>(per_core) * info.vcpu);
  }
  return static_cast<int32_t>(pods);
}

Quantity MemoryCapacity(const InstanceTypeInfo& info, double vm_memory_overhead_percent) {
  int64_t mib = info.memory_mib;
  // Graviton reserves 64 MiB for the contiguous memory allocator (spec §4).
  if (info.arch == "arm64") mib -= 64;
  // Floating point on purpose: the overhead is a fraction and Karpenter rounds
  // ceil(bytes × fraction / 2^20) in float64; the same order of operations
  // gives the same whole MiB.
  const double bytes = static_cast<double>(mib) * 1024 * 1024;
  const auto overhead_mib = static_cast<int64_t>(std::ceil(bytes * vm_memory_overhead_percent / 1024 / 1024));
  return Quantity::MiB(mib - overhead_mib);
}

Quantity EphemeralStorageCapacity(const InstanceTypeInfo& info, const model::EC2NodeClass& node_class) {
  if (node_class.instance_store_raid0 && info.local_nvme_gb > 0) {
    // EC2 reports instance store in decimal GB.
    return Quantity::FromUnits(info.local_nvme_gb * 1'000'000'000, Quantity::Format::kDecimalSI);
  }
  const AmiFamily family = node_class.EffectiveAmiFamily();
  const DataDevice device = FamilyDataDevice(family);
  const auto& mappings = node_class.block_device_mappings;
  if (!mappings.empty()) {
    for (const model::BlockDeviceMapping& m : mappings) {
      if (m.root_volume && m.ebs.volume_size) return *m.ebs.volume_size;
    }
    if (family == AmiFamily::kCustom) {
      // Nothing is known about a custom AMI's layout: the last mapping wins.
      const auto& last = mappings.back().ebs.volume_size;
      return last ? *last : Quantity::Bytes(device.default_bytes);
    }
    for (const model::BlockDeviceMapping& m : mappings) {
      if (m.device_name == device.device_name && m.ebs.volume_size) return *m.ebs.volume_size;
    }
  }
  return Quantity::Bytes(device.default_bytes);
}

Quantity KubeReservedCpu(int64_t vcpu) {
  // Bands of millicores and the share reserved in each, in ten-thousandths
  // (6%, 1%, 0.5%, 0.25%). Source: Karpenter AWS provider, after Bottlerocket's
  // kube-reserved rule (spec §4.2).
  struct Band {
    int64_t start, end, share_per_10k;
  };
  constexpr Band kBands[] = {{0, 1000, 600}, {1000, 2000, 100}, {2000, 4000, 50}, {4000, std::numeric_limits<int64_t>::max(), 25}};
  const int64_t milli = vcpu * 1000;
  int64_t reserved = 0;
  for (const Band& b : kBands) {
    if (milli < b.start) break;
    const int64_t width = std::min(milli, b.end) - b.start;
    reserved += width * b.share_per_10k / 10000;  // truncated per band, as upstream
  }
  return Quantity::FromMilli(reserved);
}

ResourceList ComputeCapacity(const InstanceTypeInfo& info, const model::EC2NodeClass& node_class,
                             const CapacityOptions& options) {
  ResourceList c;
  c.Set(resource::kCpu, Quantity::FromUnits(info.vcpu));
  c.Set(resource::kMemory, MemoryCapacity(info, options.vm_memory_overhead_percent));
  c.Set(resource::kPods, Quantity::FromUnits(MaxPods(info, node_class, options)));
  c.Set(resource::kEphemeralStorage, EphemeralStorageCapacity(info, node_class));
  if (info.gpu_count > 0) {
    if (info.gpu_manufacturer == "nvidia") c.Set(resource::kNvidiaGpu, Quantity::FromUnits(info.gpu_count));
    if (info.gpu_manufacturer == "amd") c.Set(resource::kAmdGpu, Quantity::FromUnits(info.gpu_count));
    if (info.gpu_manufacturer == "habana") c.Set(resource::kHabanaGaudi, Quantity::FromUnits(info.gpu_count));
  }
  if (info.accelerator_count > 0 && info.accelerator_manufacturer == "aws") {
    c.Set(resource::kNeuron, Quantity::FromUnits(info.accelerator_count));
    if (info.neuron_core_count.value_or(0) > 0) {
      c.Set(resource::kNeuronCore, Quantity::FromUnits(*info.neuron_core_count));
    }
  }
  if (info.efa_max_interfaces > 0) c.Set(resource::kEfa, Quantity::FromUnits(info.efa_max_interfaces));
  if (IsWindows(node_class.EffectiveAmiFamily()) && info.ipv4_per_eni > 1) {
    c.Set(kPrivateIpv4Address, Quantity::FromUnits(info.ipv4_per_eni - 1));
  }
  return c;
}

ResourceList Overhead::Total() const {
  ResourceList total = kube_reserved;
  total.Add(system_reserved);
  total.Add(eviction_threshold);
  return total;
}

Overhead ComputeOverhead(const InstanceTypeInfo& info, const model::EC2NodeClass& node_class,
                         const CapacityOptions& options, const ResourceList& capacity) {
  const AmiFamily family = node_class.EffectiveAmiFamily();
  Overhead o;

  // AL2, AL2023 and Custom size kube-reserved memory by the pods the network
  // allows, whatever maxPods says; Bottlerocket and Windows by the pods
  // capacity. With prefix delegation the network figure is the prefix one.
  const bool network_sized = family == AmiFamily::kAL2 || family == AmiFamily::kAL2023 || family == AmiFamily::kCustom;
  const int64_t pods = network_sized ? NetworkPods(info, options) : MaxPods(info, node_class, options);
  o.kube_reserved.Set(resource::kCpu, KubeReservedCpu(info.vcpu));
  o.kube_reserved.Set(resource::kMemory, Quantity::MiB(11 * pods + 255));
  o.kube_reserved.Set(resource::kEphemeralStorage, Quantity::Bytes(kGi));
  for (const auto& [name, q] : node_class.kubelet.kube_reserved) o.kube_reserved.Set(name, q);

  o.system_reserved = node_class.kubelet.system_reserved;

  const Quantity memory = capacity.Get(resource::kMemory);
  const Quantity storage = capacity.Get(resource::kEphemeralStorage);
  o.eviction_threshold.Set(resource::kMemory, Quantity::MiB(100));
  o.eviction_threshold.Set(resource::kEphemeralStorage, Quantity::Bytes((storage.Value() + 9) / 10));
  if (auto q = EvictionOverride(node_class, "memory.available", memory)) {
    o.eviction_threshold.Set(resource::kMemory, *q);
  }
  if (auto q = EvictionOverride(node_class, "nodefs.available", storage)) {
    o.eviction_threshold.Set(resource::kEphemeralStorage, *q);
  }
  return o;
}

}  // namespace adze::catalog
