// Issue 11: Karpenter scheduling behaviours `adze plan` got wrong on the
// real catalog, and explanations that sent the reader the wrong way. One
// table row per behaviour: the manifests, the pod to look at, and what the
// plan (both packers) and --explain must say about it.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/plan_command.h"
#include "cli/test_temp_file.h"

namespace adze::cli {
namespace {

std::string ReadExample(const std::string& name) {
  const char* root = std::getenv("ADZE_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/examples/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// A CPU pool over c, m and r types; LIMITS and REQS are filled per row.
constexpr const char* kPool = R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: general}
spec:
  template:
    spec:
      requirements:
        - {key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m, r]}
        - {key: kubernetes.io/arch, operator: In, values: [amd64]}
REQS
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
LIMITS
---
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: default}
spec:
  amiSelectorTerms: [{alias: al2023@latest}]
  role: KarpenterNodeRole-demo
  subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
  securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
)";

std::string Pool(const std::string& limits, const std::string& reqs = "") {
  std::string p = Replace(kPool, "LIMITS", limits.empty() ? "" : "  limits: " + limits);
  return Replace(p, "REQS\n", reqs);
}

// A node of the general pool, already full (its bound pod takes it all).
std::string FullNode(const std::string& name) {
  std::string s = R"(---
apiVersion: v1
kind: Node
metadata:
  name: NAME
  labels:
    karpenter.sh/nodepool: general
    node.kubernetes.io/instance-type: m5.large
    topology.kubernetes.io/zone: us-east-1a
    karpenter.sh/capacity-type: on-demand
    kubernetes.io/arch: amd64
    kubernetes.io/os: linux
status:
  capacity: {cpu: "2", memory: 8Gi, pods: "29"}
  allocatable: {cpu: 1930m, memory: 7Gi, pods: "29"}
---
apiVersion: v1
kind: Pod
metadata: {name: NAME-bound, namespace: default}
spec:
  nodeName: NAME
  containers: [{name: main, image: busybox, resources: {requests: {cpu: 1900m, memory: 6Gi}}}]
)";
  size_t at;
  while ((at = s.find("NAME")) != std::string::npos) s.replace(at, 4, name);
  return s;
}

// A pending pod asking for 1 cpu and 1Gi; meta and spec add to its metadata
// and spec, container to its container.
std::string PendingPod(const std::string& name, const std::string& meta = "", const std::string& spec = "",
                       const std::string& container = "") {
  return "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: default\n" + meta +
         "spec:\n" + spec + "  containers: [{name: main, image: busybox, resources: {requests: {cpu: \"1\", memory: 1Gi}}" +
         container + "}]\n";
}

struct Row {
  const char* name;
  std::string manifests;
  const char* pod;  // the pod the row is about (name)
  // Where the pod must end up: "claim", "node" or "unschedulable".
  const char* where;
  // Substrings its unschedulable reason must hold, and must not.
  std::vector<std::string> reason_has;
  std::vector<std::string> reason_lacks;
  // Substrings no --explain reason may hold.
  std::vector<std::string> explain_lacks;
  size_t claims = SIZE_MAX;  // exact claim count, when checked
};

void PrintTo(const Row& r, std::ostream* os) { *os << r.name; }

std::vector<Row> Rows() {
  std::vector<Row> rows;
  // 1. limits.nodes counts the nodes the pool already has.
  rows.push_back({"NodesLimitCountsExistingNodes",
                  Pool("{nodes: 2}") + FullNode("node-a") + FullNode("node-b") + PendingPod("third"),
                  "third",
                  "unschedulable",
                  {"NodePool limit on nodes reached"},
                  {},
                  {},
                  0});
  // 2. Equal pods: the older one is placed first (host port: one per node;
  //    the pool has room for one node), whatever their names say.
  auto ported = [](const std::string& name, const std::string& meta) {
    return PendingPod(name, meta, "", ", ports: [{containerPort: 80, hostPort: 8080}]");
  };
  rows.push_back({"OlderPodIsPlacedFirst",
                  Pool("{nodes: 1}") +
                      ported("a-young", "  creationTimestamp: \"2024-05-01T12:00:00Z\"\n  uid: u-1\n") +
                      ported("b-old", "  creationTimestamp: \"2024-05-01T11:00:00Z\"\n  uid: u-2\n"),
                  "b-old",
                  "claim",
                  {},
                  {},
                  {},
                  1});
  rows.push_back({"EqualTimesFallBackToUid",
                  Pool("{nodes: 1}") +
                      ported("a-pod", "  creationTimestamp: \"2024-05-01T12:00:00Z\"\n  uid: u-2\n") +
                      ported("b-pod", "  creationTimestamp: \"2024-05-01T12:00:00Z\"\n  uid: u-1\n"),
                  "b-pod",
                  "claim",
                  {},
                  {},
                  {},
                  1});
  // 3a. No cpu limit: existing nodes' cpu never reads as a cpu limit reached.
  rows.push_back({"NoCpuLimitNeverReadsAsReached",
                  Pool("{nodes: 5}") + FullNode("node-a") + PendingPod("web"),
                  "web",
                  "claim",
                  {},
                  {},
                  {"limit on cpu", "limit on memory"},
                  1});
  // 3b. A zone the pool does not allow: the key and both sides.
  rows.push_back({"ZoneThePoolDoesNotAllow",
                  Pool("", "        - {key: topology.kubernetes.io/zone, operator: In, values: [us-east-1a]}\n") +
                      PendingPod("zonal", "", "  nodeSelector: {topology.kubernetes.io/zone: us-east-1b}\n"),
                  "zonal",
                  "unschedulable",
                  {"topology.kubernetes.io/zone", "us-east-1a", "us-east-1b"},
                  {"no instance type fits"},
                  {},
                  0});
  rows.push_back({"ZoneNoInstanceTypeOffers",
                  Pool("") + PendingPod("zonal", "", "  nodeSelector: {topology.kubernetes.io/zone: us-east-1z}\n"),
                  "zonal",
                  "unschedulable",
                  {"topology.kubernetes.io/zone", "us-east-1z", "us-east-1a"},
                  {"no instance type fits"},
                  {},
                  0});
  rows.push_back({"TwoIncompatibleThings",
                  Pool("") + PendingPod("torn", "",
                                        "  nodeSelector: {topology.kubernetes.io/zone: us-east-1a}\n"
                                        "  affinity:\n    nodeAffinity:\n"
                                        "      requiredDuringSchedulingIgnoredDuringExecution:\n"
                                        "        nodeSelectorTerms:\n"
                                        "          - matchExpressions:\n"
                                        "              - {key: topology.kubernetes.io/zone, operator: In, "
                                        "values: [us-east-1b]}\n"),
                  "torn",
                  "unschedulable",
                  {"incompatible", "us-east-1a", "us-east-1b", "topology.kubernetes.io/zone"},
                  {"no instance type fits"},
                  {},
                  0});
  // 3c. A GPU limit that removed every type big enough.
  rows.push_back({"GpuLimitRemovedTheTypes",
                  Replace(ReadExample("gpu-nodepool.yaml"), "nvidia.com/gpu: \"256\"", "nvidia.com/gpu: \"2\"") +
                      "---\n" + ReadExample("inference-4gpu-pod.yaml"),
                  "llm-serve-0",
                  "unschedulable",
                  {"limits on nvidia.com/gpu", "2 left"},
                  {"no instance type has enough", "limits reached"},
                  {},
                  0});
  // 3d. Restricted keys (spec §2.1).
  for (const char* key : {"kubernetes.io/hostname", "karpenter.sh/team", "karpenter.k8s.aws/shard"}) {
    rows.push_back({key,
                    Pool("") + PendingPod("pinned", "", "  nodeSelector: {\"" + std::string(key) + "\": x}\n"),
                    "pinned",
                    "unschedulable",
                    {"restricted", key},
                    {"not defined"},
                    {"not defined"},
                    0});
  }
  return rows;
}

std::string Write(const std::string& name, const std::string& text) {
  std::string file = name;
  for (char& c : file) {
    if (c == '/' || c == '.') c = '_';
  }
  return testing::WriteTempFile("adze_issue11_", file + ".yaml", text);
}

nlohmann::json RunJson(PlanOptions o) {
  std::ostringstream out, err;
  EXPECT_EQ(RunPlan(o, out, err), 0) << err.str();
  return nlohmann::json::parse(out.str());
}

class PlanCorrectness : public ::testing::TestWithParam<Row> {};

TEST_P(PlanCorrectness, PlanAndExplainAgree) {
  const Row& row = GetParam();
  const std::string file = Write(row.name, row.manifests);
  for (const char* packer : {"karpenter", "adze"}) {
    SCOPED_TRACE(packer);
    PlanOptions o;
    o.files = {file};
    o.output = "json";
    o.packer = packer;
    const nlohmann::json plan = RunJson(o);
    if (row.claims != SIZE_MAX) {
      EXPECT_EQ(plan["claims"].size(), row.claims) << plan.dump(2);
    }
    std::string where = "nowhere", reason;
    const std::string pod = "default/" + std::string(row.pod);
    const std::string other = "serving/" + std::string(row.pod);  // the GPU example's namespace
    auto is_pod = [&](const nlohmann::json& name) { return name == pod || name == other; };
    for (const auto& c : plan["claims"]) {
      for (const auto& p : c["pods"]) where = is_pod(p) ? "claim" : where;
    }
    for (const auto& p : plan["placements"]) where = is_pod(p["pod"]) ? "node" : where;
    for (const auto& u : plan["unschedulable"]) {
      if (is_pod(u["pod"])) {
        where = "unschedulable";
        reason = u["reason"].get<std::string>();
      }
    }
    EXPECT_EQ(where, row.where) << plan.dump(2);
    for (const std::string& s : row.reason_has) EXPECT_NE(reason.find(s), std::string::npos) << s << " in " << reason;
    for (const std::string& s : row.reason_lacks) EXPECT_EQ(reason.find(s), std::string::npos) << s << " in " << reason;

    o.explain = row.pod;
    const nlohmann::json explain = RunJson(o);
    bool carried = false;
    for (const auto& e : explain["explanations"]) {
      carried |= e["canCarry"].get<bool>();
      for (const std::string& s : row.explain_lacks) {
        EXPECT_EQ(e["reason"].get<std::string>().find(s), std::string::npos) << e.dump();
      }
    }
    // --explain never contradicts the plan: a placed pod has a place that carries it.
    if (where == "claim" || where == "node") {
      EXPECT_TRUE(carried) << explain.dump(2);
    }
    EXPECT_EQ(explain["placement"]["kind"],
              where == "claim" ? "newClaim" : where == "node" ? "existingNode" : "unschedulable");

    // The table says the same, and never "carried by 0" of a placed pod.
    o.output = "table";
    std::ostringstream out, err;
    ASSERT_EQ(RunPlan(o, out, err), 0) << err.str();
    if (where == "claim") {
      EXPECT_FALSE(std::regex_search(out.str(), std::regex(R"(: 0 of \d+ instance types)"))) << out.str();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Issue11, PlanCorrectness, ::testing::ValuesIn(Rows()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           std::string n = info.param.name;
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace adze::cli
