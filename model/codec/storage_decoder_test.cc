// Tests for PersistentVolumeClaim, PersistentVolume and StorageClass
// decoding, and for pods' persistentVolumeClaim volumes.
#include "model/codec/storage_decoder.h"

#include <string>

#include <gtest/gtest.h>

#include "model/codec/test_util.h"
#include "model/labels.h"

namespace adze::codec {
namespace {

using testing::DecodeOk;
using testing::ErrorOf;
using testing::WarningsOf;

// Shaped like `kubectl get pvc,pv,sc -o yaml` output, status blocks included.
constexpr std::string_view kStorage = R"(apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: gp3
provisioner: ebs.csi.aws.com
parameters: {type: gp3}
reclaimPolicy: Delete
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
allowedTopologies:
  - matchLabelExpressions:
      - key: topology.ebs.csi.aws.com/zone
        values: [us-east-1a, us-east-1b]
  - matchLabelExpressions:
      - key: topology.kubernetes.io/zone
        values: [us-east-1c]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data-db-0
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 100Gi}}
  storageClassName: gp3
  volumeName: pvc-1234
status: {phase: Bound}
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pvc-1234
spec:
  capacity: {storage: 100Gi}
  accessModes: [ReadWriteOnce]
  csi: {driver: ebs.csi.aws.com, volumeHandle: vol-0abc}
  claimRef: {name: data-db-0, namespace: shop}
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions:
            - {key: topology.kubernetes.io/zone, operator: In, values: [us-east-1b]}
status: {phase: Bound}
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: local-0
spec:
  local: {path: /mnt/disk0}
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions:
            - {key: kubernetes.io/hostname, operator: In, values: [node-1]}
)";

TEST(StorageDecoderTest, DecodesClaimsVolumesAndClasses) {
  Manifests m = DecodeOk(kStorage);
  EXPECT_TRUE(m.warnings.empty());
  ASSERT_EQ(m.storage_classes.size(), 1u);
  const model::StorageClass& sc = m.storage_classes[0];
  EXPECT_EQ(sc.meta.name, "gp3");
  EXPECT_EQ(sc.provisioner, "ebs.csi.aws.com");
  EXPECT_EQ(sc.volume_binding_mode, model::VolumeBindingMode::kWaitForFirstConsumer);
  ASSERT_EQ(sc.allowed_topologies.size(), 2u);
  // The EBS CSI key reads as the zone label, as the AWS provider normalises it.
  EXPECT_EQ(sc.allowed_topologies[0].ToString(), "topology.kubernetes.io/zone In [us-east-1a us-east-1b]");
  EXPECT_EQ(sc.allowed_topologies[1].ToString(), "topology.kubernetes.io/zone In [us-east-1c]");

  ASSERT_EQ(m.volume_claims.size(), 1u);
  EXPECT_EQ(m.volume_claims[0].meta.namespace_, "shop");
  EXPECT_EQ(m.volume_claims[0].meta.name, "data-db-0");
  EXPECT_EQ(m.volume_claims[0].storage_class_name, "gp3");
  EXPECT_EQ(m.volume_claims[0].volume_name, "pvc-1234");

  ASSERT_EQ(m.volumes.size(), 2u);
  EXPECT_EQ(m.volumes[0].meta.name, "pvc-1234");
  ASSERT_EQ(m.volumes[0].node_affinity.size(), 1u);
  EXPECT_EQ(m.volumes[0].node_affinity[0].ToString(), "topology.kubernetes.io/zone In [us-east-1b]");
  EXPECT_FALSE(m.volumes[0].node_local);
  EXPECT_TRUE(m.volumes[1].node_local);
}

TEST(StorageDecoderTest, Defaults) {
  Manifests m = DecodeOk(
      "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\nprovisioner: p\n---\n"
      "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {}\n---\n"
      "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: v}\nspec: {}\n");
  ASSERT_EQ(m.storage_classes.size(), 1u);
  EXPECT_EQ(m.storage_classes[0].volume_binding_mode, model::VolumeBindingMode::kImmediate);
  EXPECT_TRUE(m.storage_classes[0].allowed_topologies.empty());
  ASSERT_EQ(m.volume_claims.size(), 1u);
  EXPECT_EQ(m.volume_claims[0].meta.namespace_, "default");
  EXPECT_EQ(m.volume_claims[0].storage_class_name, "");
  EXPECT_EQ(m.volume_claims[0].volume_name, "");
  ASSERT_EQ(m.volumes.size(), 1u);
  EXPECT_TRUE(m.volumes[0].node_affinity.empty());
}

// Each bad input names the file, line, column, field and what was expected.
TEST(StorageDecoderTest, BadInput) {
  struct Case {
    const char* name;
    std::string yaml;
    std::string error;
  };
  const std::string sc = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\n";
  const std::string pv = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: v}\n";
  const std::string pvc = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\n";
  const Case cases[] = {
      {"binding mode", sc + "provisioner: p\nvolumeBindingMode: Lazy\n",
       "sc.yaml:5:20: volumeBindingMode: found \"Lazy\", expected one of Immediate, WaitForFirstConsumer"},
      {"no provisioner", sc, "sc.yaml:1:1: provisioner: required field is missing (expected a string)"},
      {"topology without values",
       sc + "provisioner: p\nallowedTopologies:\n  - matchLabelExpressions:\n      - {key: topology.kubernetes.io/zone}\n",
       "sc.yaml:7:9: allowedTopologies[0].matchLabelExpressions[0].values: found nothing, expected a non-empty list "
       "of label values"},
      {"empty topology term", sc + "provisioner: p\nallowedTopologies:\n  - matchLabelExpressions: []\n",
       "sc.yaml:6:28: allowedTopologies[0].matchLabelExpressions: a topology term needs at least one expression"},
      {"pv operator",
       pv + "spec:\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n        - matchExpressions:\n"
            "            - {key: topology.kubernetes.io/zone, operator: Within, values: [a]}\n",
       "sc.yaml:9:60: spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].operator: found "
       "\"Within\", expected one of In, NotIn, Exists, DoesNotExist, Gt, Lt"},
      {"pv no terms", pv + "spec:\n  nodeAffinity:\n    required: {nodeSelectorTerms: []}\n",
       "sc.yaml:6:35: spec.nodeAffinity.required.nodeSelectorTerms: at least one node selector term is required"},
      {"pvc without spec", pvc, "sc.yaml:1:1: spec: required field is missing (expected a map)"},
      {"pvc volumeName list", pvc + "spec:\n  volumeName: [a]\n",
       "sc.yaml:5:15: spec.volumeName: found a list, expected a string"},
  };
  for (const Case& c : cases) EXPECT_EQ(ErrorOf(c.yaml, "sc.yaml"), c.error) << c.name;
}

TEST(StorageDecoderTest, PodVolumes) {
  Manifests m = DecodeOk(R"(apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: shop}
spec:
  containers: [{name: db, volumeMounts: [{name: data, mountPath: /data}]}]
  volumes:
    - {name: data, persistentVolumeClaim: {claimName: data-db-0}}
    - {name: logs, persistentVolumeClaim: {claimName: logs-db-0, readOnly: true}}
    - {name: tmp, emptyDir: {}}
    - {name: conf, configMap: {name: db}}
)");
  ASSERT_EQ(m.pods.size(), 1u);
  EXPECT_EQ(m.pods[0].volume_claims, (std::vector<std::string>{"data-db-0", "logs-db-0"}));
  EXPECT_TRUE(m.warnings.empty());

  const std::string pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c}]\n";
  EXPECT_EQ(ErrorOf(pod + "  volumes:\n    - {name: d, persistentVolumeClaim: {readOnly: true}}\n", "pod.yaml"),
            "pod.yaml:7:40: spec.volumes[0].persistentVolumeClaim.claimName: required field is missing (expected "
            "a string)");
  EXPECT_EQ(ErrorOf(pod + "  volumes:\n    - {persistentVolumeClaim: {claimName: a}}\n", "pod.yaml"),
            "pod.yaml:7:7: spec.volumes[0].name: required field is missing (expected a string)");
  EXPECT_EQ(WarningsOf(pod + "  volumes:\n    - {name: e, ephemeral: {volumeClaimTemplate: {spec: {}}}}\n", "pod.yaml"),
            "pod.yaml:7:28: spec.volumes[0].ephemeral: ephemeral volumes are not modelled (their PVC does not "
            "constrain the node)\n");
}

}  // namespace
}  // namespace adze::codec
