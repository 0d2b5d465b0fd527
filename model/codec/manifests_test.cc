#include "model/codec/manifests.h"

#include <string>

#include <gtest/gtest.h>

#include "model/codec/test_util.h"

namespace adze::codec {
namespace {

using testing::DecodeOk;
using testing::ErrorOf;
using testing::WarningsOf;

// Shaped like `kubectl get pods -o yaml`: a v1 List whose items carry
// managedFields, status blocks and every server-set metadata field.
constexpr std::string_view kKubectlPods = R"(apiVersion: v1
items:
- apiVersion: v1
  kind: Pod
  metadata:
    creationTimestamp: "2024-05-01T10:00:00Z"
    generateName: web-7d4b9c-
    labels:
      app: web
      pod-template-hash: 7d4b9c
    managedFields:
    - apiVersion: v1
      fieldsType: FieldsV1
      fieldsV1:
        f:metadata:
          f:generateName: {}
      manager: kube-controller-manager
      operation: Update
      time: "2024-05-01T10:00:00Z"
    name: web-7d4b9c-x2x9z
    namespace: shop
    ownerReferences:
    - apiVersion: apps/v1
      blockOwnerDeletion: true
      controller: true
      kind: ReplicaSet
      name: web-7d4b9c
      uid: 5d1c
    resourceVersion: "123456"
    uid: 9f2e
  spec:
    containers:
    - image: nginx:1.27
      imagePullPolicy: IfNotPresent
      name: web
      resources:
        limits:
          cpu: "1"
          memory: 512Mi
        requests:
          cpu: 250m
      terminationMessagePath: /dev/termination-log
      terminationMessagePolicy: File
      volumeMounts:
      - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
        name: kube-api-access-abcde
        readOnly: true
    dnsPolicy: ClusterFirst
    enableServiceLinks: true
    nodeName: ip-10-0-1-23.us-west-2.compute.internal
    preemptionPolicy: PreemptLowerPriority
    priority: 0
    restartPolicy: Always
    schedulerName: default-scheduler
    securityContext: {}
    serviceAccount: default
    serviceAccountName: default
    terminationGracePeriodSeconds: 30
    tolerations:
    - effect: NoExecute
      key: node.kubernetes.io/not-ready
      operator: Exists
      tolerationSeconds: 300
    - effect: NoExecute
      key: node.kubernetes.io/unreachable
      operator: Exists
      tolerationSeconds: 300
    volumes:
    - name: kube-api-access-abcde
      projected:
        defaultMode: 420
        sources:
        - serviceAccountToken:
            expirationSeconds: 3607
            path: token
  status:
    conditions:
    - lastProbeTime: null
      lastTransitionTime: "2024-05-01T10:00:05Z"
      status: "True"
      type: Ready
    containerStatuses:
    - name: web
      ready: true
      restartCount: 0
    hostIP: 10.0.1.23
    phase: Running
    podIP: 10.0.1.99
    qosClass: Burstable
    startTime: "2024-05-01T10:00:00Z"
- apiVersion: v1
  kind: Pod
  metadata:
    name: pending-gpu
    namespace: ml
  spec:
    containers:
    - name: cuda
      resources:
        limits:
          nvidia.com/gpu: "4"
  status:
    conditions:
    - lastProbeTime: null
      message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.'
      reason: Unschedulable
      status: "False"
      type: PodScheduled
    phase: Pending
kind: List
metadata:
  resourceVersion: ""
)";

TEST(ManifestsTest, KubectlPodList) {
  Manifests m = DecodeOk(kKubectlPods, "pods.yaml");
  EXPECT_TRUE(m.warnings.empty()) << m.warnings[0].ToString();
  ASSERT_EQ(m.pods.size(), 2u);
  const model::Pod& web = m.pods[0];
  EXPECT_EQ(web.meta.name, "web-7d4b9c-x2x9z");
  EXPECT_EQ(web.meta.namespace_, "shop");
  EXPECT_EQ(web.meta.owner, (model::OwnerReference{"ReplicaSet", "web-7d4b9c", true}));
  EXPECT_EQ(web.node_name, "ip-10-0-1-23.us-west-2.compute.internal");
  EXPECT_EQ(web.containers[0].requests.Get("cpu"), model::Quantity::FromMilli(250));
  EXPECT_EQ(web.containers[0].requests.Get("memory"), *model::Quantity::Parse("512Mi"));
  EXPECT_EQ(web.tolerations.size(), 2u);
  EXPECT_EQ(m.pods[1].meta.namespace_, "ml");
  EXPECT_EQ(m.pods[1].containers[0].requests.Get("nvidia.com/gpu"), model::Quantity::FromUnits(4));
}

constexpr std::string_view kJsonPod = R"({
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "name": "json-pod",
    "labels": {"app": "api"},
    "managedFields": [{"manager": "kubectl", "operation": "Update"}]
  },
  "spec": {
    "containers": [
      {
        "name": "api",
        "image": "api:1.0",
        "resources": {"requests": {"cpu": "2", "memory": "4Gi"}},
        "ports": [{"containerPort": 443, "hostPort": 443}]
      }
    ],
    "nodeSelector": {"karpenter.sh/capacity-type": "spot"}
  },
  "status": {"phase": "Pending"}
}
)";

TEST(ManifestsTest, JsonPod) {
  Manifests m = DecodeOk(kJsonPod, "pod.json");
  EXPECT_TRUE(m.warnings.empty());
  ASSERT_EQ(m.pods.size(), 1u);
  EXPECT_EQ(m.pods[0].meta.name, "json-pod");
  EXPECT_EQ(m.pods[0].containers[0].requests.Get("cpu"), model::Quantity::FromUnits(2));
  EXPECT_EQ(m.pods[0].containers[0].ports[0].host_port, 443);
  EXPECT_EQ(m.pods[0].node_selector.at("karpenter.sh/capacity-type"), "spot");
}

TEST(ManifestsTest, JsonSemanticErrorsArePositioned) {
  std::string json = R"({"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},
   "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "lots"}}}]}}
]}
)";
  EXPECT_EQ(ErrorOf(json, "pods.json"),
            "pods.json:3:76: items[0].spec.containers[0].resources.requests[cpu]: invalid quantity \"lots\": no "
            "digits (expected a number with an optional suffix, e.g. 500m, 2, 1.5Gi, 4k, 1e3)");
}

TEST(ManifestsTest, JsonSyntaxError) {
  EXPECT_EQ(ErrorOf("{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n}\n", "pod.json"),
            "pod.json:4:1: invalid JSON: syntax error while parsing object key - unexpected '}'; expected string "
            "literal");
  EXPECT_EQ(ErrorOf("[1, 2", "x.json"),
            "x.json:1:6: invalid JSON: syntax error while parsing array - unexpected end of input; expected ']'");
}

TEST(ManifestsTest, YamlSyntaxError) {
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   labels: {}\n", "pod.yaml"),
            "pod.yaml:5:10: invalid YAML: mapping values are not allowed in this context");
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: [a\n", "pod.yaml"),
            "pod.yaml:4:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)");
}

TEST(ManifestsTest, MultiDocumentMixedKinds) {
  std::string yaml = R"(---
# a comment-only document is skipped
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Node
metadata: {name: n}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec: {containers: [{name: c}]}
...
)";
  Manifests m = DecodeOk(yaml);
  ASSERT_EQ(m.pods.size(), 2u);
  EXPECT_EQ(m.pods[1].meta.name, "b");
  EXPECT_EQ(m.nodes.size(), 1u);
}

TEST(ManifestsTest, EmptyInputGivesNothing) {
  Manifests m = DecodeOk("");
  EXPECT_TRUE(m.pods.empty());
  EXPECT_TRUE(m.warnings.empty());
}

TEST(ManifestsTest, UnknownKindAndApiVersion) {
  EXPECT_EQ(ErrorOf("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\n", "app.yaml"),
            "app.yaml:2:7: kind: found \"StatefulSet\", expected a supported kind: karpenter.sh/v1 NodePool, "
            "karpenter.k8s.aws/v1 EC2NodeClass, v1 Pod, v1 Node, v1 List, apps/v1 Deployment, apps/v1 DaemonSet, "
            "batch/v1 Job, policy/v1 PodDisruptionBudget, v1 PersistentVolumeClaim, v1 PersistentVolume, "
            "storage.k8s.io/v1 StorageClass");
  EXPECT_EQ(ErrorOf("apiVersion: karpenter.sh/v1beta1\nkind: NodePool\nmetadata: {name: s}\n", "pool.yaml"),
            "pool.yaml:1:13: apiVersion: found \"karpenter.sh/v1beta1\", expected karpenter.sh/v1 for kind "
            "NodePool (supported: karpenter.sh/v1 NodePool, karpenter.k8s.aws/v1 EC2NodeClass, v1 Pod, v1 Node, "
            "v1 List, apps/v1 Deployment, apps/v1 DaemonSet, batch/v1 Job, policy/v1 PodDisruptionBudget, "
            "v1 PersistentVolumeClaim, v1 PersistentVolume, storage.k8s.io/v1 StorageClass)");
  EXPECT_EQ(ErrorOf("metadata: {name: s}\n"), "test.yaml:1:1: kind: required field is missing (expected a string)");
  EXPECT_EQ(ErrorOf("- a\n- b\n"),
            "test.yaml:1:1: found a list, expected a Kubernetes object (a map with apiVersion and kind)");
}

TEST(ManifestsTest, ErrorInsideListItemNamesItsIndex) {
  std::string yaml = R"(apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: a}
    spec: {containers: [{name: c}]}
  - apiVersion: v1
    kind: Pod
    metadata: {name: b}
    spec:
      containers: [{name: c}]
      priority: high
)";
  EXPECT_EQ(ErrorOf(yaml), "test.yaml:13:17: items[1].spec.priority: found \"high\", expected an integer");
}

TEST(ManifestsTest, UnknownFieldsAreWarningsWithPositions) {
  std::string yaml = R"(apiVersion: v1
kind: Pod
metadata:
  name: a
  lables: {app: a}
spec:
  containers:
    - name: c
      resource: {requests: {cpu: 1}}
  nodeselector: {a: b}
)";
  EXPECT_EQ(WarningsOf(yaml, "pod.yaml"),
            "pod.yaml:5:3: metadata.lables: unknown field \"lables\" (ignored)\n"
            "pod.yaml:9:7: spec.containers[0].resource: unknown field \"resource\" (ignored)\n"
            "pod.yaml:10:3: spec.nodeselector: unknown field \"nodeselector\" (ignored)\n");
}

TEST(ManifestsTest, DuplicateFieldIsAnError) {
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Node\nmetadata:\n  name: a\n  name: b\n"),
            "test.yaml:5:3: metadata.name: duplicate field \"name\"");
}

TEST(ManifestsTest, AppendMovesEverything) {
  Manifests a = DecodeOk(kJsonPod, "pod.json");
  Manifests b = DecodeOk("apiVersion: v1\nkind: Node\nmetadata: {name: n, labelz: {}}\n");
  ASSERT_EQ(b.warnings.size(), 1u);
  ASSERT_TRUE(a.Append(std::move(b)).ok());
  EXPECT_EQ(a.pods.size(), 1u);
  EXPECT_EQ(a.nodes.size(), 1u);
  EXPECT_EQ(a.warnings.size(), 1u);
}

// Issue 15 classes 5 and 7: a second object of the same kind and name was
// kept (two pods planned under one name), or reported without a position.
TEST(ManifestsTest, DuplicateObjectsNameBothPlaces) {
  const std::string pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n";
  EXPECT_EQ(ErrorOf(pod + "---\n" + pod),
            "test.yaml:8:18: metadata.name: duplicate Pod default/p (first at test.yaml:3:18)");
  // Another namespace is another object.
  EXPECT_EQ(ErrorOf(pod + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\n"
                          "spec: {containers: [{name: c}]}\n"),
            "<no error>");
  Manifests a = DecodeOk(pod, "a.yaml");
  Manifests b = DecodeOk(pod, "b.yaml");
  Result<bool> appended = a.Append(std::move(b));
  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.error().message, "b.yaml:3:18: duplicate Pod default/p (first at a.yaml:3:18)");
}

// Issue 15 class 5: Kubernetes' own rules for names and label keys.
TEST(ManifestsTest, InvalidNamesAndLabelKeysAreRejected) {
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Node\nmetadata: {name: My Node}\n"),
            "test.yaml:3:18: metadata.name: invalid name \"My Node\": must consist of lower case alphanumeric "
            "characters, '-' or '.' (RFC 1123 subdomain)");
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Node\nmetadata: {name: n, labels: {a/b/c: x}}\n"),
            "test.yaml:3:37: metadata.labels[a/b/c]: invalid label key \"a/b/c\": name part must consist of "
            "alphanumeric characters, '-', '_' or '.' (one '/' may separate a DNS-subdomain prefix)");
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Node\nmetadata: {name: n, labels: {team: ml infra}}\n"),
            "test.yaml:3:36: metadata.labels[team]: invalid label value \"ml infra\": must consist of "
            "alphanumeric characters, '-', '_' or '.'");
  EXPECT_EQ(ErrorOf("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: b}\nspec:\n"
                    "  maxUnavailable: 1\n  selector: {matchLabels: {app: -web}}\n"),
            "test.yaml:6:33: spec.selector.matchLabels[app]: invalid label value \"-web\": must start and end with "
            "an alphanumeric character");
}

TEST(ManifestsTest, DiagnosticToString) {
  EXPECT_EQ((Diagnostic{"f.yaml", 3, 4, "spec.x", "bad"}).ToString(), "f.yaml:3:4: spec.x: bad");
  EXPECT_EQ((Diagnostic{"f.yaml", 3, 0, "", "bad"}).ToString(), "f.yaml:3: bad");
  EXPECT_EQ((Diagnostic{"f.yaml", 0, 0, "", "bad"}).ToString(), "f.yaml: bad");
}

}  // namespace
}  // namespace adze::codec
