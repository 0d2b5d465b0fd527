#include "catalog/capacity.h"

#include <gtest/gtest.h>

#include "catalog/catalog.h"

namespace adze::catalog {
namespace {

using model::AmiFamily;
using model::EC2NodeClass;
using model::Quantity;
namespace resource = model::resource;

const InstanceTypeInfo& Type(std::string_view name) {
  const InstanceTypeInfo* t = Catalog::Embedded().Find(name);
  EXPECT_NE(t, nullptr) << name;
  return *t;
}

EC2NodeClass NodeClass(AmiFamily family) {
  EC2NodeClass nc;
  nc.ami_family = family;
  return nc;
}

Quantity Mi(int64_t n) { return Quantity::MiB(n); }
Quantity Gi(int64_t n) { return Quantity::Bytes(n << 30); }

TEST(MaxPodsTest, PublishedEniLimitedFigures) {
  // amazon-eks-ami eni-max-pods.txt, via data/sim-calibration.md and spec §4.1.
  EXPECT_EQ(EniLimitedPods(Type("m5.large"), 0), 29);
  EXPECT_EQ(EniLimitedPods(Type("m5.xlarge"), 0), 58);
  EXPECT_EQ(EniLimitedPods(Type("g4dn.xlarge"), 0), 29);
  EXPECT_EQ(EniLimitedPods(Type("g5.xlarge"), 0), 58);
  EXPECT_EQ(EniLimitedPods(Type("g5.12xlarge"), 0), 737);
  EXPECT_EQ(EniLimitedPods(Type("g5.48xlarge"), 0), 345);
  EXPECT_EQ(EniLimitedPods(Type("p4d.24xlarge"), 0), 737);
  // Only the default card's 2 ENIs count, not all 64.
  EXPECT_EQ(EniLimitedPods(Type("p5.48xlarge"), 0), 100);
}

TEST(MaxPodsTest, ReservedEnis) {
  EXPECT_EQ(EniLimitedPods(Type("m5.large"), 1), 20);
  EXPECT_EQ(EniLimitedPods(Type("m5.large"), 3), 0);
  EXPECT_EQ(EniLimitedPods(Type("m5.large"), 9), 0);
  EXPECT_EQ(PrefixDelegationPods(Type("m5.large"), 3), 0);
}

TEST(MaxPodsTest, PrefixDelegationCapsAt110And250) {
  EXPECT_EQ(PrefixDelegationPods(Type("m5.large"), 0), 110);
  EXPECT_EQ(PrefixDelegationPods(Type("g4dn.xlarge"), 0), 110);
  EXPECT_EQ(PrefixDelegationPods(Type("g5.xlarge"), 0), 110);
  EXPECT_EQ(PrefixDelegationPods(Type("g5.12xlarge"), 0), 250);
  EXPECT_EQ(PrefixDelegationPods(Type("g5.48xlarge"), 0), 250);
  EXPECT_EQ(PrefixDelegationPods(Type("p4d.24xlarge"), 0), 250);
  EXPECT_EQ(PrefixDelegationPods(Type("p5.48xlarge"), 0), 250);
  // Below the cap: t3.nano has 2 ENIs of 2 addresses: 2 × 1 × 16 + 2.
  EXPECT_EQ(PrefixDelegationPods(Type("t3.nano"), 0), 34);
}

TEST(MaxPodsTest, NodeClassRules) {
  const InstanceTypeInfo& m5 = Type("m5.large");
  CapacityOptions opts;
  EXPECT_EQ(MaxPods(m5, NodeClass(AmiFamily::kAL2023), opts), 29);
  EXPECT_EQ(MaxPods(m5, NodeClass(AmiFamily::kBottlerocket), opts), 29);
  EXPECT_EQ(MaxPods(m5, NodeClass(AmiFamily::kWindows2022), opts), 110);

  EC2NodeClass max_pods = NodeClass(AmiFamily::kAL2023);
  max_pods.kubelet.max_pods = 50;
  EXPECT_EQ(MaxPods(m5, max_pods, opts), 50);

  EC2NodeClass per_core = NodeClass(AmiFamily::kAL2023);
  per_core.kubelet.pods_per_core = 4;
  EXPECT_EQ(MaxPods(m5, per_core, opts), 8);
  per_core.kubelet.pods_per_core = 20;
  EXPECT_EQ(MaxPods(m5, per_core, opts), 29);
  per_core.kubelet.pods_per_core = 4;
  per_core.kubelet.max_pods = 6;
  EXPECT_EQ(MaxPods(m5, per_core, opts), 6);
  per_core.ami_family = AmiFamily::kBottlerocket;  // ignores podsPerCore
  per_core.kubelet.max_pods.reset();
  EXPECT_EQ(MaxPods(m5, per_core, opts), 29);
  per_core.ami_family = AmiFamily::kWindows2019;
  EXPECT_EQ(MaxPods(m5, per_core, opts), 8);
}

TEST(MaxPodsTest, PrefixDelegationOption) {
  CapacityOptions pd;
  pd.prefix_delegation = true;
  const EC2NodeClass al2023 = NodeClass(AmiFamily::kAL2023);
  EXPECT_EQ(MaxPods(Type("g5.xlarge"), al2023, pd), 110);
  EXPECT_EQ(MaxPods(Type("p5.48xlarge"), al2023, pd), 250);
  EC2NodeClass capped = al2023;
  capped.kubelet.max_pods = 64;
  EXPECT_EQ(MaxPods(Type("p5.48xlarge"), capped, pd), 64);  // maxPods still wins
  capped.kubelet.max_pods.reset();
  capped.kubelet.pods_per_core = 10;
  EXPECT_EQ(MaxPods(Type("g5.xlarge"), capped, pd), 40);  // podsPerCore still applies
  EXPECT_EQ(MaxPods(Type("g5.xlarge"), NodeClass(AmiFamily::kWindows2022), pd), 110);
}

TEST(KubeReservedCpuTest, Bands) {
  EXPECT_EQ(KubeReservedCpu(1), Quantity::FromMilli(60));
  EXPECT_EQ(KubeReservedCpu(2), Quantity::FromMilli(70));
  EXPECT_EQ(KubeReservedCpu(4), Quantity::FromMilli(80));
  EXPECT_EQ(KubeReservedCpu(5), Quantity::FromMilli(82));  // 2.5m truncated
  EXPECT_EQ(KubeReservedCpu(8), Quantity::FromMilli(90));
  EXPECT_EQ(KubeReservedCpu(96), Quantity::FromMilli(310));
  EXPECT_EQ(KubeReservedCpu(192), Quantity::FromMilli(550));
}

TEST(MemoryCapacityTest, VmOverheadAndGraviton) {
  EXPECT_EQ(MemoryCapacity(Type("m5.large"), 0.075), Mi(7577));  // 8192 − ceil(614.4)
  EXPECT_EQ(MemoryCapacity(Type("m6g.large"), 0.075), Mi(7518));  // 8128 − ceil(609.6)
  EXPECT_EQ(MemoryCapacity(Type("m5.large"), 0), Mi(8192));
  EXPECT_EQ(MemoryCapacity(Type("m6g.large"), 0), Mi(8128));
  EXPECT_EQ(MemoryCapacity(Type("m5.large"), 0.1), Mi(7372));  // 8192 − ceil(819.2)
}

TEST(EphemeralStorageTest, FamilyDefaults) {
  const InstanceTypeInfo& m5 = Type("m5.large");
  EXPECT_EQ(EphemeralStorageCapacity(m5, NodeClass(AmiFamily::kAL2)), Gi(20));
  EXPECT_EQ(EphemeralStorageCapacity(m5, NodeClass(AmiFamily::kAL2023)), Gi(20));
  EXPECT_EQ(EphemeralStorageCapacity(m5, NodeClass(AmiFamily::kBottlerocket)), Gi(20));
  EXPECT_EQ(EphemeralStorageCapacity(m5, NodeClass(AmiFamily::kCustom)), Gi(20));
  EXPECT_EQ(EphemeralStorageCapacity(m5, NodeClass(AmiFamily::kWindows2022)), Gi(50));
}

TEST(EphemeralStorageTest, Raid0UsesInstanceStoreInDecimalGb) {
  EC2NodeClass nc = NodeClass(AmiFamily::kAL2023);
  nc.instance_store_raid0 = true;
  EXPECT_EQ(EphemeralStorageCapacity(Type("p4d.24xlarge"), nc), Quantity::FromUnits(8000LL * 1000 * 1000 * 1000));
  // No NVMe: the usual rules.
  EXPECT_EQ(EphemeralStorageCapacity(Type("m5.large"), nc), Gi(20));
}

TEST(EphemeralStorageTest, BlockDeviceMappings) {
  const InstanceTypeInfo& m5 = Type("m5.large");
  model::BlockDeviceMapping root{"/dev/xvdz", true, {}};
  root.ebs.volume_size = Gi(100);
  model::BlockDeviceMapping xvda{"/dev/xvda", false, {}};
  xvda.ebs.volume_size = Gi(80);
  model::BlockDeviceMapping xvdb{"/dev/xvdb", false, {}};
  xvdb.ebs.volume_size = Gi(60);

  EC2NodeClass nc = NodeClass(AmiFamily::kAL2023);
  nc.block_device_mappings = {xvda, root};
  EXPECT_EQ(EphemeralStorageCapacity(m5, nc), Gi(100));  // rootVolume first
  nc.block_device_mappings = {xvdb, xvda};
  EXPECT_EQ(EphemeralStorageCapacity(m5, nc), Gi(80));  // AL2023 data device
  nc.block_device_mappings = {xvdb};
  EXPECT_EQ(EphemeralStorageCapacity(m5, nc), Gi(20));  // not the data device: default
  nc.ami_family = AmiFamily::kBottlerocket;
  nc.block_device_mappings = {xvda, xvdb};
  EXPECT_EQ(EphemeralStorageCapacity(m5, nc), Gi(60));
  nc.ami_family = AmiFamily::kCustom;
  nc.block_device_mappings = {xvda, xvdb};
  EXPECT_EQ(EphemeralStorageCapacity(m5, nc), Gi(60));  // the last mapping
  model::BlockDeviceMapping sized_by_snapshot{"/dev/xvdc", false, {}};
  nc.block_device_mappings = {xvda, sized_by_snapshot};
  EXPECT_EQ(EphemeralStorageCapacity(m5, nc), Gi(20));
}

TEST(CapacityTest, AcceleratorsAndEfa) {
  const EC2NodeClass nc = NodeClass(AmiFamily::kAL2023);
  const CapacityOptions opts;
  auto p5 = ComputeCapacity(Type("p5.48xlarge"), nc, opts);
  EXPECT_EQ(p5.Get(resource::kNvidiaGpu), Quantity::FromUnits(8));
  EXPECT_EQ(p5.Get(resource::kEfa), Quantity::FromUnits(32));
  EXPECT_EQ(p5.Get(resource::kCpu), Quantity::FromUnits(192));
  EXPECT_FALSE(p5.Has(resource::kAmdGpu));

  EXPECT_EQ(ComputeCapacity(Type("g4ad.xlarge"), nc, opts).Get(resource::kAmdGpu), Quantity::FromUnits(1));
  EXPECT_EQ(ComputeCapacity(Type("dl1.24xlarge"), nc, opts).Get(resource::kHabanaGaudi), Quantity::FromUnits(8));
  auto trn1 = ComputeCapacity(Type("trn1.32xlarge"), nc, opts);
  EXPECT_EQ(trn1.Get(resource::kNeuron), Quantity::FromUnits(16));
  EXPECT_EQ(trn1.Get(resource::kNeuronCore), Quantity::FromUnits(32));
  EXPECT_EQ(trn1.Get(resource::kEfa), Quantity::FromUnits(8));
  // Qualcomm accelerators are not Neuron devices.
  EXPECT_FALSE(ComputeCapacity(Type("dl2q.24xlarge"), nc, opts).Has(resource::kNeuron));
  // Fractional GPUs expose no whole GPU.
  EXPECT_FALSE(ComputeCapacity(Type("g6f.large"), nc, opts).Has(resource::kNvidiaGpu));

  auto m5 = ComputeCapacity(Type("m5.large"), nc, opts);
  EXPECT_EQ(m5.entries().size(), 4u);  // cpu, ephemeral-storage, memory, pods
  EXPECT_FALSE(m5.Has(kPrivateIpv4Address));
  auto windows = ComputeCapacity(Type("m5.large"), NodeClass(AmiFamily::kWindows2022), opts);
  EXPECT_EQ(windows.Get(kPrivateIpv4Address), Quantity::FromUnits(9));
}

TEST(OverheadTest, M5LargeAl2023Defaults) {
  // Spec §4.2's worked example.
  const EC2NodeClass nc = NodeClass(AmiFamily::kAL2023);
  const CapacityOptions opts;
  const InstanceTypeInfo& m5 = Type("m5.large");
  auto cap = ComputeCapacity(m5, nc, opts);
  Overhead o = ComputeOverhead(m5, nc, opts, cap);
  EXPECT_EQ(o.kube_reserved.Get(resource::kCpu), Quantity::FromMilli(70));
  EXPECT_EQ(o.kube_reserved.Get(resource::kMemory), Mi(574));
  EXPECT_EQ(o.kube_reserved.Get(resource::kEphemeralStorage), Gi(1));
  EXPECT_TRUE(o.system_reserved.empty());
  EXPECT_EQ(o.eviction_threshold.Get(resource::kMemory), Mi(100));
  EXPECT_EQ(o.eviction_threshold.Get(resource::kEphemeralStorage), Gi(2));
  auto total = o.Total();
  EXPECT_EQ(total.Get(resource::kMemory), Mi(674));
  EXPECT_EQ(total.Get(resource::kEphemeralStorage), Gi(3));
}

TEST(OverheadTest, KubeReservedMemoryPodCount) {
  const InstanceTypeInfo& m5 = Type("m5.large");
  const CapacityOptions opts;
  // AL2/AL2023/Custom: ENI-limited pods whatever maxPods says.
  for (AmiFamily f : {AmiFamily::kAL2, AmiFamily::kAL2023, AmiFamily::kCustom}) {
    EC2NodeClass nc = NodeClass(f);
    nc.kubelet.max_pods = 110;
    auto o = ComputeOverhead(m5, nc, opts, ComputeCapacity(m5, nc, opts));
    EXPECT_EQ(o.kube_reserved.Get(resource::kMemory), Mi(11 * 29 + 255));
  }
  // Bottlerocket: the pods capacity.
  EC2NodeClass br = NodeClass(AmiFamily::kBottlerocket);
  br.kubelet.max_pods = 50;
  EXPECT_EQ(ComputeOverhead(m5, br, opts, ComputeCapacity(m5, br, opts)).kube_reserved.Get(resource::kMemory),
            Mi(11 * 50 + 255));
  // Windows: 110 pods.
  EC2NodeClass win = NodeClass(AmiFamily::kWindows2022);
  EXPECT_EQ(ComputeOverhead(m5, win, opts, ComputeCapacity(m5, win, opts)).kube_reserved.Get(resource::kMemory),
            Mi(11 * 110 + 255));
  // Prefix delegation: the prefix figure is the network limit.
  CapacityOptions pd;
  pd.prefix_delegation = true;
  EC2NodeClass al2023 = NodeClass(AmiFamily::kAL2023);
  EXPECT_EQ(ComputeOverhead(m5, al2023, pd, ComputeCapacity(m5, al2023, pd)).kube_reserved.Get(resource::kMemory),
            Mi(11 * 110 + 255));
}

TEST(OverheadTest, KubeAndSystemReservedOverrides) {
  const InstanceTypeInfo& m5 = Type("m5.large");
  const CapacityOptions opts;
  EC2NodeClass nc = NodeClass(AmiFamily::kAL2023);
  nc.kubelet.kube_reserved.Set(resource::kCpu, Quantity::FromMilli(500));
  nc.kubelet.system_reserved.Set(resource::kMemory, Mi(300));
  nc.kubelet.system_reserved.Set(resource::kCpu, Quantity::FromMilli(100));
  auto o = ComputeOverhead(m5, nc, opts, ComputeCapacity(m5, nc, opts));
  EXPECT_EQ(o.kube_reserved.Get(resource::kCpu), Quantity::FromMilli(500));
  EXPECT_EQ(o.kube_reserved.Get(resource::kMemory), Mi(574));  // untouched keys keep defaults
  EXPECT_EQ(o.system_reserved.Get(resource::kMemory), Mi(300));
  EXPECT_EQ(o.Total().Get(resource::kCpu), Quantity::FromMilli(600));
  EXPECT_EQ(o.Total().Get(resource::kMemory), Mi(574 + 300 + 100));
}

TEST(OverheadTest, EvictionHardOverrides) {
  const InstanceTypeInfo& m5 = Type("m5.large");
  const CapacityOptions opts;
  EC2NodeClass nc = NodeClass(AmiFamily::kAL2023);
  nc.kubelet.eviction_hard["memory.available"] = model::EvictionThreshold{Mi(500), std::nullopt};
  nc.kubelet.eviction_hard["nodefs.available"] = model::EvictionThreshold{std::nullopt, 15.0};
  auto cap = ComputeCapacity(m5, nc, opts);
  auto o = ComputeOverhead(m5, nc, opts, cap);
  EXPECT_EQ(o.eviction_threshold.Get(resource::kMemory), Mi(500));
  // 20Gi × 15% is a whole number of bytes.
  EXPECT_EQ(o.eviction_threshold.Get(resource::kEphemeralStorage), Quantity::Bytes((20LL << 30) * 15 / 100));

  nc.kubelet.eviction_hard["memory.available"] = model::EvictionThreshold{std::nullopt, 5.0};
  nc.kubelet.eviction_hard["nodefs.available"] = model::EvictionThreshold{std::nullopt, 100.0};
  o = ComputeOverhead(m5, nc, opts, cap);
  // ceil(7577Mi × 5%) = ceil(397253017.6) bytes
  EXPECT_EQ(o.eviction_threshold.Get(resource::kMemory), Quantity::Bytes(397253018));
  EXPECT_EQ(o.eviction_threshold.Get(resource::kEphemeralStorage), Quantity::Bytes(0));  // 100% disables
}

}  // namespace
}  // namespace adze::catalog
