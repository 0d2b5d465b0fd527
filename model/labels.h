// Labels and the well-known label keys of Kubernetes, Karpenter and its AWS
// provider (spec §1.4).
// Thread-safety: constants and pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace adze::model {

using Labels = std::map<std::string, std::string, std::less<>>;
using Annotations = std::map<std::string, std::string, std::less<>>;

namespace label {
// Kubernetes
inline constexpr std::string_view kHostname = "kubernetes.io/hostname";
inline constexpr std::string_view kArch = "kubernetes.io/arch";
inline constexpr std::string_view kOs = "kubernetes.io/os";
inline constexpr std::string_view kInstanceType = "node.kubernetes.io/instance-type";
inline constexpr std::string_view kZone = "topology.kubernetes.io/zone";
inline constexpr std::string_view kRegion = "topology.kubernetes.io/region";
inline constexpr std::string_view kWindowsBuild = "node.kubernetes.io/windows-build";
// Karpenter core
inline constexpr std::string_view kNodePool = "karpenter.sh/nodepool";
inline constexpr std::string_view kCapacityType = "karpenter.sh/capacity-type";
inline constexpr std::string_view kRegistered = "karpenter.sh/registered";
inline constexpr std::string_view kInitialized = "karpenter.sh/initialized";
inline constexpr std::string_view kDoNotDisrupt = "karpenter.sh/do-not-disrupt";  // annotation
// adze's NodePool annotation: "true" or "false" turns headroom on or off for
// the pool (controllers/disruption/headroom.h).
inline constexpr std::string_view kHeadroom = "adze.dev/headroom";
// adze's pod annotation: a duration ("30m"); the pod saves its progress at
// least that often, so an eviction loses at most that much of its run
// (controllers/disruption/lost_work.h).
inline constexpr std::string_view kCheckpointInterval = "adze.dev/checkpoint-interval";
// Karpenter AWS
inline constexpr std::string_view kEc2NodeClass = "karpenter.k8s.aws/ec2nodeclass";
inline constexpr std::string_view kZoneId = "topology.k8s.aws/zone-id";
inline constexpr std::string_view kInstanceCategory = "karpenter.k8s.aws/instance-category";
inline constexpr std::string_view kInstanceFamily = "karpenter.k8s.aws/instance-family";
inline constexpr std::string_view kInstanceGeneration = "karpenter.k8s.aws/instance-generation";
inline constexpr std::string_view kInstanceSize = "karpenter.k8s.aws/instance-size";
inline constexpr std::string_view kInstanceCpu = "karpenter.k8s.aws/instance-cpu";
inline constexpr std::string_view kInstanceCpuManufacturer = "karpenter.k8s.aws/instance-cpu-manufacturer";
inline constexpr std::string_view kInstanceMemory = "karpenter.k8s.aws/instance-memory";
inline constexpr std::string_view kInstanceHypervisor = "karpenter.k8s.aws/instance-hypervisor";
inline constexpr std::string_view kInstanceNetworkBandwidth = "karpenter.k8s.aws/instance-network-bandwidth";
inline constexpr std::string_view kInstanceEbsBandwidth = "karpenter.k8s.aws/instance-ebs-bandwidth";
inline constexpr std::string_view kInstanceLocalNvme = "karpenter.k8s.aws/instance-local-nvme";
inline constexpr std::string_view kInstanceEfaCount = "karpenter.k8s.aws/instance-efa-count";
inline constexpr std::string_view kInstanceGpuName = "karpenter.k8s.aws/instance-gpu-name";
inline constexpr std::string_view kInstanceGpuManufacturer = "karpenter.k8s.aws/instance-gpu-manufacturer";
inline constexpr std::string_view kInstanceGpuCount = "karpenter.k8s.aws/instance-gpu-count";
inline constexpr std::string_view kInstanceGpuMemory = "karpenter.k8s.aws/instance-gpu-memory";
inline constexpr std::string_view kInstanceAcceleratorName = "karpenter.k8s.aws/instance-accelerator-name";
inline constexpr std::string_view kInstanceAcceleratorManufacturer =
    "karpenter.k8s.aws/instance-accelerator-manufacturer";
inline constexpr std::string_view kInstanceAcceleratorCount = "karpenter.k8s.aws/instance-accelerator-count";
inline constexpr std::string_view kCapacityReservationId = "karpenter.k8s.aws/capacity-reservation-id";

inline constexpr std::string_view kCapacityTypeSpot = "spot";
inline constexpr std::string_view kCapacityTypeOnDemand = "on-demand";
inline constexpr std::string_view kCapacityTypeReserved = "reserved";
}  // namespace label

// True for keys Karpenter treats as well-known: a pod may constrain them even
// when a pool does not mention them (spec §2.6 Compatible).
bool IsWellKnownLabel(std::string_view key);

// True for keys in a domain Karpenter restricts (karpenter.sh, karpenter.k8s.aws,
// kubernetes.io, k8s.io and their subdomains) that are not well-known, plus
// kubernetes.io/hostname; such keys may not be set by a NodePool template or
// requirement (spec §1.1). Returns the reason, or nullopt when allowed.
std::optional<std::string> RestrictedLabelReason(std::string_view key);

// True for keys a pod may not select on when Karpenter is to launch a node
// for it (spec §2.1): kubernetes.io/hostname, and keys in the karpenter.sh
// and karpenter.k8s.aws domains that are not well-known labels. Karpenter
// ignores such pods. Returns the reason, or nullopt when the key is allowed.
std::optional<std::string> PodRestrictedLabelReason(std::string_view key);

// Maps deprecated beta keys to their GA names (failure-domain.beta.kubernetes.io/zone
// -> topology.kubernetes.io/zone, beta.kubernetes.io/arch -> kubernetes.io/arch, ...).
std::string_view NormalizeLabelKey(std::string_view key);

}  // namespace adze::model
