// The Cluster Autoscaler and fixed-fleet baselines, each rule in a short
// simulation (issue 17, "Tests"): pods are added and ended by a script at
// set times, so which node holds what is under the test's control.
#include "sim/baselines/cluster_autoscaler.h"

#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "sim/baselines/fixed_fleet.h"
#include "sim/scenario/scenario_decoder.h"
#include "sim/simulated_cluster.h"
#include "sim/simulation.h"

namespace adze::sim::baselines {
namespace {

using model::kMinute;
using model::kSecond;

constexpr std::string_view kScenario = R"(apiVersion: adze.dev/v1alpha1
kind: Scenario
name: ca-test
seed: 7
duration: DURATION
region: us-east-1
zones: [us-east-1a, us-east-1b]
manifests:
  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: {name: general}
    spec:
      template:
        spec:
          requirements:
            - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
            - {key: karpenter.k8s.aws/instance-family, operator: In, values: [m6i, c6i]}
          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
  - apiVersion: karpenter.k8s.aws/v1
    kind: EC2NodeClass
    metadata: {name: default}
    spec:
      amiSelectorTerms: [{alias: al2023@latest}]
      role: NodeRole
      subnetSelectorTerms: [{tags: {karpenter.sh/discovery: test}}]
      securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: test}}]
EXTRA
)";

Scenario MakeScenario(const std::string& duration = "1h", const std::string& extra = "") {
  std::string text(kScenario);
  text.replace(text.find("DURATION"), 8, duration);
  text.replace(text.find("EXTRA"), 5, extra);
  auto s = DecodeScenario(text, "ca-test.yaml", ReadLocalFile);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return std::move(s).value();
}

NodeGroup Group(const Scenario& s, const std::string& type) {
  NodeGroup g;
  g.name = type;
  g.instance_types = {type};
  g.pool = s.node_pools.front();
  return g;
}

// Millicores that make `fraction` of the group's template allocatable.
int64_t CpuMilli(const Scenario& s, const std::string& type, double fraction) {
  auto types = ResolveGroupTypes(Group(s, type), s, catalog::Catalog::Embedded());
  return static_cast<int64_t>(fraction * static_cast<double>(types.front().Allocatable().Get("cpu").milli()));
}

model::Pod MakePod(const std::string& name, int64_t cpu_milli, bool replicated = true) {
  model::Pod pod;
  pod.meta.name = name;
  pod.meta.namespace_ = "default";
  if (replicated) pod.meta.owner = model::OwnerReference{"ReplicaSet", "web"};
  model::Container c;
  c.name = "app";
  c.image = "app:1";
  c.requests = {{"cpu", model::Quantity::FromMilli(cpu_milli)}, {"memory", model::Quantity::MiB(100)}};
  pod.containers.push_back(c);
  return pod;
}

// Runs `inner` and, at set times after the start, the script's steps.
class Scripted : public Autoscaler {
 public:
  using Step = std::pair<model::Duration, std::function<void(SimulatedCluster&)>>;
  Scripted(const AutoscalerWorld& world, std::unique_ptr<Autoscaler> inner, std::vector<Step> steps)
      : world_(world), inner_(std::move(inner)), steps_(std::move(steps)) {}
  void Tick() override {
    const model::Duration now = world_.clock.Now() - world_.scenario.start_unix_micros;
    while (next_ < steps_.size() && steps_[next_].first <= now) steps_[next_++].second(world_.cluster);
    inner_->Tick();
  }
  void OnUnschedulable(const std::vector<std::string>& pods) override { inner_->OnUnschedulable(pods); }

 private:
  AutoscalerWorld world_;
  std::unique_ptr<Autoscaler> inner_;
  std::vector<Scripted::Step> steps_;
  size_t next_ = 0;
};

RunResult RunCa(const Scenario& s, std::vector<NodeGroup> groups, std::vector<Scripted::Step> steps,
                ClusterAutoscalerOptions options = {}) {
  SimulationOptions o;
  o.record_events = true;
  o.autoscaler = [&](const AutoscalerWorld& world) -> std::unique_ptr<Autoscaler> {
    return std::make_unique<Scripted>(world, std::make_unique<ClusterAutoscaler>(world, groups, options), steps);
  };
  auto r = RunSimulation(s, catalog::Catalog::Embedded(), o);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return std::move(r).value();
}

std::vector<nlohmann::json> Events(const RunResult& r, std::string_view type) {
  std::vector<nlohmann::json> out;
  for (const auto& line : r.events) {
    auto j = nlohmann::json::parse(line);
    if (j["type"] == type) out.push_back(std::move(j));
  }
  return out;
}

std::vector<nlohmann::json> ScaleDowns(const RunResult& r) {
  std::vector<nlohmann::json> out;
  for (auto& e : Events(r, "claim_deletion_requested")) {
    if (e["reason"] == "scale_down") out.push_back(e);
  }
  return out;
}

// The node hosting pod, or "".
std::string NodeOf(SimulatedCluster& c, const std::string& pod) {
  const ports::PodInfo* p = c.GetPod(pod);
  return p == nullptr ? "" : p->pod.node_name;
}

TEST(ClusterAutoscalerTest, KeepsANodeAtSixtyPercentAndRemovesAnEmptyOneAfterTenMinutes) {
  const Scenario s = MakeScenario("1h");
  const int64_t sixty = CpuMilli(s, "m6i.xlarge", 0.6);
  std::string empty_node;
  const RunResult r = RunCa(s, {Group(s, "m6i.xlarge")},
                            {{0, [&](SimulatedCluster& c) { c.AddPod(MakePod("a", sixty)); c.AddPod(MakePod("b", sixty)); }},
                             {5 * kMinute, [&](SimulatedCluster& c) {
                                empty_node = NodeOf(c, "b");
                                c.EndPod("b", PodEndReason::kCompleted);
                              }}});
  EXPECT_EQ(r.summary.nodes_launched, 2);
  ASSERT_FALSE(empty_node.empty());
  const auto downs = ScaleDowns(r);
  ASSERT_EQ(downs.size(), 1u);  // the node at 60 % stays for the whole hour
  EXPECT_EQ(downs[0]["claim"], empty_node);
  // Unneeded from 5 min on, removed 10 min later (scan granularity 10 s).
  EXPECT_GE(downs[0]["t"].get<double>(), 15 * 60);
  EXPECT_LE(downs[0]["t"].get<double>(), 15 * 60 + 20);
  EXPECT_EQ(r.summary.nodes_at_end, 1);
}

TEST(ClusterAutoscalerTest, RemovesANodeAtFortyPercentWhosePodsFitElsewhereAfterTenMinutes) {
  const Scenario s = MakeScenario("1h");
  const int64_t big = CpuMilli(s, "m6i.xlarge", 0.55);
  const int64_t forty = CpuMilli(s, "m6i.xlarge", 0.4);
  std::string light_node;
  const RunResult r =
      RunCa(s, {Group(s, "m6i.xlarge")},
            {{0, [&](SimulatedCluster& c) { c.AddPod(MakePod("a", big)); c.AddPod(MakePod("b", big)); }},
             {5 * kMinute, [&](SimulatedCluster& c) { c.AddPod(MakePod("c", forty)); }},
             {6 * kMinute, [&](SimulatedCluster& c) {
                // Leave c alone on its node: end the big pod beside it.
                light_node = NodeOf(c, "c");
                c.EndPod(NodeOf(c, "a") == light_node ? "a" : "b", PodEndReason::kCompleted);
              }}});
  ASSERT_FALSE(light_node.empty());
  const auto downs = ScaleDowns(r);
  ASSERT_EQ(downs.size(), 1u);
  EXPECT_EQ(downs[0]["claim"], light_node);
  EXPECT_GE(downs[0]["t"].get<double>(), 16 * 60);
  EXPECT_LE(downs[0]["t"].get<double>(), 16 * 60 + 20);
  // c was evicted from it (and nothing recreates this bare test pod).
  EXPECT_EQ(r.summary.pods_evicted, 0);  // counted by workloads only
  bool evicted = false;
  for (const auto& e : Events(r, "pod_evicted")) evicted = evicted || e["pod"] == "c";
  EXPECT_TRUE(evicted);
}

TEST(ClusterAutoscalerTest, DoesNotRemoveANodeWithAPodNothingWouldRecreate) {
  const Scenario s = MakeScenario("40m");
  const RunResult r = RunCa(s, {Group(s, "m6i.xlarge")},
                            {{0, [&](SimulatedCluster& c) {
                                c.AddPod(MakePod("bare", CpuMilli(s, "m6i.xlarge", 0.2), /*replicated=*/false));
                              }}});
  EXPECT_EQ(r.summary.nodes_launched, 1);
  EXPECT_TRUE(ScaleDowns(r).empty());
}

TEST(ClusterAutoscalerTest, DoesNotScaleDownWithinTenMinutesOfAScaleUp) {
  const Scenario s = MakeScenario("30m");
  const int64_t sixty = CpuMilli(s, "m6i.xlarge", 0.6);
  // b's node empties at 3 min, but a scale-up at 8 min (of the larger group:
  // d does not fit the empty node) restarts the 10-minute delay: nothing may
  // go before 18 min.
  const RunResult r = RunCa(s, {Group(s, "m6i.xlarge"), Group(s, "m6i.2xlarge")},
                            {{0, [&](SimulatedCluster& c) { c.AddPod(MakePod("a", sixty)); c.AddPod(MakePod("b", sixty)); }},
                             {3 * kMinute, [&](SimulatedCluster& c) { c.EndPod("b", PodEndReason::kCompleted); }},
                             {8 * kMinute, [&](SimulatedCluster& c) {
                                c.AddPod(MakePod("d", 5000));
                              }}});
  const auto downs = ScaleDowns(r);
  ASSERT_FALSE(downs.empty());
  for (const auto& d : downs) EXPECT_GE(d["t"].get<double>(), 18 * 60) << d.dump();
  EXPECT_LE(downs[0]["t"].get<double>(), 18 * 60 + 20);
}

TEST(ClusterAutoscalerTest, LeastWastePicksTheGroupThatLeavesTheLeastIdleCpu) {
  const Scenario s = MakeScenario("10m");
  // 3 CPUs: a c6i.xlarge (4 vCPU) leaves far less idle than an m6i.2xlarge (8).
  const RunResult r = RunCa(s, {Group(s, "m6i.2xlarge"), Group(s, "c6i.xlarge")},
                            {{0, [&](SimulatedCluster& c) { c.AddPod(MakePod("p", 3000)); }}});
  const auto launched = Events(r, "claim_launched");
  ASSERT_EQ(launched.size(), 1u);
  EXPECT_EQ(launched[0]["instance_type"], "c6i.xlarge");

  // most-pods / priority see no difference in pods; priority follows the group's priority.
  ClusterAutoscalerOptions priority;
  priority.expander = Expander::kPriority;
  auto groups = std::vector<NodeGroup>{Group(s, "m6i.2xlarge"), Group(s, "c6i.xlarge")};
  groups[0].priority = 10;
  const RunResult p = RunCa(s, groups, {{0, [&](SimulatedCluster& c) { c.AddPod(MakePod("p", 3000)); }}}, priority);
  ASSERT_EQ(Events(p, "claim_launched").size(), 1u);
  EXPECT_EQ(Events(p, "claim_launched")[0]["instance_type"], "m6i.2xlarge");
}

TEST(ClusterAutoscalerTest, RemovesANodeNotReadyAfterMaxNodeProvisionTimeAndBacksOff) {
  // Nodes become Ready only after 20 minutes.
  const Scenario s = MakeScenario("25m", "timings: {nodes: {cpuRegistered: 30s, cpuReady: 20m}}");
  const RunResult r = RunCa(s, {Group(s, "m6i.xlarge")},
                            {{0, [&](SimulatedCluster& c) { c.AddPod(MakePod("p", 1000)); }}});
  std::vector<nlohmann::json> stuck;
  for (auto& e : Events(r, "claim_terminated")) {
    if (e["reason"] == "max_node_provision_time") stuck.push_back(e);
  }
  ASSERT_EQ(stuck.size(), 1u);
  EXPECT_GE(stuck[0]["t"].get<double>(), 15 * 60);
  EXPECT_LE(stuck[0]["t"].get<double>(), 15 * 60 + 20);
  EXPECT_EQ(Events(r, "node_group_backoff").size(), 1u);
  // The group backs off 5 min: the next scale-up comes no sooner.
  const auto ups = Events(r, "ca_scale_up");
  ASSERT_GE(ups.size(), 2u);
  EXPECT_GE(ups[1]["t"].get<double>(), 20 * 60);
}

TEST(ClusterAutoscalerTest, SpotGroupsRebalanceAndReplaceInterruptedNodes) {
  // Interruptions 10^5 times the Spot Advisor rate: a few per hour.
  const Scenario s = MakeScenario("3h", "ec2: {spotInterruptionMultiplier: 100000}");
  NodeGroup spot = Group(s, "m6i.xlarge");
  spot.capacity_type = "spot";
  const RunResult r = RunCa(s, {spot}, {{0, [&](SimulatedCluster& c) { c.AddPod(MakePod("p", 1000)); }}});
  int rebalance_launches = 0, drained = 0;
  for (const auto& e : Events(r, "asg_scale_up")) rebalance_launches += e["reason"] == "capacity_rebalance";
  for (const auto& e : Events(r, "claim_deletion_requested")) drained += e["reason"] == "rebalanced";
  EXPECT_GT(r.summary.spot_interruption_warnings, 0);
  EXPECT_GT(rebalance_launches, 0);
  EXPECT_GT(drained, 0);
  EXPECT_GT(r.summary.nodes_launched, 1);
  // The first rebalance moved the pod off the node before EC2 took it.
  bool evicted = false;
  for (const auto& e : Events(r, "pod_evicted")) evicted = evicted || e["pod"] == "p";
  EXPECT_TRUE(evicted);
}

TEST(FixedFleetTest, NeverLaunchesAfterTheStart) {
  const Scenario s = MakeScenario("30m");
  FixedFleetSpec spec;
  spec.groups = {Group(s, "m6i.xlarge")};
  spec.nodes = {2};
  SimulationOptions o;
  o.record_events = true;
  const int64_t sixty = CpuMilli(s, "m6i.xlarge", 0.6);
  std::vector<Scripted::Step> steps;
  for (int i = 0; i < 5; ++i) {
    steps.push_back({model::Duration(i) * 5 * kMinute,
                     [i, sixty](SimulatedCluster& c) { c.AddPod(MakePod("p" + std::to_string(i), sixty)); }});
  }
  o.autoscaler = [&](const AutoscalerWorld& world) -> std::unique_ptr<Autoscaler> {
    return std::make_unique<Scripted>(world, std::make_unique<FixedFleet>(world, spec), steps);
  };
  auto r = RunSimulation(s, catalog::Catalog::Embedded(), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->summary.nodes_launched, 2);
  for (const auto& e : Events(*r, "claim_launched")) EXPECT_LE(e["t"].get<double>(), 30) << e.dump();
  EXPECT_EQ(r->summary.pods_never_scheduled, 3);  // two fit, three wait to the end
}

TEST(NodeGroupTest, DerivesOneGroupPerGpuShapeAndOneCpuGroupFromTheDefaultPools) {
  // The default scenario's pools: p5 training, g inference (spot), c/m/r general (spot + on-demand).
  const Scenario s = MakeScenario("1h");
  std::vector<std::string> notes;
  const auto groups = DeriveNodeGroups(s, catalog::Catalog::Embedded(), &notes);
  ASSERT_EQ(groups.size(), 1u);  // one CPU group: on-demand m6i/c6i
  EXPECT_EQ(notes.size(), 1u);
  EXPECT_EQ(groups[0].capacity_type, "on-demand");
  EXPECT_GE(groups[0].instance_types.size(), 2u);  // mixed: same vCPU and memory
  auto types = ResolveGroupTypes(groups[0], s, catalog::Catalog::Embedded());
  for (const auto& t : types) {
    EXPECT_EQ(t.info->vcpu, types.front().info->vcpu);
    EXPECT_EQ(t.info->memory_mib, types.front().info->memory_mib);
  }
}

}  // namespace
}  // namespace adze::sim::baselines
