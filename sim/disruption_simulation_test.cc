// Disruption end to end (issue 5): the controllers on the simulator, with the
// invariant monitor on. Scenarios are small and explicit so each test shows
// one behaviour.
#include <algorithm>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "sim/scenario/default_scenario.h"
#include "sim/scenario/scenario_decoder.h"
#include "sim/simulation.h"

namespace adze::sim {
namespace {

// The EC2NodeClass every scenario here uses, as a manifests entry.
constexpr std::string_view kDefaultNodeClass = R"(  - apiVersion: karpenter.k8s.aws/v1
    kind: EC2NodeClass
    metadata: {name: default}
    spec:
      amiSelectorTerms: [{alias: al2023@latest}]
      role: NodeRole
      subnetSelectorTerms: [{tags: {karpenter.sh/discovery: t}}]
      securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: t}}]
)";

// Decodes and runs a scenario with the invariant monitor on.
RunResult RunChecked(const std::string& yaml, SimulationOptions options = {}) {
  auto scenario = DecodeScenario(yaml, "disruption-test.yaml", ReadLocalFile);
  EXPECT_TRUE(scenario.ok()) << scenario.error().message;
  options.check_invariants = true;
  auto result = RunSimulation(*scenario, catalog::Catalog::Embedded(), options);
  EXPECT_TRUE(result.ok()) << result.error().message;
  return std::move(result).value();
}

// A CPU pool whose disruption block is DISRUPTION, and a GPU pool (untainted
// here, so CPU pods may land on it) for the GPU-consolidation case.
std::string Scenario(const std::string& disruption, const std::string& workloads, const std::string& extra = "") {
  return R"(apiVersion: adze.dev/v1alpha1
kind: Scenario
name: disruption-test
seed: 7
duration: 6h
region: us-east-1
zones: [us-east-1a, us-east-1b]
manifests:
  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: {name: cpu}
    spec:
      weight: 20
      template:
        spec:
          requirements:
            - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
            - {key: karpenter.k8s.aws/instance-family, operator: In, values: [m6i, c6i]}
          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
          expireAfter: EXPIRE
      disruption:
)" + disruption + R"(
  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: {name: gpu}
    spec:
      template:
        metadata: {labels: {pool: gpu}}
        spec:
          requirements:
            - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
            - {key: karpenter.k8s.aws/instance-family, operator: In, values: [g5]}
          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      disruption: {consolidationPolicy: WhenEmptyOrUnderutilized, consolidateAfter: 5m}
)" + std::string(kDefaultNodeClass) + extra + "workloads:\n" + workloads;
}

std::string Service(const std::string& name, int min, int max, const std::string& cpu, bool do_not_disrupt = false,
                    double peak_hour = 1) {
  std::string s = "  - kind: InferenceService\n    name: " + name + "\n    loadCurve: {diurnal: {min: " +
                  std::to_string(min) + ", max: " + std::to_string(max) + ", peakHour: " + std::to_string(peak_hour) +
                  "}}\n    reconcileInterval: 10m\n    template:\n      metadata:\n        labels: {app: " + name + "}\n";
  if (do_not_disrupt) s += "        annotations: {karpenter.sh/do-not-disrupt: \"true\"}\n";
  s += "      spec:\n        containers:\n          - name: app\n            image: app:1\n            resources: "
       "{requests: {cpu: \"" + cpu + "\", memory: 1Gi}}\n";
  return s;
}

RunResult RunScenario(std::string yaml, SimulationOptions::Disruption mode = SimulationOptions::Disruption::kAdze,
              const std::string& expire = "Never") {
  yaml.replace(yaml.find("EXPIRE"), 6, expire);
  SimulationOptions options;
  options.disruption = mode;
  return RunChecked(yaml, options);
}

constexpr const char* kUnderutilized = "        consolidationPolicy: WhenEmptyOrUnderutilized\n        consolidateAfter: 5m";

TEST(DisruptionSimulationTest, ConsolidationFollowsLoadDownAndSavesMoney) {
  // 40 replicas at the start, 4 by hour 12.
  std::string yaml = Scenario(kUnderutilized, Service("web", 4, 40, "900m", false, 0));
  yaml.replace(yaml.find("duration: 6h"), 12, "duration: 12h");
  const RunResult off = RunScenario(yaml, SimulationOptions::Disruption::kOff);
  const RunResult on = RunScenario(yaml);
  EXPECT_TRUE(on.violations.empty()) << on.violations.front();
  EXPECT_GT(on.summary.disruption_commands, 0);
  EXPECT_LT(on.summary.cost_usd, off.summary.cost_usd * 0.9);
  EXPECT_LT(on.summary.nodes_at_end, off.summary.nodes_at_end);
  EXPECT_EQ(on.summary.pods_running_at_end, off.summary.pods_running_at_end);
  EXPECT_EQ(on.summary.pods_lost_with_node, 0);
}

// The issue's outcome: on the default scenario consolidation lowers cost
// while p95 time-to-running stays within 10 % of consolidation off. The
// batch jobs take a node each, so without headroom every removed idle node
// is a cold start for a later job.
TEST(DisruptionSimulationTest, OnTheDefaultScenarioConsolidationSavesWithoutSlowingPods) {
  auto scenario = DefaultScenario();
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  auto run = [&](SimulationOptions::Disruption mode, bool headroom) {
    SimulationOptions options;
    options.disruption = mode;
    options.headroom = headroom;
    auto result = RunSimulation(*scenario, catalog::Catalog::Embedded(), options);
    EXPECT_TRUE(result.ok());
    return std::move(result).value().summary;
  };
  const RunSummary off = run(SimulationOptions::Disruption::kOff, true);
  const RunSummary on = run(SimulationOptions::Disruption::kAdze, true);
  const RunSummary no_headroom = run(SimulationOptions::Disruption::kAdze, false);
  EXPECT_LT(on.cost_usd, off.cost_usd * 0.6);
  EXPECT_LE(on.time_to_running.p95, off.time_to_running.p95 * 1.1);
  EXPECT_EQ(on.pods_pending_at_end, 0);
  // Headroom costs little and saves launches: fewer nodes bought back.
  EXPECT_LT(on.cost_usd, no_headroom.cost_usd * 1.01);
  EXPECT_LT(on.nodes_launched, no_headroom.nodes_launched);
}

// One spot pool over FAMILIES; a service of 24 one-CPU replicas at the start
// falling to 2: the spot node bought for the peak holds two pods at the end.
RunResult RunSpotScaleDown(const std::string& families, bool spot_to_spot) {
  std::string yaml = R"(apiVersion: adze.dev/v1alpha1
kind: Scenario
name: spot-to-spot
seed: 5
duration: 12h
region: us-east-1
zones: [us-east-1a]
manifests:
  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: {name: spot}
    spec:
      template:
        spec:
          requirements:
            - {key: karpenter.sh/capacity-type, operator: In, values: [spot]}
            - {key: karpenter.k8s.aws/instance-family, operator: In, values: FAMILIES}
          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      disruption: {consolidationPolicy: WhenEmptyOrUnderutilized, consolidateAfter: 5m}
)" + std::string(kDefaultNodeClass) + R"(ec2: {spotInterruptions: false}
controllers: {spotToSpotConsolidation: GATE}
workloads:
)" + Service("web", 2, 24, "1", false, 0);
  yaml.replace(yaml.find("FAMILIES"), 8, families);
  yaml.replace(yaml.find("GATE"), 4, spot_to_spot ? "true" : "false");
  SimulationOptions options;
  options.record_events = true;
  return RunChecked(yaml, options);
}

// Spot replacement claims launched, from the event log.
std::vector<nlohmann::json> SpotReplacementsLaunched(const RunResult& r) {
  std::vector<nlohmann::json> out;
  for (const std::string& line : r.events) {
    auto e = nlohmann::json::parse(line);
    if (e["type"] == "claim_launched" && e["claim"].get<std::string>().find("-r") != std::string::npos) {
      EXPECT_EQ(e["capacity_type"], "spot");
      out.push_back(e);
    }
  }
  return out;
}

TEST(DisruptionSimulationTest, SpotNodesAreReplacedBySpotOnlyWithTheFeatureGate) {
  const std::string families = "[c6i, m6i, r6i, c7i, m7i, r7i, c6a, m6a, r6a]";
  const RunResult off = RunSpotScaleDown(families, /*spot_to_spot=*/false);
  const RunResult on = RunSpotScaleDown(families, /*spot_to_spot=*/true);
  EXPECT_TRUE(off.violations.empty()) << off.violations.front();
  EXPECT_TRUE(on.violations.empty()) << on.violations.front();
  EXPECT_TRUE(SpotReplacementsLaunched(off).empty()) << "gate off: spot candidates may only be deleted";
  EXPECT_FALSE(SpotReplacementsLaunched(on).empty());
  EXPECT_LT(on.summary.cost_usd, off.summary.cost_usd);
}

TEST(DisruptionSimulationTest, SingleNodeSpotToSpotNeedsFifteenCheaperTypes) {
  // m6i alone has fewer than 15 sizes: no single-node spot-to-spot move.
  const RunResult r = RunSpotScaleDown("[m6i]", /*spot_to_spot=*/true);
  EXPECT_TRUE(r.violations.empty()) << r.violations.front();
  EXPECT_TRUE(SpotReplacementsLaunched(r).empty());
}

TEST(DisruptionSimulationTest, DoNotDisruptPodsKeepTheirNodes) {
  const std::string yaml = Scenario(kUnderutilized, Service("web", 4, 40, "900m", /*do_not_disrupt=*/true));
  const RunResult r = RunScenario(yaml);
  EXPECT_TRUE(r.violations.empty()) << r.violations.front();
  // Every node carries a protected pod until the scale-down empties it, so
  // only emptiness may remove nodes; nothing is evicted.
  EXPECT_EQ(r.summary.pods_evicted, 0);
  EXPECT_EQ(r.summary.disruptions_by_reason.count("Underutilized"), 0u);
}

TEST(DisruptionSimulationTest, WhenEmptyPolicyOnlyRemovesEmptyNodes) {
  const std::string yaml =
      Scenario("        consolidationPolicy: WhenEmpty\n        consolidateAfter: 5m", Service("web", 4, 40, "900m"));
  const RunResult r = RunScenario(yaml);
  EXPECT_TRUE(r.violations.empty()) << r.violations.front();
  EXPECT_EQ(r.summary.pods_evicted, 0);
  EXPECT_EQ(r.summary.disruptions_by_reason.count("Underutilized"), 0u);
}

TEST(DisruptionSimulationTest, BudgetOfOneNodeIsNeverExceeded) {
  const std::string yaml = Scenario(std::string(kUnderutilized) + "\n        budgets: [{nodes: \"1\"}]",
                                    Service("web", 4, 40, "900m"));
  const RunResult r = RunScenario(yaml);
  // The monitor checks the budget every simulated second.
  EXPECT_TRUE(r.violations.empty()) << r.violations.front();
  EXPECT_GT(r.summary.disruption_commands, 0);
}

TEST(DisruptionSimulationTest, ConsolidateAfterNeverKeepsNodes) {
  const std::string yaml = Scenario("        consolidationPolicy: WhenEmptyOrUnderutilized\n        consolidateAfter: Never",
                                    Service("web", 4, 40, "900m"));
  const RunResult r = RunScenario(yaml);
  EXPECT_EQ(r.summary.disruption_commands, 0);
}

TEST(DisruptionSimulationTest, GpuNodeKeptAliveOnlyByCpuPodsIsReplacedByACpuNode) {
  // A one-worker GPU job gets a g5 node; long CPU batch pods arriving while
  // it runs fill the node's spare CPU. When the job ends the g5 node holds
  // only CPU pods, which a much cheaper CPU node can carry.
  const std::string workloads = R"(  - kind: TrainingJob
    name: gpu-job
    workers: 1
    duration: 20m
    template:
      spec:
        nodeSelector: {pool: gpu}
        containers:
          - name: train
            image: train:1
            resources: {requests: {cpu: "1", memory: 4Gi, nvidia.com/gpu: "1"}}
  - kind: BatchJobs
    name: cpu-batch
    arrivalsPerHour: 40
    medianDuration: 5h
    durationSigma: 0.01
    start: 4m
    stop: 15m
    template:
      spec:
        containers:
          - name: job
            image: job:1
            resources: {requests: {cpu: 500m, memory: 1Gi}}
)";
  const RunResult r = RunScenario(Scenario(kUnderutilized, workloads));
  EXPECT_TRUE(r.violations.empty()) << r.violations.front();
  EXPECT_EQ(r.summary.training_jobs_completed, 1);
  EXPECT_GE(r.summary.disruptions_by_reason.count("Underutilized"), 1u);
  // The g5 ran for the job and a few minutes more, not for the whole run.
  EXPECT_LT(r.summary.gpu_hours_provisioned, 1.5);
  EXPECT_EQ(r.summary.pods_pending_at_end, 0);
}

// Long batch jobs (Job pods that restart from scratch when evicted) arrive
// for an hour, then finish one by one, leaving their nodes underused. Nodes
// have 4 or 8 CPUs, so a 1.5-CPU pod holds a fifth of its node at least.
std::string LongBatchJobsScenario(const std::string& pod_annotations = "") {
  std::string yaml = Scenario(kUnderutilized, R"(  - kind: BatchJobs
    name: long
    arrivalsPerHour: 40
    medianDuration: 3h
    durationSigma: 0.8
    stop: 1h
    template:
      metadata: {annotations: {)" + pod_annotations + R"(}}
      spec:
        containers:
          - name: job
            image: job:1
            resources: {requests: {cpu: 1500m, memory: 2Gi}}
)");
  const std::string families = "values: [m6i, c6i]}";
  yaml.replace(yaml.find(families), families.size(),
               "values: [m6i]}\n"
               "            - {key: karpenter.k8s.aws/instance-cpu, operator: In, values: [\"4\", \"8\"]}");
  yaml.replace(yaml.find("EXPIRE"), 6, "Never");
  return yaml;
}

// The longest any evicted pod had been running, in hours.
double LongestRunEvicted(const RunResult& r) {
  std::map<std::string, double> running_since;
  double longest = 0;
  for (const auto& line : r.events) {
    auto e = nlohmann::json::parse(line);
    if (e["type"] == "pod_running") running_since[e["pod"]] = e["t"].get<double>();
    if (e["type"] == "pod_evicted") {
      longest = std::max(longest, (e["t"].get<double>() - running_since.at(e["pod"])) / 3600);
    }
  }
  return longest;
}

// Whether some consolidation was decided whose evicted pods would redo more
// work than its savings repay in `payback_hours`.
bool DecidedUnrepaidMove(const RunResult& r, double payback_hours) {
  for (const auto& line : r.events) {
    auto e = nlohmann::json::parse(line);
    if (e["type"] != "disruption_decided") continue;
    if (e["lost_work_usd"].get<double>() > e["savings_per_hour"].get<double>() * payback_hours + 1e-9) return true;
  }
  return false;
}

TEST(DisruptionSimulationTest, ConsolidationDoesNotMakeLongJobsStartAgain) {
  SimulationOptions options;
  options.record_events = true;
  const RunResult priced = RunChecked(LongBatchJobsScenario(), options);
  options.lost_work_payback = 0;  // as Karpenter: lost work ignored
  const RunResult ignored = RunChecked(LongBatchJobsScenario(), options);
  EXPECT_TRUE(priced.violations.empty()) << priced.violations.front();
  // Ignoring it, consolidation restarts jobs that had run for hours.
  EXPECT_GT(LongestRunEvicted(ignored), 1.0);
  // Priced, the savings of a move repay the redone work within 10 min: at a
  // fifth of a node or more, no job that has run an hour is moved.
  EXPECT_LT(LongestRunEvicted(priced), 1.0);
  EXPECT_LT(priced.summary.pods_evicted, ignored.summary.pods_evicted);
  EXPECT_EQ(priced.summary.pods_pending_at_end, 0);
  // Every decision says what it would lose, and the rule holds on each.
  EXPECT_TRUE(DecidedUnrepaidMove(ignored, 10.0 / 60));
  EXPECT_FALSE(DecidedUnrepaidMove(priced, 10.0 / 60));
}

TEST(DisruptionSimulationTest, JobsThatCheckpointAreMovedAsTheyLoseLittle) {
  SimulationOptions options;
  options.record_events = true;
  const RunResult r = RunChecked(LongBatchJobsScenario("adze.dev/checkpoint-interval: 5m"), options);
  EXPECT_TRUE(r.violations.empty()) << r.violations.front();
  EXPECT_GT(LongestRunEvicted(r), 1.0);
}

TEST(DisruptionSimulationTest, ExpiredNodesAreReplacedOutsideBudgets) {
  const std::string yaml = Scenario("        consolidationPolicy: WhenEmpty\n        consolidateAfter: Never\n        "
                                    "budgets: [{nodes: \"0\"}]",
                                    Service("web", 6, 6, "900m"));
  const RunResult r = RunScenario(yaml, SimulationOptions::Disruption::kAdze, "1h");
  EXPECT_TRUE(r.violations.empty()) << r.violations.front();
  EXPECT_GT(r.summary.nodes_expired, 0);
  EXPECT_EQ(r.summary.pods_running_at_end, 6);
  EXPECT_EQ(r.summary.disruption_commands, 0);  // budgets of 0 stop voluntary methods
}

constexpr const char* kNewAmi = R"(changes:
  - at: 1h
    manifests:
      - apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata: {name: default}
        spec:
          amiFamily: AL2023
          amiSelectorTerms: [{id: ami-0123456789abcdef0}]
          role: NodeRole
          subnetSelectorTerms: [{tags: {karpenter.sh/discovery: t}}]
          securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: t}}]
)";

TEST(DisruptionSimulationTest, NewAmiDriftsEveryNodeAndReplacesThemWithinTheBudget) {
  std::string yaml = Scenario("        consolidationPolicy: WhenEmpty\n        consolidateAfter: Never\n        "
                              "budgets: [{nodes: \"1\"}]",
                              Service("web", 12, 12, "1500m"));
  yaml += kNewAmi;
  const RunResult r = RunScenario(yaml);
  EXPECT_TRUE(r.violations.empty()) << r.violations.front();
  ASSERT_TRUE(r.summary.disruptions_by_reason.count("Drifted"));
  // Every node launched before the change was replaced, one at a time.
  EXPECT_EQ(r.summary.disruptions_by_reason.at("Drifted"), r.summary.nodes_launched - r.summary.nodes_at_end);
  EXPECT_GT(r.summary.disruptions_by_reason.at("Drifted"), 1);
  EXPECT_EQ(r.summary.pods_running_at_end, 12);
  EXPECT_EQ(r.summary.pods_lost_with_node, 0);
}

// At 2 h the cpu pool is re-applied with FAMILIES as its instance families
// and, if given, TEMPLATE_LABELS as its template labels — nothing else changes.
RunResult RunPoolChange(const std::string& families, const std::string& template_labels = "") {
  std::string yaml = Scenario("        consolidationPolicy: WhenEmpty\n        consolidateAfter: Never",
                              Service("web", 6, 6, "1500m"));
  yaml += R"(changes:
  - at: 2h
    manifests:
      - apiVersion: karpenter.sh/v1
        kind: NodePool
        metadata: {name: cpu}
        spec:
          weight: 20
          template:
METADATA            spec:
              requirements:
                - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
                - {key: karpenter.k8s.aws/instance-family, operator: In, values: FAMILIES}
              nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
              expireAfter: Never
          disruption: {consolidationPolicy: WhenEmpty, consolidateAfter: Never}
)";
  yaml.replace(yaml.find("METADATA"), 8,
               template_labels.empty() ? "" : "            metadata: {labels: {" + template_labels + "}}\n");
  yaml.replace(yaml.find("FAMILIES"), 8, families);
  return RunScenario(yaml);
}

void ExpectEveryEarlierNodeDrifted(const RunResult& r) {
  EXPECT_TRUE(r.violations.empty()) << r.violations.front();
  ASSERT_TRUE(r.summary.disruptions_by_reason.count("Drifted"));
  EXPECT_GT(r.summary.disruptions_by_reason.at("Drifted"), 0);
  EXPECT_EQ(r.summary.disruptions_by_reason.at("Drifted"), r.summary.nodes_launched - r.summary.nodes_at_end);
  EXPECT_EQ(r.summary.pods_running_at_end, 6);
}

TEST(DisruptionSimulationTest, WideningRequirementsNeverDrifts) {
  const RunResult r = RunPoolChange("[m6i, c6i, m7i, c7i]");
  EXPECT_TRUE(r.violations.empty()) << r.violations.front();
  EXPECT_EQ(r.summary.disruptions_by_reason.count("Drifted"), 0u);
  EXPECT_EQ(r.summary.pods_evicted, 0);
}

TEST(DisruptionSimulationTest, NodesOutsideNarrowedRequirementsDrift) {
  ExpectEveryEarlierNodeDrifted(RunPoolChange("[r6i]"));  // neither m6i nor c6i any more
}

TEST(DisruptionSimulationTest, NodePoolTemplateChangeDriftsItsNodes) {
  ExpectEveryEarlierNodeDrifted(RunPoolChange("[m6i, c6i]", "team: search"));
}

TEST(DisruptionSimulationTest, KarpenterModeRunsTheSameScenario) {
  const std::string yaml = Scenario(kUnderutilized, Service("web", 4, 40, "900m"));
  const RunResult r = RunScenario(yaml, SimulationOptions::Disruption::kKarpenter);
  EXPECT_TRUE(r.violations.empty()) << r.violations.front();
  EXPECT_GT(r.summary.disruption_commands, 0);
}

// Invariants over random clusters and random fault schedules: replica
// counts, protected share, budgets, consolidateAfter, spot interruptions.
RC_GTEST_PROP(DisruptionInvariants, HoldOverRandomClustersAndFaults, ()) {
  const int peak = *rc::gen::inRange(2, 30);
  const int trough = *rc::gen::inRange(0, peak + 1);
  const int protected_replicas = *rc::gen::inRange(0, 6);
  const int budget = *rc::gen::inRange(0, 4);
  const bool percent = *rc::gen::arbitrary<bool>();
  const int after_min = *rc::gen::inRange(1, 20);
  const int interruptions = *rc::gen::inRange(0, 3);
  const int seed = *rc::gen::inRange(0, 1000000);
  const std::string budget_text = percent ? std::to_string(budget * 20) + "%" : std::to_string(budget);
  std::string yaml = Scenario("        consolidationPolicy: WhenEmptyOrUnderutilized\n        consolidateAfter: " +
                                  std::to_string(after_min) + "m\n        budgets: [{nodes: \"" + budget_text + "\"}]",
                              Service("web", trough, peak, "700m", false, 0.5) +
                                  Service("db", protected_replicas, protected_replicas, "1500m", true),
                              "ec2: {spotInterruptionMultiplier: " + std::to_string(interruptions * 2000) + "}\n");
  yaml.replace(yaml.find("seed: 7"), 7, "seed: " + std::to_string(seed));
  yaml.replace(yaml.find("duration: 6h"), 12, "duration: 3h");
  yaml.replace(yaml.find("values: [on-demand]"), 19, "values: [on-demand, spot]");
  const RunResult r = RunScenario(yaml);
  for (const auto& v : r.violations) RC_LOG() << v << "\n";
  RC_ASSERT(r.violations.empty());
  // Drains finish inside the two-minute spot notice, so no pod dies with its
  // node — except do-not-disrupt pods, which termination waits for rather
  // than evicts, and which a spot reclaim then takes down.
  if (interruptions == 0 || protected_replicas == 0) RC_ASSERT(r.summary.pods_lost_with_node == 0);
}

// Drift and PDBs in the mix: a new AMI at a random time, a PDB with a random
// allowance over the service, random budgets.
RC_GTEST_PROP(DisruptionInvariants, HoldWithDriftAndPodDisruptionBudgets, ()) {
  const int replicas = *rc::gen::inRange(1, 16);
  const int max_unavailable = *rc::gen::inRange(0, 3);
  const int budget = *rc::gen::inRange(0, 3);
  const int change_minute = *rc::gen::inRange(10, 150);
  const int seed = *rc::gen::inRange(0, 1000000);
  std::string yaml = Scenario("        consolidationPolicy: WhenEmptyOrUnderutilized\n        consolidateAfter: 2m\n"
                              "        budgets: [{nodes: \"" + std::to_string(budget) + "\"}]",
                              Service("web", replicas / 2, replicas, "1200m", false, 0.5));
  yaml.replace(yaml.find("seed: 7"), 7, "seed: " + std::to_string(seed));
  yaml.replace(yaml.find("duration: 6h"), 12, "duration: 3h");
  yaml.replace(yaml.find("manifests:\n"), 11,
               "manifests:\n  - apiVersion: policy/v1\n    kind: PodDisruptionBudget\n    metadata: {name: web, "
               "namespace: default}\n    spec:\n      maxUnavailable: " + std::to_string(max_unavailable) +
                   "\n      selector: {matchLabels: {app: web}}\n");
  std::string change = kNewAmi;
  change.replace(change.find("at: 1h"), 6, "at: " + std::to_string(change_minute) + "m");
  const RunResult r = RunScenario(yaml + change);
  for (const auto& v : r.violations) RC_LOG() << v << "\n";
  RC_ASSERT(r.violations.empty());
  RC_ASSERT(r.summary.pods_lost_with_node == 0);
}

}  // namespace
}  // namespace adze::sim

namespace adze::sim {
namespace {

// Pods a and b first share one big node of the "shared" pool (it has the
// higher weight); at 1 h the weights flip, and the cheapest home for the two
// pods is now two small nodes, one in each team's pool.
std::string TwoForOneScenario() {
  std::string pools;
  for (const char* team : {"a", "b"}) {
    pools += std::string(R"(  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: {name: team-)") + team + R"(}
    spec:
      weight: WEIGHT_TEAM
      template:
        metadata: {labels: {)" + team + R"(: "true"}}
        spec:
          requirements:
            - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
            - {key: karpenter.k8s.aws/instance-family, operator: In, values: [m6i]}
          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      disruption: {consolidationPolicy: WhenEmptyOrUnderutilized, consolidateAfter: 5m}
)";
  }
  const std::string shared = R"(  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: {name: shared}
    spec:
      weight: WEIGHT_SHARED
      template:
        metadata: {labels: {a: "true", b: "true"}}
        spec:
          requirements:
            - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
            - {key: node.kubernetes.io/instance-type, operator: In, values: [m6i.8xlarge]}
          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      disruption: {consolidationPolicy: WhenEmptyOrUnderutilized, consolidateAfter: 5m}
)";
  auto with = [](std::string text, const char* key, const char* value) {
    for (size_t at; (at = text.find(key)) != std::string::npos;) text.replace(at, std::string(key).size(), value);
    return text;
  };
  std::string workloads;
  for (const char* team : {"a", "b"}) {
    workloads += std::string("  - kind: InferenceService\n    name: svc-") + team +
                 "\n    template:\n      spec:\n        nodeSelector: {" + team +
                 ": \"true\"}\n        containers:\n          - name: app\n            image: app:1\n"
                 "            resources: {requests: {cpu: \"1\", memory: 2Gi}}\n";
  }
  std::string flipped = with(with(pools + shared, "WEIGHT_TEAM", "10"), "WEIGHT_SHARED", "1");
  std::string indented;
  for (size_t start = 0; start < flipped.size();) {
    size_t end = flipped.find('\n', start);
    indented += "    " + flipped.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return "apiVersion: adze.dev/v1alpha1\nkind: Scenario\nname: two-for-one\nseed: 3\nduration: 3h\n"
         "zones: [us-east-1a]\nmanifests:\n" +
         with(with(pools + shared, "WEIGHT_TEAM", "1"), "WEIGHT_SHARED", "10") + std::string(kDefaultNodeClass) +
         "workloads:\n" + workloads + "changes:\n  - at: 1h\n    manifests:\n" + indented;
}

RunResult RunTwoForOne(SimulationOptions::Disruption mode, size_t max_replacements = 1) {
  SimulationOptions options;
  options.disruption = mode;
  options.max_replacements = max_replacements;
  options.record_events = true;
  return RunChecked(TwoForOneScenario(), options);
}

bool ReplacedOneNodeWithTwo(const RunResult& r) {
  for (const auto& line : r.events) {
    auto e = nlohmann::json::parse(line);
    if (e["type"] == "disruption_executed" && e["replacements"].size() == 2 && e["candidates"].size() == 1) {
      return true;
    }
  }
  return false;
}

TEST(DisruptionSimulationTest, AdzeReplacesOneExpensiveNodeWithTwoCheaperOnesWhenAllowed) {
  const RunResult adze = RunTwoForOne(SimulationOptions::Disruption::kAdze, /*max_replacements=*/2);
  const RunResult karpenter = RunTwoForOne(SimulationOptions::Disruption::kKarpenter, 2);
  EXPECT_TRUE(adze.violations.empty()) << adze.violations.front();
  EXPECT_TRUE(ReplacedOneNodeWithTwo(adze));
  EXPECT_EQ(adze.summary.pods_running_at_end, 2);
  // Karpenter allows one replacement per move whatever the option: the big node stays.
  EXPECT_EQ(karpenter.summary.disruption_commands, 0);
  EXPECT_LT(adze.summary.cost_usd, karpenter.summary.cost_usd);
}

// One replacement by default (several cost more over a run than they save,
// issue 16): the big node stays, as under Karpenter.
TEST(DisruptionSimulationTest, ByDefaultAConsolidationLaunchesOneReplacementAtMost) {
  const RunResult adze = RunTwoForOne(SimulationOptions::Disruption::kAdze);
  EXPECT_TRUE(adze.violations.empty()) << adze.violations.front();
  EXPECT_FALSE(ReplacedOneNodeWithTwo(adze));
  for (const auto& line : adze.events) {
    auto e = nlohmann::json::parse(line);
    if (e["type"] == "disruption_decided") {
      EXPECT_LE(e["replacements"].get<int>(), 1) << line;
    }
  }
}

TEST(DisruptionSimulationTest, PodDisruptionBudgetBlocksConsolidation) {
  // Four replicas protected by a PDB that allows no disruption: their nodes
  // are never voluntarily drained, however underutilised.
  std::string yaml = Scenario(kUnderutilized, Service("web", 4, 40, "900m"), R"(pdbs: []
)");
  yaml.replace(yaml.find("pdbs: []\n"), 9, "");
  yaml.replace(yaml.find("manifests:\n"), 11, R"(manifests:
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: web, namespace: default}
    spec:
      maxUnavailable: 0
      selector: {matchLabels: {app: web}}
)");
  const RunResult r = RunScenario(yaml);
  EXPECT_TRUE(r.violations.empty()) << r.violations.front();
  EXPECT_EQ(r.summary.pods_evicted, 0);
  EXPECT_EQ(r.summary.disruptions_by_reason.count("Underutilized"), 0u);
}

}  // namespace
}  // namespace adze::sim
