#include "cli/plan_command.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "catalog/catalog.h"
#include "cli/test_temp_file.h"

namespace adze::cli {
namespace {

std::string Example(const std::string& name) {
  const char* root = std::getenv("ADZE_SOURCE_DIR");
  return std::string(root ? root : ".") + "/examples/" + name;
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  return testing::WriteTempFile("adze_plan_test_", name, text);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// A CPU pool (c, m, r families) with an AL2023 node class.
constexpr const char* kGeneralPool = R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: general
spec:
  template:
    spec:
      requirements:
        - key: karpenter.k8s.aws/instance-category
          operator: In
          values: ["c", "m", "r"]
        - key: kubernetes.io/arch
          operator: In
          values: ["amd64"]
      nodeClassRef:
        group: karpenter.k8s.aws
        kind: EC2NodeClass
        name: default
---
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: default
spec:
  amiSelectorTerms:
    - alias: al2023@latest
  role: KarpenterNodeRole-demo
  subnetSelectorTerms:
    - tags:
        karpenter.sh/discovery: demo
  securityGroupSelectorTerms:
    - tags:
        karpenter.sh/discovery: demo
)";

constexpr const char* kWebDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 10
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
          resources:
            requests:
              cpu: 500m
              memory: 1Gi
)";

// A pod with no GPU toleration: the GPU pool's nvidia.com/gpu taint keeps it out.
constexpr const char* kIntolerantPod = R"(apiVersion: v1
kind: Pod
metadata:
  name: batch-0
  namespace: default
spec:
  containers:
    - name: main
      image: busybox
      resources:
        requests:
          cpu: "1"
          memory: 1Gi
)";

// An existing node of the general pool with one pod bound to it, a pod bound
// to a node that is not in the input, and one pending pod.
constexpr const char* kNodeAndPods = R"(apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels:
    karpenter.sh/nodepool: general
    node.kubernetes.io/instance-type: m5.xlarge
    topology.kubernetes.io/zone: us-east-1a
    karpenter.sh/capacity-type: on-demand
    kubernetes.io/arch: amd64
    kubernetes.io/os: linux
    kubernetes.io/hostname: node-a
status:
  capacity:
    cpu: "4"
    memory: 16Gi
    pods: "58"
  allocatable:
    cpu: 3920m
    memory: 15Gi
    pods: "58"
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata:
      name: bound-0
      namespace: default
    spec:
      nodeName: node-a
      containers:
        - name: main
          image: busybox
          resources:
            requests:
              cpu: "1"
              memory: 1Gi
  - apiVersion: v1
    kind: Pod
    metadata:
      name: orphan-0
      namespace: default
    spec:
      nodeName: ghost
      containers:
        - name: main
          image: busybox
  - apiVersion: v1
    kind: Pod
    metadata:
      name: pending-0
      namespace: default
    spec:
      containers:
        - name: main
          image: busybox
          resources:
            requests:
              cpu: 500m
              memory: 512Mi
)";

struct CommandRun {
  int code;
  std::string out;
  std::string err;
};

CommandRun Plan(PlanOptions o) {
  std::ostringstream out, err;
  int code = RunPlan(o, out, err);
  return {code, out.str(), err.str()};
}

nlohmann::json Json(const CommandRun& r) {
  EXPECT_EQ(r.code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

PlanOptions JsonPlan(std::vector<std::string> files) {
  PlanOptions o;
  o.files = std::move(files);
  o.output = "json";
  return o;
}

// Every pod the plan mentions: in claims, on existing nodes, unschedulable.
std::vector<std::string> PlannedPods(const nlohmann::json& plan) {
  std::vector<std::string> pods;
  for (const auto& c : plan["claims"]) {
    for (const auto& p : c["pods"]) pods.push_back(p.get<std::string>());
  }
  for (const auto& p : plan["placements"]) pods.push_back(p["pod"].get<std::string>());
  for (const auto& u : plan["unschedulable"]) pods.push_back(u["pod"].get<std::string>());
  std::sort(pods.begin(), pods.end());
  return pods;
}

TEST(PlanCommand, InferencePodGetsOneClaimOfFourGpuTypes) {
  nlohmann::json plan =
      Json(Plan(JsonPlan({Example("gpu-nodepool.yaml"), Example("inference-4gpu-pod.yaml")})));
  ASSERT_EQ(plan["claims"].size(), 1u) << plan.dump(2);
  const auto& claim = plan["claims"][0];
  EXPECT_EQ(claim["nodePool"], "gpu");
  EXPECT_EQ(claim["pods"], nlohmann::json::array({"serving/llm-serve-0"}));
  ASSERT_FALSE(claim["instanceTypes"].empty());
  EXPECT_LE(claim["instanceTypes"].size(), 60u);
  const catalog::Catalog& cat = catalog::Catalog::Embedded();
  for (const auto& t : claim["instanceTypes"]) {
    const catalog::InstanceTypeInfo* info = cat.Find(t["name"].get<std::string>());
    ASSERT_NE(info, nullptr) << t;
    EXPECT_GE(info->gpu_count, 4) << t;
  }
  EXPECT_GT(claim["pricePerHour"].get<double>(), 0);
  EXPECT_TRUE(plan["unschedulable"].empty());
  EXPECT_TRUE(plan["placements"].empty());
}

TEST(PlanCommand, TableShowsClaimAndTotals) {
  PlanOptions o;
  o.files = {Example("gpu-nodepool.yaml"), Example("inference-4gpu-pod.yaml")};
  CommandRun r = Plan(o);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("New NodeClaims"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gpu"), std::string::npos);
  EXPECT_NE(r.out.find("lower bound"), std::string::npos);
  EXPECT_NE(r.out.find("cost/LB"), std::string::npos);
}

TEST(PlanCommand, JsonParsesAndCostIsAtLeastTheLowerBound) {
  std::string deploy = WriteTemp("web.yaml", kWebDeployment);
  std::string pool = WriteTemp("general.yaml", kGeneralPool);
  nlohmann::json plan = Json(Plan(JsonPlan({pool, deploy, Example("gpu-nodepool.yaml"),
                                            Example("inference-4gpu-pod.yaml")})));
  double cost = plan["costPerHour"].get<double>();
  double lb = plan["lowerBound"].get<double>();
  EXPECT_GT(lb, 0);
  EXPECT_GE(cost, lb - 1e-9);
  ASSERT_TRUE(plan["costOverLowerBound"].is_number());
  EXPECT_GE(plan["costOverLowerBound"].get<double>(), 1.0 - 1e-9);
  double sum = 0;
  for (const auto& c : plan["claims"]) sum += c["pricePerHour"].get<double>();
  EXPECT_NEAR(sum, cost, 1e-9);
}

TEST(PlanCommand, DeploymentExpandsToReplicaPods) {
  std::string deploy = WriteTemp("web.yaml", kWebDeployment);
  std::string pool = WriteTemp("general.yaml", kGeneralPool);
  nlohmann::json plan = Json(Plan(JsonPlan({pool, deploy})));
  EXPECT_EQ(plan["pendingPods"], 10);
  std::vector<std::string> want;
  for (int i = 0; i < 10; ++i) want.push_back("shop/web-" + std::to_string(i));
  std::sort(want.begin(), want.end());
  EXPECT_EQ(PlannedPods(plan), want);
  EXPECT_TRUE(plan["unschedulable"].empty()) << plan["unschedulable"];
}

TEST(PlanCommand, JobExpandsToParallelismPods) {
  std::string job = WriteTemp("job.yaml", R"(apiVersion: batch/v1
kind: Job
metadata:
  name: etl
  namespace: data
spec:
  parallelism: 3
  completions: 20
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: etl
          image: busybox
          resources:
            requests:
              cpu: "1"
)");
  std::string pool = WriteTemp("general.yaml", kGeneralPool);
  nlohmann::json plan = Json(Plan(JsonPlan({pool, job})));
  EXPECT_EQ(PlannedPods(plan), (std::vector<std::string>{"data/etl-0", "data/etl-1", "data/etl-2"}));
}

TEST(PlanCommand, PodBoundToAnInputNodeIsNotPlanned) {
  std::string pool = WriteTemp("general.yaml", kGeneralPool);
  std::string nodes = WriteTemp("nodes.yaml", kNodeAndPods);
  CommandRun r = Plan(JsonPlan({pool, nodes}));
  nlohmann::json plan = Json(r);
  EXPECT_EQ(plan["pendingPods"], 1);
  EXPECT_EQ(PlannedPods(plan), (std::vector<std::string>{"default/pending-0"}));
  // The pod bound to a node that is not in the input is ignored, with a warning.
  EXPECT_NE(r.err.find("warning: pod default/orphan-0 is bound to node ghost"), std::string::npos) << r.err;
  // node-a has room: the pending pod goes there rather than onto a new node.
  ASSERT_EQ(plan["placements"].size(), 1u) << plan.dump(2);
  EXPECT_EQ(plan["placements"][0]["node"], "node-a");
  EXPECT_TRUE(plan["claims"].empty());
}

TEST(PlanCommand, PodWithoutGpuTolerationIsUnschedulableOnTheGpuPool) {
  std::string pod = WriteTemp("intolerant.yaml", kIntolerantPod);
  nlohmann::json plan = Json(Plan(JsonPlan({Example("gpu-nodepool.yaml"), pod})));
  EXPECT_TRUE(plan["claims"].empty());
  ASSERT_EQ(plan["unschedulable"].size(), 1u) << plan.dump(2);
  EXPECT_EQ(plan["unschedulable"][0]["pod"], "default/batch-0");
  std::string reason = Lower(plan["unschedulable"][0]["reason"].get<std::string>());
  EXPECT_TRUE(reason.find("taint") != std::string::npos || reason.find("nvidia.com/gpu") != std::string::npos)
      << reason;
}

// The pool's taint also keeps the pod off a claim another pod of the same pass
// opened in that pool.
TEST(PlanCommand, PodWithoutGpuTolerationDoesNotJoinAGpuClaim) {
  std::string pod = WriteTemp("intolerant.yaml", kIntolerantPod);
  nlohmann::json plan =
      Json(Plan(JsonPlan({Example("gpu-nodepool.yaml"), Example("inference-4gpu-pod.yaml"), pod})));
  ASSERT_EQ(plan["claims"].size(), 1u) << plan.dump(2);
  EXPECT_EQ(plan["claims"][0]["pods"], nlohmann::json::array({"serving/llm-serve-0"}));
  ASSERT_EQ(plan["unschedulable"].size(), 1u) << plan.dump(2);
  EXPECT_EQ(plan["unschedulable"][0]["pod"], "default/batch-0");
}

TEST(PlanCommand, UnschedulablePodsStillExitZeroAndShowInTheTable) {
  std::string pod = WriteTemp("intolerant.yaml", kIntolerantPod);
  PlanOptions o;
  o.files = {Example("gpu-nodepool.yaml"), pod};
  CommandRun r = Plan(o);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Unschedulable"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("default/batch-0"), std::string::npos) << r.out;
}

TEST(PlanCommand, ExplainListsWhyG5XlargeCannotCarryTheInferencePod) {
  PlanOptions o = JsonPlan({Example("gpu-nodepool.yaml"), Example("inference-4gpu-pod.yaml")});
  o.explain = "llm-serve-0";
  nlohmann::json doc = Json(Plan(o));
  EXPECT_EQ(doc["pod"], "serving/llm-serve-0");
  EXPECT_EQ(doc["placement"]["kind"], "newClaim");
  bool saw = false, some_fit = false;
  for (const auto& e : doc["explanations"]) {
    if (e["canCarry"].get<bool>()) some_fit = true;
    if (e["instanceType"] == "g5.xlarge") {
      saw = true;
      EXPECT_FALSE(e["canCarry"].get<bool>());
      std::string reason = Lower(e["reason"].get<std::string>());
      EXPECT_NE(reason.find("gpu"), std::string::npos) << reason;
    }
  }
  EXPECT_TRUE(saw);
  EXPECT_TRUE(some_fit);

  // The table groups the same facts per pool and names g5.xlarge.
  o.output = "table";
  CommandRun r = Plan(o);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("NodePool gpu"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("g5.xlarge"), std::string::npos) << r.out;
  // Explained by namespace/name too.
  o.explain = "serving/llm-serve-0";
  EXPECT_EQ(Plan(o).code, 0);
}

TEST(PlanCommand, ExplainShowsAPoolRuledOutAsAWhole) {
  std::string pod = WriteTemp("intolerant.yaml", kIntolerantPod);
  PlanOptions o;
  o.files = {Example("gpu-nodepool.yaml"), pod};
  o.explain = "default/batch-0";
  CommandRun r = Plan(o);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("NodePool gpu"), std::string::npos) << r.out;
  EXPECT_NE(Lower(r.out).find("taint"), std::string::npos) << r.out;
}

TEST(PlanCommand, ExplainUnknownPodListsKnownNames) {
  PlanOptions o;
  o.files = {Example("gpu-nodepool.yaml"), Example("inference-4gpu-pod.yaml")};
  o.explain = "nope";
  CommandRun r = Plan(o);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("error: --explain: no pending pod named \"nope\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("serving/llm-serve-0"), std::string::npos) << r.err;
}

TEST(PlanCommand, VolumesAndDaemonHostPortsShapeThePlan) {
  nlohmann::json plan = Json(Plan(JsonPlan({Example("stateful-volumes.yaml")})));
  std::map<std::string, std::vector<std::string>> zones;  // pod -> its claim's zones
  for (const auto& c : plan["claims"]) {
    for (const auto& p : c["pods"]) zones[p.get<std::string>()] = c["zones"].get<std::vector<std::string>>();
  }
  EXPECT_EQ(zones["shop/db-0"], (std::vector<std::string>{"us-east-1b"})) << plan.dump(2);
  EXPECT_EQ(zones["shop/cache-0"], (std::vector<std::string>{"us-east-1c"})) << plan.dump(2);
  ASSERT_EQ(plan["unschedulable"].size(), 1u) << plan.dump(2);
  EXPECT_EQ(plan["unschedulable"][0]["pod"], "shop/metrics-0");
  EXPECT_NE(plan["unschedulable"][0]["reason"].get<std::string>().find(
                "host port 9100/TCP is held by DaemonSet monitoring/node-exporter"),
            std::string::npos)
      << plan.dump(2);

  // --explain names the DaemonSet for each instance type.
  PlanOptions o;
  o.files = {Example("stateful-volumes.yaml")};
  o.explain = "metrics-0";
  CommandRun r = Plan(o);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("host-ports"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("host port 9100/TCP already in use by DaemonSet monitoring/node-exporter"), std::string::npos)
      << r.out;

  // A pod whose PVC is not in the input is unschedulable, and says which.
  std::string pod = WriteTemp("missing-pvc.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: orphan-db, namespace: shop}
spec:
  containers: [{name: db, resources: {requests: {cpu: "1"}}}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: nope}}]
)");
  plan = Json(Plan(JsonPlan({Example("stateful-volumes.yaml"), pod})));
  bool saw = false;
  for (const auto& u : plan["unschedulable"]) {
    if (u["pod"] != "shop/orphan-db") continue;
    saw = true;
    EXPECT_EQ(u["reason"], "PersistentVolumeClaim shop/nope not found");
  }
  EXPECT_TRUE(saw) << plan.dump(2);
}

TEST(PlanCommand, KarpenterAndAdzePackersBothRun) {
  std::string deploy = WriteTemp("web.yaml", kWebDeployment);
  std::string pool = WriteTemp("general.yaml", kGeneralPool);
  PlanOptions o = JsonPlan({pool, deploy, Example("gpu-nodepool.yaml"), Example("inference-4gpu-pod.yaml")});
  o.packer = "karpenter";
  nlohmann::json karpenter = Json(Plan(o));
  o.packer = "adze";
  nlohmann::json adze = Json(Plan(o));
  EXPECT_EQ(karpenter["packer"], "karpenter");
  EXPECT_EQ(adze["packer"], "adze");
  EXPECT_EQ(PlannedPods(karpenter), PlannedPods(adze));
  // adze keeps the cheaper of its plan and Karpenter's.
  EXPECT_LE(adze["costPerHour"].get<double>(), karpenter["costPerHour"].get<double>() + 1e-9);
  o.packer = "adze";
  o.thorough = true;
  nlohmann::json thorough = Json(Plan(o));
  EXPECT_EQ(PlannedPods(thorough), PlannedPods(adze));
  EXPECT_LE(thorough["costPerHour"].get<double>(), adze["costPerHour"].get<double>() + 1e-9);
  o.packer = "best";
  CommandRun bad = Plan(o);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("error: --packer"), std::string::npos) << bad.err;
}

TEST(PlanCommand, MaxInstanceTypesCapsTheOptions) {
  PlanOptions o = JsonPlan({Example("gpu-nodepool.yaml"), Example("inference-4gpu-pod.yaml")});
  o.max_instance_types = 2;
  nlohmann::json plan = Json(Plan(o));
  ASSERT_EQ(plan["claims"].size(), 1u);
  EXPECT_LE(plan["claims"][0]["instanceTypes"].size(), 2u);
}

TEST(PlanCommand, MinValuesPolicyStrictFailsAndBestEffortRelaxes) {
  // Four distinct GPU families with ≥ 4 GPUs of ≥ 40 GiB do not exist in one
  // claim of the inference pod, so minValues 30 on instance-family cannot hold.
  std::string pool = WriteTemp("minvalues-pool.yaml", R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: gpu
spec:
  template:
    spec:
      requirements:
        - key: karpenter.k8s.aws/instance-category
          operator: In
          values: ["g", "p"]
        - key: karpenter.k8s.aws/instance-family
          operator: Exists
          minValues: 30
      taints:
        - key: nvidia.com/gpu
          value: "true"
          effect: NoSchedule
      nodeClassRef:
        group: karpenter.k8s.aws
        kind: EC2NodeClass
        name: default
---
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: default
spec:
  amiSelectorTerms:
    - alias: al2023@latest
  role: KarpenterNodeRole-demo
  subnetSelectorTerms:
    - tags:
        karpenter.sh/discovery: demo
  securityGroupSelectorTerms:
    - tags:
        karpenter.sh/discovery: demo
)");
  PlanOptions o = JsonPlan({pool, Example("inference-4gpu-pod.yaml")});
  nlohmann::json strict = Json(Plan(o));
  EXPECT_TRUE(strict["claims"].empty()) << strict.dump(2);
  ASSERT_EQ(strict["unschedulable"].size(), 1u);
  EXPECT_NE(strict["unschedulable"][0]["reason"].get<std::string>().find("minValues"), std::string::npos)
      << strict.dump(2);
  o.min_values_policy = "BestEffort";
  nlohmann::json relaxed = Json(Plan(o));
  ASSERT_EQ(relaxed["claims"].size(), 1u) << relaxed.dump(2);
  EXPECT_EQ(relaxed["claims"][0]["minValuesRelaxed"], true);
  o.min_values_policy = "Sometimes";
  CommandRun bad = Plan(o);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("error: --min-values-policy"), std::string::npos) << bad.err;
}

TEST(PlanCommand, YamlOutputParses) {
  PlanOptions o = JsonPlan({Example("gpu-nodepool.yaml"), Example("inference-4gpu-pod.yaml")});
  o.output = "yaml";
  CommandRun r = Plan(o);
  ASSERT_EQ(r.code, 0) << r.err;
  YAML::Node doc = YAML::Load(r.out);
  EXPECT_EQ(doc["claims"].size(), 1u);
  EXPECT_TRUE(doc["costPerHour"]);
}

TEST(PlanCommand, NodePoolWithoutItsNodeClassIsAnError) {
  std::string pool_only = WriteTemp("pool-only.yaml", std::string(kGeneralPool).substr(
                                                          0, std::string(kGeneralPool).find("---")));
  std::string pod = WriteTemp("intolerant.yaml", kIntolerantPod);
  CommandRun r = Plan(JsonPlan({pool_only, pod}));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("error: NodePool \"general\" refers to EC2NodeClass \"default\""), std::string::npos)
      << r.err;
}

TEST(PlanCommand, BadInputIsReported) {
  std::string broken = WriteTemp("broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata: [\n");
  CommandRun r = Plan(JsonPlan({broken}));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
  r = Plan(JsonPlan({"/nonexistent/plan.yaml"}));
  EXPECT_EQ(r.code, 1);
  PlanOptions o = JsonPlan({Example("inference-4gpu-pod.yaml")});
  o.output = "csv";
  EXPECT_EQ(Plan(o).code, 1);
}

}  // namespace
}  // namespace adze::cli
