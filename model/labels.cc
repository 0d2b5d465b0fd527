#include "model/labels.h"

#include <array>

namespace adze::model {
namespace {

constexpr std::array<std::string_view, 33> kWellKnown = {
    label::kArch, label::kOs, label::kInstanceType, label::kZone, label::kRegion, label::kWindowsBuild,
    label::kNodePool, label::kCapacityType, label::kZoneId,
    label::kInstanceCategory, label::kInstanceFamily, label::kInstanceGeneration, label::kInstanceSize,
    label::kInstanceCpu, label::kInstanceCpuManufacturer, label::kInstanceMemory, label::kInstanceHypervisor,
    label::kInstanceNetworkBandwidth, label::kInstanceEbsBandwidth, label::kInstanceLocalNvme,
    label::kInstanceEfaCount, label::kInstanceGpuName, label::kInstanceGpuManufacturer,
    label::kInstanceGpuCount, label::kInstanceGpuMemory, label::kInstanceAcceleratorName,
    label::kInstanceAcceleratorManufacturer, label::kInstanceAcceleratorCount,
    label::kCapacityReservationId, label::kEc2NodeClass,
    "karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz",
    "karpenter.k8s.aws/instance-encryption-in-transit-supported",
    "karpenter.k8s.aws/instance-capability-flex",
};

// Domains whose labels users may not set (Karpenter's RestrictedLabelDomains,
// plus the AWS provider's own domain), and the exceptions it allows.
constexpr std::array<std::string_view, 4> kRestrictedDomains = {
    "kubernetes.io", "k8s.io", "karpenter.sh", "karpenter.k8s.aws"};
constexpr std::array<std::string_view, 3> kDomainExceptions = {
    "kops.k8s.io", "node.kubernetes.io", "node-restriction.kubernetes.io"};

bool InDomain(std::string_view domain, std::string_view parent) {
  if (domain == parent) return true;
  return domain.size() > parent.size() && domain.ends_with(parent) &&
         domain[domain.size() - parent.size() - 1] == '.';
}

}  // namespace

bool IsWellKnownLabel(std::string_view key) {
  for (std::string_view k : kWellKnown) {
    if (k == key) return true;
  }
  return false;
}

std::optional<std::string> RestrictedLabelReason(std::string_view key) {
  if (key == label::kHostname) {
    return std::string(key) + " is set by the kubelet and may not be set by a NodePool";
  }
  if (IsWellKnownLabel(key)) return std::nullopt;
  size_t slash = key.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view domain = key.substr(0, slash);
  for (std::string_view ex : kDomainExceptions) {
    if (InDomain(domain, ex)) return std::nullopt;
  }
  for (std::string_view d : kRestrictedDomains) {
    if (InDomain(domain, d)) {
      return "label domain \"" + std::string(domain) + "\" is restricted (" + std::string(d) +
             "); only its well-known keys may be used";
    }
  }
  return std::nullopt;
}

std::optional<std::string> PodRestrictedLabelReason(std::string_view key) {
  if (key == label::kHostname) {
    return std::string("it names a single node, which Karpenter cannot launch");
  }
  if (IsWellKnownLabel(key)) return std::nullopt;
  size_t slash = key.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view domain = key.substr(0, slash);
  for (std::string_view d : {std::string_view("karpenter.sh"), std::string_view("karpenter.k8s.aws")}) {
    if (InDomain(domain, d)) {
      return "only the well-known " + std::string(d) + " labels may be selected";
    }
  }
  return std::nullopt;
}

std::string_view NormalizeLabelKey(std::string_view key) {
  if (key == "failure-domain.beta.kubernetes.io/zone") return label::kZone;
  if (key == "failure-domain.beta.kubernetes.io/region") return label::kRegion;
  if (key == "beta.kubernetes.io/arch") return label::kArch;
  if (key == "beta.kubernetes.io/os") return label::kOs;
  if (key == "beta.kubernetes.io/instance-type") return label::kInstanceType;
  // The EBS CSI driver's zone key (older PVs and StorageClasses); the AWS
  // provider normalises it to the zone label too.
  if (key == "topology.ebs.csi.aws.com/zone") return label::kZone;
  return key;
}

}  // namespace adze::model
