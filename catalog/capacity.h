// Capacity and allocatable math for one EC2 instance type under one
// EC2NodeClass, as Karpenter's AWS provider computes it (spec §4):
//   allocatable = capacity - (kube-reserved + system-reserved + eviction threshold)
// All resources are exact model::Quantity values.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/instance_type_info.h"
#include "model/ec2nodeclass.h"
#include "model/quantity.h"
#include "model/resource_list.h"

namespace adze::catalog {

// Settings that are not part of an EC2NodeClass: Karpenter's global options
// (VM_MEMORY_OVERHEAD_PERCENT, RESERVED_ENIS), the VPC CNI mode, and which
// types and offerings to list.
struct CapacityOptions {
  // VPC CNI prefix delegation (ENABLE_PREFIX_DELEGATION). Karpenter does not
  // model it (users set kubelet.maxPods); adze uses the EKS max-pods-calculator
  // rule, spec §4.1. Default off.
  bool prefix_delegation = false;
  // Share of EC2 memory held back for the hypervisor and kernel. Default 0.075.
  double vm_memory_overhead_percent = 0.075;
  // ENIs of the default network card kept away from pods. Default 0.
  int reserved_enis = 0;
  // Keep retired types (in_latest_ec2_snapshot=false). Default false.
  bool include_retired = false;
  // Zones that may hold offerings, by name (us-east-1a) or id (use1-az2), as a
  // NodeClass's subnets would allow. Empty (default) = every zone of the region.
  std::vector<std::string> zones;
  // Region of the offerings and of the topology.kubernetes.io/region label.
  // The catalog holds zones for us-east-1 only. Default us-east-1.
  std::string region = "us-east-1";
};

// Resource names used only on AWS Windows nodes.
inline constexpr std::string_view kPrivateIpv4Address = "vpc.amazonaws.com/PrivateIPv4Address";

// True for the AMI families whose pod density follows the ENI limit (AL2,
// AL2023, Bottlerocket, Custom); Windows uses 110.
bool UsesEniLimitedPodDensity(model::AmiFamily family);
bool IsWindows(model::AmiFamily family);

// Pods the VPC CNI can address in secondary-IP mode:
//   usableENIs × (ipv4_per_eni − 1) + 2, usableENIs = max(0, max_enis_default_card − reserved_enis),
// and 0 when no ENI is usable (spec §4.1; m5.large → 29).
int32_t EniLimitedPods(const InstanceTypeInfo& info, int reserved_enis);

// Pods with VPC CNI prefix delegation (a /28, 16 addresses, per secondary IP
// slot): min(usableENIs × (ipv4_per_eni − 1) × 16 + 2, vcpu ≤ 30 ? 110 : 250);
// 0 when no ENI is usable. Source: EKS max-pods-calculator.sh (awslabs/amazon-eks-ami),
// data/sim-calibration.md "Pod density (VPC CNI)".
int32_t PrefixDelegationPods(const InstanceTypeInfo& info, int reserved_enis);

// The `pods` capacity (spec §4.1): kubelet.maxPods if set; else the network
// figure (prefix delegation or ENI-limited) for ENI-density families and 110
// for Windows; then min(podsPerCore × vcpu, ·) when podsPerCore > 0, except on
// Bottlerocket, which ignores podsPerCore.
int32_t MaxPods(const InstanceTypeInfo& info, const model::EC2NodeClass& node_class, const CapacityOptions& options);

// `memory` capacity: EC2 MiB, −64 MiB on arm64, then − ceil(MiB × vm_memory_overhead_percent).
model::Quantity MemoryCapacity(const InstanceTypeInfo& info, double vm_memory_overhead_percent);

// `ephemeral-storage` capacity (spec §4.3): with instanceStorePolicy RAID0 and
// NVMe instance store, its total (decimal GB); else the size of a rootVolume
// mapping; else (Custom) the last mapping's size or 20Gi, (others) the size of
// the mapping on the family's data device (/dev/xvda AL2/AL2023, /dev/xvdb
// Bottlerocket, /dev/sda1 Windows); else that device's default (20Gi, 20Gi, 50Gi).
model::Quantity EphemeralStorageCapacity(const InstanceTypeInfo& info, const model::EC2NodeClass& node_class);

// Default kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of
// cores 3–4 and 0.25% of each further core, each band truncated to whole
// millicores (2 → 70m, 4 → 80m, 8 → 90m, 96 → 310m).
model::Quantity KubeReservedCpu(int64_t vcpu);

// Every capacity entry of spec §4: cpu, memory, pods, ephemeral-storage, GPUs
// by manufacturer (nvidia.com/gpu, amd.com/gpu, habana.ai/gaudi), Neuron
// (aws.amazon.com/neuron and neuroncore), vpc.amazonaws.com/efa, and on
// Windows vpc.amazonaws.com/PrivateIPv4Address. Zero-valued extended
// resources are left out.
model::ResourceList ComputeCapacity(const InstanceTypeInfo& info, const model::EC2NodeClass& node_class,
                                    const CapacityOptions& options);

struct Overhead {
  model::ResourceList kube_reserved;
  model::ResourceList system_reserved;
  model::ResourceList eviction_threshold;
  // kube_reserved + system_reserved + eviction_threshold.
  model::ResourceList Total() const;
};

// Spec §4.2. kube-reserved: KubeReservedCpu, memory 11 × pods + 255 MiB and
// ephemeral-storage 1Gi, where pods is the network pod figure (ignoring
// maxPods) on AL2/AL2023/Custom and MaxPods on Bottlerocket/Windows; keys in
// kubelet.kubeReserved replace these. system-reserved: kubelet.systemReserved.
// Eviction: memory 100Mi and ephemeral-storage ceil(10% of capacity), replaced
// by evictionHard memory.available / nodefs.available (a quantity, or a
// percentage of capacity rounded up; 100% disables the threshold).
// REQUIRES: capacity == ComputeCapacity(info, node_class, options).
Overhead ComputeOverhead(const InstanceTypeInfo& info, const model::EC2NodeClass& node_class,
                         const CapacityOptions& options, const model::ResourceList& capacity);

}  // namespace adze::catalog
