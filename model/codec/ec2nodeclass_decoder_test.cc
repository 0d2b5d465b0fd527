#include "model/codec/ec2nodeclass_decoder.h"

#include <string>

#include <gtest/gtest.h>

#include "model/codec/test_util.h"

namespace adze::codec {
namespace {

using testing::DecodeOk;
using testing::ErrorOf;

constexpr std::string_view kNodeClass = R"(apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: gpu
spec:
  amiFamily: AL2023
  amiSelectorTerms:
    - alias: al2023@latest
  subnetSelectorTerms:
    - tags:
        karpenter.sh/discovery: my-cluster
    - id: subnet-0123
  securityGroupSelectorTerms:
    - tags:
        karpenter.sh/discovery: my-cluster
    - name: eks-cluster-sg
  capacityReservationSelectorTerms:
    - id: cr-0abc
    - tags: {team: ml}
      ownerID: "123456789012"
  role: KarpenterNodeRole-my-cluster
  tags:
    team: ml
  kubelet:
    maxPods: 110
    podsPerCore: 4
    kubeReserved:
      cpu: 200m
      memory: 1Gi
    systemReserved:
      ephemeral-storage: 2Gi
    evictionHard:
      memory.available: 5%
      nodefs.available: 500Mi
    clusterDNS: ["10.100.0.10"]
    imageGCHighThresholdPercent: 85
  blockDeviceMappings:
    - deviceName: /dev/xvda
      rootVolume: true
      ebs:
        volumeSize: 200Gi
        volumeType: gp3
        iops: 10000
        throughput: 500
        encrypted: true
        kmsKeyID: arn:aws:kms:us-west-2:111122223333:key/abcd
        deleteOnTermination: true
        volumeInitializationRate: 200
    - deviceName: /dev/xvdb
      ebs:
        snapshotID: snap-0123
  instanceStorePolicy: RAID0
  userData: |
    echo hello
  metadataOptions:
    httpEndpoint: enabled
    httpTokens: required
    httpPutResponseHopLimit: 1
  associatePublicIPAddress: false
  detailedMonitoring: true
  context: ctx
status:
  amis:
    - id: ami-0123
      name: al2023
  conditions:
    - type: Ready
      status: "True"
)";

TEST(EC2NodeClassDecoderTest, DecodesRealisticNodeClass) {
  Manifests m = DecodeOk(kNodeClass);
  EXPECT_TRUE(m.warnings.empty());
  ASSERT_EQ(m.node_classes.size(), 1u);
  const model::EC2NodeClass& c = m.node_classes[0];
  EXPECT_EQ(c.meta.name, "gpu");
  EXPECT_EQ(c.ami_family, model::AmiFamily::kAL2023);
  ASSERT_EQ(c.ami_selector_terms.size(), 1u);
  EXPECT_EQ(c.ami_selector_terms[0].alias, "al2023@latest");
  ASSERT_EQ(c.subnet_selector_terms.size(), 2u);
  EXPECT_EQ(c.subnet_selector_terms[0].tags.at("karpenter.sh/discovery"), "my-cluster");
  EXPECT_EQ(c.subnet_selector_terms[1].id, "subnet-0123");
  EXPECT_EQ(c.security_group_selector_terms[1].name, "eks-cluster-sg");
  ASSERT_EQ(c.capacity_reservation_selector_terms.size(), 2u);
  EXPECT_EQ(c.capacity_reservation_selector_terms[1].owner, "123456789012");
  EXPECT_EQ(c.role, "KarpenterNodeRole-my-cluster");
  EXPECT_EQ(c.tags.at("team"), "ml");
  EXPECT_EQ(c.kubelet.max_pods, 110);
  EXPECT_EQ(c.kubelet.pods_per_core, 4);
  EXPECT_EQ(c.kubelet.kube_reserved.Get("cpu"), model::Quantity::FromMilli(200));
  EXPECT_EQ(c.kubelet.system_reserved.Get("ephemeral-storage"), *model::Quantity::Parse("2Gi"));
  EXPECT_EQ(c.kubelet.eviction_hard.at("memory.available").percent, 5.0);
  EXPECT_EQ(c.kubelet.eviction_hard.at("nodefs.available").quantity, *model::Quantity::Parse("500Mi"));
  ASSERT_EQ(c.block_device_mappings.size(), 2u);
  const model::BlockDeviceMapping& root = c.block_device_mappings[0];
  EXPECT_TRUE(root.root_volume);
  EXPECT_EQ(root.ebs.volume_size, *model::Quantity::Parse("200Gi"));
  EXPECT_EQ(root.ebs.volume_type, "gp3");
  EXPECT_EQ(root.ebs.iops, 10000);
  EXPECT_EQ(root.ebs.throughput, 500);
  EXPECT_EQ(root.ebs.encrypted, true);
  EXPECT_EQ(root.ebs.delete_on_termination, true);
  EXPECT_EQ(root.ebs.volume_initialization_rate, 200);
  EXPECT_EQ(c.block_device_mappings[1].ebs.snapshot_id, "snap-0123");
  EXPECT_TRUE(c.instance_store_raid0);
  EXPECT_EQ(c.user_data, "echo hello\n");
}

// A valid node class with `extra` appended to spec (2-space indent); the
// first appended line is line 13.
std::string ClassWith(std::string_view extra) {
  return std::string(R"(apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: default
spec:
  amiSelectorTerms:
    - alias: al2023@latest
  subnetSelectorTerms:
    - tags: {karpenter.sh/discovery: c}
  securityGroupSelectorTerms:
    - tags: {karpenter.sh/discovery: c}
  role: NodeRole
)") + std::string(extra);
}

TEST(EC2NodeClassDecoderTest, MinimalIsValid) {
  Manifests m = DecodeOk(ClassWith(""));
  ASSERT_EQ(m.node_classes.size(), 1u);
  EXPECT_EQ(m.node_classes[0].ami_family, std::nullopt);
  EXPECT_EQ(m.node_classes[0].EffectiveAmiFamily(), model::AmiFamily::kAL2023);
}

TEST(EC2NodeClassDecoderTest, RoleXorInstanceProfile) {
  EXPECT_EQ(ErrorOf(ClassWith("  instanceProfile: MyProfile\n")),
            "test.yaml:13:20: spec.instanceProfile: role and instanceProfile are mutually exclusive; set exactly one");
  std::string neither = R"(apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: default
spec:
  amiSelectorTerms: [{alias: bottlerocket@latest}]
  subnetSelectorTerms: [{id: subnet-1}]
  securityGroupSelectorTerms: [{id: sg-1}]
)";
  EXPECT_EQ(ErrorOf(neither), "test.yaml:6:3: spec: one of role or instanceProfile is required");
}

TEST(EC2NodeClassDecoderTest, SelectorTermRules) {
  std::string yaml = R"(apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: default
spec:
  amiSelectorTerms:
    - alias: al2023@latest
    - id: ami-0123
  subnetSelectorTerms: [{id: subnet-1}]
  securityGroupSelectorTerms: [{id: sg-1}]
  role: NodeRole
)";
  EXPECT_EQ(ErrorOf(yaml), "test.yaml:7:14: spec.amiSelectorTerms[0].alias: a term with alias must be the only "
                           "amiSelectorTerm");
  std::string windows = R"(apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: default
spec:
  amiSelectorTerms:
    - alias: windows2022@v1
)";
  EXPECT_EQ(ErrorOf(windows), "test.yaml:7:14: spec.amiSelectorTerms[0].alias: found \"windows2022@v1\", expected "
                              "windows2022@latest (Windows supports only latest)");
  std::string no_family = R"(apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: default
spec:
  amiSelectorTerms:
    - tags: {Name: my-ami}
  subnetSelectorTerms: [{id: subnet-1}]
  securityGroupSelectorTerms: [{id: sg-1}]
  role: NodeRole
)";
  EXPECT_EQ(ErrorOf(no_family), "test.yaml:6:3: spec.amiFamily: required when amiSelectorTerms has no alias");
  std::string empty_term = R"(apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: default
spec:
  amiFamily: AL2
  amiSelectorTerms:
    - owner: amazon
)";
  EXPECT_EQ(ErrorOf(empty_term), "test.yaml:8:7: spec.amiSelectorTerms[0]: a selector term needs at least one of "
                                 "alias, id, name, tags or ssmParameter");
}

TEST(EC2NodeClassDecoderTest, RestrictedTag) {
  EXPECT_EQ(ErrorOf(ClassWith("  tags:\n    karpenter.sh/nodepool: x\n")),
            "test.yaml:14:28: spec.tags[karpenter.sh/nodepool]: tag key \"karpenter.sh/nodepool\" is set by "
            "Karpenter and may not be set by users");
}

TEST(EC2NodeClassDecoderTest, BlockDeviceMappingRules) {
  EXPECT_EQ(ErrorOf(ClassWith("  blockDeviceMappings:\n"
                              "    - deviceName: /dev/xvda\n"
                              "      ebs:\n"
                              "        volumeType: gp3\n")),
            "test.yaml:16:9: spec.blockDeviceMappings[0].ebs: ebs needs volumeSize or snapshotID");
  EXPECT_EQ(ErrorOf(ClassWith("  blockDeviceMappings:\n"
                              "    - {deviceName: /dev/xvda, rootVolume: true, ebs: {volumeSize: 20Gi}}\n"
                              "    - {deviceName: /dev/xvdb, rootVolume: true, ebs: {volumeSize: 20Gi}}\n")),
            "test.yaml:15:43: spec.blockDeviceMappings[1].rootVolume: at most one block device mapping may be the "
            "root volume");
  EXPECT_EQ(ErrorOf(ClassWith("  blockDeviceMappings:\n"
                              "    - ebs: {volumeSize: 20Gb}\n")),
            "test.yaml:14:25: spec.blockDeviceMappings[0].ebs.volumeSize: invalid quantity \"20Gb\": unknown suffix "
            "\"Gb\" (expected a number with an optional suffix, e.g. 500m, 2, 1.5Gi, 4k, 1e3)");
  EXPECT_EQ(ErrorOf(ClassWith("  blockDeviceMappings:\n"
                              "    - ebs: {volumeSize: 20Gi, volumeType: gp4}\n")),
            "test.yaml:14:43: spec.blockDeviceMappings[0].ebs.volumeType: found \"gp4\", expected one of standard, "
            "io1, io2, gp2, sc1, st1, gp3");
}

TEST(EC2NodeClassDecoderTest, KubeletRules) {
  EXPECT_EQ(ErrorOf(ClassWith("  kubelet:\n"
                              "    evictionHard:\n"
                              "      memory.available: 120%\n")),
            "test.yaml:15:25: spec.kubelet.evictionHard[memory.available]: found \"120%\", expected a percentage "
            "from 0% to 100% or a quantity such as 100Mi");
  // Issue 15 class 5: stod read these as NaN, infinity or hex.
  for (const char* bad : {"nan%", "inf%", "0x10%", " 5%"}) {
    EXPECT_NE(ErrorOf(ClassWith(std::string("  kubelet:\n"
                                            "    evictionHard:\n"
                                            "      memory.available: \"") + bad + "\"\n")),
              "<no error>")
        << bad;
  }
  EXPECT_EQ(ErrorOf(ClassWith("  kubelet:\n"
                              "    kubeReserved:\n"
                              "      gpu: 1\n")),
            "test.yaml:15:12: spec.kubelet.kubeReserved[gpu]: found key \"gpu\", expected one of cpu, memory, "
            "ephemeral-storage, pid");
  EXPECT_EQ(ErrorOf(ClassWith("  kubelet:\n"
                              "    maxPods: -3\n")),
            "test.yaml:14:14: spec.kubelet.maxPods: found -3, expected a non-negative integer");
}

TEST(EC2NodeClassDecoderTest, InstanceStorePolicy) {
  EXPECT_EQ(ErrorOf(ClassWith("  instanceStorePolicy: RAID1\n")),
            "test.yaml:13:24: spec.instanceStorePolicy: found \"RAID1\", expected one of RAID0");
}

}  // namespace
}  // namespace adze::codec
