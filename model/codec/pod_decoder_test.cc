// Tests for pods, pod templates, workloads and nodes.
#include "model/codec/pod_decoder.h"

#include <string>

#include <gtest/gtest.h>

#include "model/codec/test_util.h"

namespace adze::codec {
namespace {

using testing::DecodeOk;
using testing::ErrorOf;
using testing::WarningsOf;

constexpr std::string_view kTrainingPod = R"(apiVersion: v1
kind: Pod
metadata:
  name: trainer-0
  uid: 1234-abcd
  labels:
    app: trainer
  annotations:
    karpenter.sh/do-not-disrupt: "true"
  ownerReferences:
    - apiVersion: v1
      kind: ConfigMap
      name: not-the-controller
      uid: x
    - apiVersion: batch/v1
      kind: Job
      name: trainer
      uid: y
      controller: true
      blockOwnerDeletion: true
spec:
  serviceAccountName: trainer
  securityContext: {runAsUser: 1000}
  volumes:
    - name: data
      emptyDir: {}
  initContainers:
    - name: fetch
      image: busybox
      command: [sh, -c, "wget data"]
      resources:
        requests: {cpu: "2", memory: 1Gi}
    - name: log-shipper
      image: fluent-bit
      restartPolicy: Always
      resources:
        requests: {cpu: 100m, memory: 128Mi}
  containers:
    - name: train
      image: pytorch:2.3
      args: ["--epochs", "3"]
      env:
        - {name: RANK, value: "0"}
      volumeMounts:
        - {name: data, mountPath: /data}
      livenessProbe:
        exec: {command: [true]}
      ports:
        - containerPort: 8080
          hostPort: 18080
          protocol: UDP
          name: metrics
      resources:
        requests:
          cpu: 3500m
          memory: 30Gi
        limits:
          memory: 30Gi
          nvidia.com/gpu: 1
  overhead:
    cpu: 250m
  nodeSelector:
    beta.kubernetes.io/arch: amd64
    karpenter.sh/capacity-type: on-demand
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - key: karpenter.k8s.aws/instance-gpu-name
                operator: In
                values: [a10g, l4]
              - key: karpenter.k8s.aws/instance-gpu-memory
                operator: Gt
                values: ["16000"]
          - matchExpressions:
              - key: failure-domain.beta.kubernetes.io/zone
                operator: Exists
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 40
          preference:
            matchExpressions:
              - {key: karpenter.sh/capacity-type, operator: In, values: [spot]}
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector:
            matchLabels: {app: trainer}
          topologyKey: kubernetes.io/hostname
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 10
          podAffinityTerm:
            labelSelector:
              matchExpressions:
                - {key: tier, operator: NotIn, values: [batch]}
            namespaces: [ml, default]
            topologyKey: topology.kubernetes.io/zone
            matchLabelKeys: [pod-template-hash]
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector:
            matchExpressions:
              - {key: app, operator: Exists}
          topologyKey: topology.kubernetes.io/zone
  tolerations:
    - key: nvidia.com/gpu
      operator: Exists
      effect: NoSchedule
    - key: node.kubernetes.io/not-ready
      operator: Exists
      effect: NoExecute
      tolerationSeconds: 300
    - operator: Exists
  topologySpreadConstraints:
    - maxSkew: 2
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: DoNotSchedule
      labelSelector:
        matchLabels: {app: trainer}
      minDomains: 3
      nodeAffinityPolicy: Ignore
      nodeTaintsPolicy: Honor
      matchLabelKeys: [pod-template-hash]
  priority: 1000
  priorityClassName: high
  schedulerName: my-scheduler
  terminationGracePeriodSeconds: 120
  dnsPolicy: ClusterFirst
  restartPolicy: Never
status:
  phase: Pending
)";

TEST(PodDecoderTest, DecodesEverySchedulingField) {
  Manifests m = DecodeOk(kTrainingPod);
  EXPECT_EQ(testing::WarningsOf(kTrainingPod), "");
  ASSERT_EQ(m.pods.size(), 1u);
  const model::Pod& p = m.pods[0];
  EXPECT_EQ(p.meta.name, "trainer-0");
  EXPECT_EQ(p.meta.namespace_, "default");
  EXPECT_EQ(p.meta.uid, "1234-abcd");
  EXPECT_EQ(p.meta.labels.at("app"), "trainer");
  EXPECT_EQ(p.meta.annotations.at("karpenter.sh/do-not-disrupt"), "true");
  ASSERT_TRUE(p.meta.owner.has_value());
  EXPECT_EQ(*p.meta.owner, (model::OwnerReference{"Job", "trainer", true}));

  ASSERT_EQ(p.init_containers.size(), 2u);
  EXPECT_FALSE(p.init_containers[0].restart_always);
  EXPECT_TRUE(p.init_containers[1].restart_always);
  ASSERT_EQ(p.containers.size(), 1u);
  const model::Container& c = p.containers[0];
  EXPECT_EQ(c.name, "train");
  EXPECT_EQ(c.image, "pytorch:2.3");
  EXPECT_EQ(c.requests.Get("cpu"), model::Quantity::FromMilli(3500));
  // A limit without a request is requested at the limit.
  EXPECT_EQ(c.requests.Get("nvidia.com/gpu"), model::Quantity::FromUnits(1));
  EXPECT_EQ(c.limits.Get("memory"), *model::Quantity::Parse("30Gi"));
  ASSERT_EQ(c.ports.size(), 1u);
  EXPECT_EQ(c.ports[0], (model::ContainerPort{8080, 18080, "", "UDP"}));
  EXPECT_EQ(p.overhead.Get("cpu"), model::Quantity::FromMilli(250));

  EXPECT_EQ(p.node_selector, (model::Labels{{"kubernetes.io/arch", "amd64"},
                                            {"karpenter.sh/capacity-type", "on-demand"}}));
  ASSERT_EQ(p.required_node_affinity.size(), 2u);
  EXPECT_EQ(p.required_node_affinity[0].size(), 2u);
  EXPECT_TRUE(p.required_node_affinity[0].Get("karpenter.k8s.aws/instance-gpu-name").Has("l4"));
  EXPECT_EQ(p.required_node_affinity[0].Get("karpenter.k8s.aws/instance-gpu-memory").lower_bound(), 16001);
  EXPECT_TRUE(p.required_node_affinity[1].Has("topology.kubernetes.io/zone"));
  ASSERT_EQ(p.preferred_node_affinity.size(), 1u);
  EXPECT_EQ(p.preferred_node_affinity[0].weight, 40);
  EXPECT_TRUE(p.preferred_node_affinity[0].requirements.Get("karpenter.sh/capacity-type").Has("spot"));

  ASSERT_EQ(p.required_pod_anti_affinity.size(), 1u);
  EXPECT_EQ(p.required_pod_anti_affinity[0].topology_key, "kubernetes.io/hostname");
  EXPECT_EQ(p.required_pod_anti_affinity[0].label_selector->match_labels.at("app"), "trainer");
  ASSERT_EQ(p.preferred_pod_anti_affinity.size(), 1u);
  EXPECT_EQ(p.preferred_pod_anti_affinity[0].weight, 10);
  EXPECT_EQ(p.preferred_pod_anti_affinity[0].term.namespaces, (std::vector<std::string>{"ml", "default"}));
  EXPECT_EQ(p.preferred_pod_anti_affinity[0].term.match_label_keys, (std::vector<std::string>{"pod-template-hash"}));
  EXPECT_EQ(p.preferred_pod_anti_affinity[0].term.label_selector->match_expressions[0].op,
            model::LabelSelectorRequirement::Op::kNotIn);
  ASSERT_EQ(p.required_pod_affinity.size(), 1u);
  EXPECT_TRUE(p.preferred_pod_affinity.empty());

  ASSERT_EQ(p.tolerations.size(), 3u);
  EXPECT_EQ(p.tolerations[0].op, model::Toleration::Op::kExists);
  EXPECT_EQ(p.tolerations[0].effect, model::TaintEffect::kNoSchedule);
  EXPECT_EQ(p.tolerations[1].toleration_seconds, 300);
  EXPECT_EQ(p.tolerations[2].key, "");
  EXPECT_EQ(p.tolerations[2].effect, std::nullopt);

  ASSERT_EQ(p.topology_spread.size(), 1u);
  const model::TopologySpreadConstraint& t = p.topology_spread[0];
  EXPECT_EQ(t.max_skew, 2);
  EXPECT_EQ(t.min_domains, 3);
  EXPECT_EQ(t.node_affinity_policy, model::TopologySpreadConstraint::Policy::kIgnore);
  EXPECT_EQ(t.node_taints_policy, model::TopologySpreadConstraint::Policy::kHonor);
  EXPECT_EQ(t.match_label_keys, (std::vector<std::string>{"pod-template-hash"}));

  EXPECT_EQ(p.priority, 1000);
  EXPECT_EQ(p.priority_class_name, "high");
  EXPECT_EQ(p.scheduler_name, "my-scheduler");
  EXPECT_EQ(p.termination_grace_period_seconds, 120);
}

// A pod whose spec continues with `extra` (2-space indent) from line 9.
std::string PodWith(std::string_view extra) {
  return std::string(R"(apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: ml
spec:
  containers:
    - name: c
)") + std::string(extra);
}

TEST(PodDecoderTest, Defaults) {
  Manifests m = DecodeOk(PodWith(""));
  ASSERT_EQ(m.pods.size(), 1u);
  const model::Pod& p = m.pods[0];
  EXPECT_EQ(p.meta.namespace_, "ml");
  EXPECT_EQ(p.meta.owner, std::nullopt);
  EXPECT_EQ(p.scheduler_name, "default-scheduler");
  EXPECT_EQ(p.termination_grace_period_seconds, 30);
  EXPECT_EQ(p.priority, 0);
  EXPECT_TRUE(p.containers[0].requests.empty());
}

TEST(PodDecoderTest, HostNetworkDefaultsHostPorts) {
  Manifests m = DecodeOk(PodWith("      ports: [{containerPort: 9100}]\n"
                                 "  hostNetwork: true\n"));
  ASSERT_EQ(m.pods.size(), 1u);
  EXPECT_EQ(m.pods[0].containers[0].ports[0].host_port, 9100);
}

TEST(PodDecoderTest, MatchFieldsIsRejected) {
  EXPECT_EQ(ErrorOf(PodWith("  affinity:\n"
                            "    nodeAffinity:\n"
                            "      requiredDuringSchedulingIgnoredDuringExecution:\n"
                            "        nodeSelectorTerms:\n"
                            "          - matchFields:\n"
                            "              - {key: metadata.name, operator: In, values: [n1]}\n")),
            "test.yaml:14:15: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
            "nodeSelectorTerms[0].matchFields: matchFields is not supported");
}

TEST(PodDecoderTest, NodeSelectorRequirementRules) {
  EXPECT_EQ(ErrorOf(PodWith("  affinity:\n"
                            "    nodeAffinity:\n"
                            "      requiredDuringSchedulingIgnoredDuringExecution:\n"
                            "        nodeSelectorTerms:\n"
                            "          - matchExpressions:\n"
                            "              - {key: zone, operator: NotIn}\n")),
            "test.yaml:14:17: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
            "nodeSelectorTerms[0].matchExpressions[0].values: operator NotIn requires at least one value");
  // Gte is Karpenter-only; core node affinity does not have it.
  EXPECT_EQ(ErrorOf(PodWith("  affinity:\n"
                            "    nodeAffinity:\n"
                            "      preferredDuringSchedulingIgnoredDuringExecution:\n"
                            "        - weight: 1\n"
                            "          preference:\n"
                            "            matchExpressions:\n"
                            "              - {key: cpu, operator: Gte, values: [\"4\"]}\n")),
            "test.yaml:15:38: spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]."
            "preference.matchExpressions[0].operator: found \"Gte\", expected one of In, NotIn, Exists, "
            "DoesNotExist, Gt, Lt");
}

TEST(PodDecoderTest, BadQuantity) {
  EXPECT_EQ(ErrorOf(PodWith("      resources:\n"
                            "        requests:\n"
                            "          memory: 4 GiB\n")),
            "test.yaml:11:19: spec.containers[0].resources.requests[memory]: invalid quantity \"4 GiB\": unknown "
            "suffix \" GiB\" (expected a number with an optional suffix, e.g. 500m, 2, 1.5Gi, 4k, 1e3)");
}

// Issue 15 class 5: the API server rejects both; adze accepted them.
TEST(PodDecoderTest, NegativeAndFractionalDeviceRequestsAreRejected) {
  EXPECT_EQ(ErrorOf(PodWith("      resources:\n"
                            "        requests:\n"
                            "          cpu: -1\n")),
            "test.yaml:11:16: spec.containers[0].resources.requests[cpu]: must be greater than or equal to 0, "
            "found -1");
  EXPECT_EQ(ErrorOf(PodWith("      resources:\n"
                            "        limits:\n"
                            "          nvidia.com/gpu: 0.5\n")),
            "test.yaml:11:27: spec.containers[0].resources.limits[nvidia.com/gpu]: must be a whole number for the "
            "extended resource nvidia.com/gpu, found 500m");
  // Fractions of core resources stay legal.
  EXPECT_EQ(ErrorOf(PodWith("      resources:\n"
                            "        requests: {cpu: 500m, nvidia.com/gpu: 1}\n")),
            "<no error>");
}

TEST(PodDecoderTest, TolerationAndSpreadRules) {
  EXPECT_EQ(ErrorOf(PodWith("  tolerations:\n"
                            "    - {key: a, operator: Exists, value: b}\n")),
            "test.yaml:10:41: spec.tolerations[0].value: value must be empty when operator is Exists");
  EXPECT_EQ(ErrorOf(PodWith("  tolerations:\n"
                            "    - {key: a, operator: Equals}\n")),
            "test.yaml:10:26: spec.tolerations[0].operator: found \"Equals\", expected one of Equal, Exists");
  EXPECT_EQ(ErrorOf(PodWith("  topologySpreadConstraints:\n"
                            "    - maxSkew: 0\n"
                            "      topologyKey: zone\n"
                            "      whenUnsatisfiable: DoNotSchedule\n")),
            "test.yaml:10:16: spec.topologySpreadConstraints[0].maxSkew: found 0, expected an integer >= 1");
  EXPECT_EQ(ErrorOf(PodWith("  topologySpreadConstraints:\n"
                            "    - maxSkew: 1\n"
                            "      topologyKey: zone\n")),
            "test.yaml:10:7: spec.topologySpreadConstraints[0].whenUnsatisfiable: required field is missing "
            "(expected one of DoNotSchedule, ScheduleAnyway)");
}

TEST(PodDecoderTest, NamespaceSelectorIsWarnedAsNotModelled) {
  std::string yaml = PodWith(
      "  affinity:\n"
      "    podAffinity:\n"
      "      requiredDuringSchedulingIgnoredDuringExecution:\n"
      "        - topologyKey: zone\n"
      "          namespaceSelector: {}\n");
  EXPECT_EQ(WarningsOf(yaml), "test.yaml:13:30: spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuring"
                              "Execution[0].namespaceSelector: namespaceSelector is not modelled (ignored)\n");
}

TEST(PodDecoderTest, NeedsAContainer) {
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\n"),
            "test.yaml:5:15: spec.containers: a pod needs at least one container");
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"),
            "test.yaml:1:1: spec: required field is missing (expected a map)");
}

constexpr std::string_view kWorkloads = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  strategy: {type: RollingUpdate}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
          resources: {requests: {cpu: 500m}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: one}
spec:
  selector: {matchLabels: {app: one}}
  template:
    spec:
      containers: [{name: c}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: train}
spec:
  parallelism: 8
  completions: 16
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, resources: {limits: {nvidia.com/gpu: 8}}}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      containers: [{name: c}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter, namespace: monitoring}
spec:
  selector: {matchLabels: {app: node-exporter}}
  updateStrategy: {type: RollingUpdate}
  template:
    metadata: {labels: {app: node-exporter}}
    spec:
      hostNetwork: true
      tolerations: [{operator: Exists}]
      containers:
        - name: exporter
          ports: [{containerPort: 9100}]
          resources: {requests: {cpu: 100m, memory: 64Mi}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  minAvailable: "50%"
  selector: {matchLabels: {app: web}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: train}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: train}}
)";

TEST(WorkloadDecoderTest, DecodesWorkloads) {
  Manifests m = DecodeOk(kWorkloads);
  EXPECT_TRUE(m.warnings.empty());
  ASSERT_EQ(m.deployments.size(), 2u);
  const model::Deployment& d = m.deployments[0];
  EXPECT_EQ(d.meta.name, "web");
  EXPECT_EQ(d.replicas, 3);
  EXPECT_EQ(d.selector.match_labels.at("app"), "web");
  EXPECT_EQ(d.pod_template.meta.namespace_, "shop");
  EXPECT_EQ(d.pod_template.meta.labels.at("app"), "web");
  EXPECT_EQ(d.pod_template.meta.owner, (model::OwnerReference{"Deployment", "web", true}));
  EXPECT_EQ(d.pod_template.containers[0].requests.Get("cpu"), model::Quantity::FromMilli(500));
  EXPECT_EQ(m.deployments[1].replicas, 1);  // default
  EXPECT_EQ(m.deployments[1].meta.namespace_, "default");

  ASSERT_EQ(m.jobs.size(), 2u);
  EXPECT_EQ(m.jobs[0].parallelism, 8);
  EXPECT_EQ(m.jobs[0].completions, 16);
  EXPECT_EQ(m.jobs[0].pod_template.containers[0].requests.Get("nvidia.com/gpu"), model::Quantity::FromUnits(8));
  EXPECT_EQ(m.jobs[0].pod_template.meta.owner->kind, "Job");
  EXPECT_EQ(m.jobs[1].parallelism, 1);
  EXPECT_EQ(m.jobs[1].completions, 1);

  ASSERT_EQ(m.daemon_sets.size(), 1u);
  const model::DaemonSet& ds = m.daemon_sets[0];
  EXPECT_TRUE(ds.pod_template.OwnedByDaemonSet());
  EXPECT_EQ(ds.pod_template.containers[0].ports[0].host_port, 9100);
  EXPECT_EQ(ds.pod_template.meta.namespace_, "monitoring");

  ASSERT_EQ(m.pdbs.size(), 2u);
  EXPECT_EQ(m.pdbs[0].min_available, 50);
  EXPECT_TRUE(m.pdbs[0].min_available_percent);
  EXPECT_EQ(m.pdbs[0].max_unavailable, std::nullopt);
  EXPECT_EQ(m.pdbs[1].max_unavailable, 1);
  EXPECT_FALSE(m.pdbs[1].max_unavailable_percent);
}

TEST(WorkloadDecoderTest, Errors) {
  EXPECT_EQ(ErrorOf("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: -1\n"),
            "test.yaml:5:13: spec.replicas: found -1, expected an integer from 0 to 100000");
  // Issue 15 class 4: a count near 2^31 made plan allocate gigabytes.
  EXPECT_EQ(ErrorOf("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 2147483647\n"),
            "test.yaml:5:13: spec.replicas: found 2147483647, expected an integer from 0 to 100000");
  EXPECT_EQ(ErrorOf("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  parallelism: 100001\n"),
            "test.yaml:5:16: spec.parallelism: found 100001, expected an integer from 0 to 100000");
  EXPECT_EQ(ErrorOf("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
                    "  selector: {matchLabels: {a: b}}\n"),
            "test.yaml:5:3: spec.template: required field is missing (expected a map)");
  EXPECT_EQ(ErrorOf("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec:\n"
                    "  minAvailable: 1\n  maxUnavailable: 1\n  selector: {}\n"),
            "test.yaml:6:19: spec.maxUnavailable: minAvailable and maxUnavailable cannot both be set");
  EXPECT_EQ(ErrorOf("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec:\n"
                    "  maxUnavailable: 150%\n  selector: {}\n"),
            "test.yaml:5:19: spec.maxUnavailable: found \"150%\", expected a non-negative integer or a percentage "
            "from 0% to 100%");
  EXPECT_EQ(ErrorOf("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n"
                    "  selector:\n    matchExpressions: [{key: a, operator: In}]\n"
                    "  template: {spec: {containers: [{name: c}]}}\n"),
            "test.yaml:6:24: spec.selector.matchExpressions[0].values: operator In requires at least one value");
}

constexpr std::string_view kNode = R"(apiVersion: v1
kind: Node
metadata:
  name: ip-10-0-1-23.us-west-2.compute.internal
  labels:
    node.kubernetes.io/instance-type: g5.2xlarge
    karpenter.sh/nodepool: gpu
spec:
  providerID: aws:///us-west-2a/i-0123456789abcdef0
  unschedulable: true
  taints:
    - key: nvidia.com/gpu
      value: "true"
      effect: NoSchedule
status:
  capacity:
    cpu: "8"
    memory: 32386524Ki
    nvidia.com/gpu: "1"
    pods: "58"
  allocatable:
    cpu: 7910m
    memory: 31369692Ki
    nvidia.com/gpu: "1"
    pods: "58"
  conditions:
    - type: MemoryPressure
      status: "False"
    - type: Ready
      status: "False"
      reason: KubeletNotReady
      lastHeartbeatTime: "2024-05-01T10:00:00Z"
  nodeInfo:
    kubeletVersion: v1.30.0
  addresses:
    - {type: InternalIP, address: 10.0.1.23}
)";

TEST(NodeDecoderTest, DecodesNodeWithStatus) {
  Manifests m = DecodeOk(kNode);
  EXPECT_TRUE(m.warnings.empty());
  ASSERT_EQ(m.nodes.size(), 1u);
  const model::Node& n = m.nodes[0];
  EXPECT_EQ(n.meta.labels.at("karpenter.sh/nodepool"), "gpu");
  EXPECT_EQ(n.provider_id, "aws:///us-west-2a/i-0123456789abcdef0");
  EXPECT_TRUE(n.unschedulable);
  ASSERT_EQ(n.taints.size(), 1u);
  EXPECT_EQ(n.capacity.Get("cpu"), model::Quantity::FromUnits(8));
  EXPECT_EQ(n.allocatable.Get("cpu"), model::Quantity::FromMilli(7910));
  EXPECT_EQ(n.allocatable.Get("pods"), model::Quantity::FromUnits(58));
  EXPECT_FALSE(n.ready);
}

TEST(NodeDecoderTest, NodeWithoutConditionsIsReady) {
  Manifests m = DecodeOk("apiVersion: v1\nkind: Node\nmetadata: {name: n}\nstatus: {capacity: {cpu: 4}}\n");
  ASSERT_EQ(m.nodes.size(), 1u);
  EXPECT_TRUE(m.nodes[0].ready);
  EXPECT_EQ(m.nodes[0].allocatable.Get("cpu"), model::Quantity::FromUnits(4));
}

}  // namespace
}  // namespace adze::codec
