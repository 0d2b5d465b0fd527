#include "scheduling/solver.h"

#include <gtest/gtest.h>

#include "scheduling/solver_test_util.h"

namespace adze::scheduling {
namespace {

using namespace test_util;  // NOLINT

SolverInput Basic() {
  SolverInput in;
  in.pools.push_back(Pool("default", {Type("small", 2, 8, 10, 0.10), Type("medium", 4, 16, 20, 0.20),
                                      Type("large", 16, 64, 100, 0.80)}));
  return in;
}

TEST(Solver, OnePodGetsTheCheapestTypeThatFitsFirst) {
  SolverInput in = Basic();
  in.pods.push_back(Pod("a", "3", "4Gi"));
  Plan plan = Solve(in);
  ASSERT_EQ(plan.claims.size(), 1u);
  EXPECT_TRUE(plan.unschedulable.empty());
  EXPECT_EQ(TypeNames(plan.claims[0]), (std::vector<std::string>{"medium", "large"}));
  EXPECT_DOUBLE_EQ(plan.claims[0].price_per_hour, 0.08);  // spot at 40% of 0.20
  EXPECT_DOUBLE_EQ(plan.cost_per_hour, 0.08);
  EXPECT_GT(plan.lower_bound, 0);
  EXPECT_LE(plan.lower_bound, plan.cost_per_hour + 1e-9);
}

TEST(Solver, QueueOrderPacksBiggestPodsFirst) {
  SolverInput in = Basic();
  in.pods.push_back(Pod("small", "500m", "1Gi"));
  in.pods.push_back(Pod("big", "15", "8Gi"));
  Plan plan = Solve(in, {.packer = Packer::kKarpenter});
  ASSERT_EQ(plan.claims.size(), 1u);
  // The big pod opened the claim; the small one joined it.
  EXPECT_EQ(plan.claims[0].pods, (std::vector<size_t>{1, 0}));
  EXPECT_EQ(TypeNames(plan.claims[0]), (std::vector<std::string>{"large"}));
}

TEST(Solver, UntoleratedTaintMakesThePodUnschedulableWithTheTaintNamed) {
  SolverInput in = Basic();
  in.pools[0].pool.taints.push_back({"nvidia.com/gpu", "true", model::TaintEffect::kNoSchedule});
  in.pods.push_back(Pod("a", "1", "1Gi"));
  Plan plan = Solve(in);
  ASSERT_EQ(plan.unschedulable.size(), 1u);
  EXPECT_NE(plan.unschedulable[0].reason.find("nvidia.com/gpu=true:NoSchedule"), std::string::npos)
      << plan.unschedulable[0].reason;
  in.pods[0].tolerations.push_back({"nvidia.com/gpu", model::Toleration::Op::kExists, "", std::nullopt, std::nullopt});
  EXPECT_TRUE(Solve(in).unschedulable.empty());
}

TEST(Solver, HigherWeightPoolIsTriedFirstAndTiesGoToTheLaterName) {
  SolverInput in;
  in.pools.push_back(Pool("cheap", {Type("c1", 4, 16, 20, 0.1)}, 0));
  in.pools.push_back(Pool("preferred", {Type("p1", 4, 16, 20, 0.5)}, 10));
  in.pods.push_back(Pod("a", "1", "1Gi"));
  Plan plan = Solve(in);
  ASSERT_EQ(plan.claims.size(), 1u);
  EXPECT_EQ(plan.claims[0].node_pool, "preferred");
  in.pools[1].pool.weight = 0;  // same weight: name descending
  EXPECT_EQ(Solve(in).claims[0].node_pool, "preferred");
}

TEST(Solver, PoolLimitsCapWhatIsLaunched) {
  SolverInput in;
  in.pools.push_back(Pool("limited", {Type("four", 4, 16, 20, 0.2)}));
  in.pools[0].pool.limits.Set("cpu", Q("8"));
  for (int i = 0; i < 6; ++i) in.pods.push_back(Pod("p" + std::to_string(i), "3", "1Gi"));
  Plan plan = Solve(in);
  EXPECT_EQ(plan.claims.size(), 2u);  // 2 × 4 vCPU = the 8 vCPU limit
  EXPECT_EQ(plan.unschedulable.size(), 4u);
  EXPECT_NE(plan.unschedulable[0].reason.find("limits"), std::string::npos) << plan.unschedulable[0].reason;
}

TEST(Solver, DaemonSetOverheadShrinksWhatFits) {
  SolverInput in = Basic();
  model::DaemonSet ds;
  ds.meta.name = "logging";
  ds.pod_template = Pod("logging", "1", "1Gi");
  in.daemon_sets.push_back(ds);
  in.pods.push_back(Pod("a", "1500m", "1Gi"));  // fits small (2 vCPU) only without the daemon
  Plan plan = Solve(in);
  ASSERT_EQ(plan.claims.size(), 1u);
  EXPECT_EQ(TypeNames(plan.claims[0]).front(), "medium");
  EXPECT_EQ(plan.claims[0].requests.Get("cpu"), Q("2500m"));  // pod + daemon
}

TEST(Solver, ExistingNodesAreFilledBeforeBuying) {
  SolverInput in = Basic();
  NodeInput n;
  n.node.meta.name = "node-1";
  n.node.meta.labels = {{"topology.kubernetes.io/zone", "zone-a"}};
  n.node.allocatable = {{"cpu", Q("4")}, {"memory", Q("16Gi")}, {"pods", Q("10")}};
  n.pods.push_back(Pod("bound", "2", "1Gi"));
  in.nodes.push_back(n);
  in.pods.push_back(Pod("a", "1", "1Gi"));
  in.pods.push_back(Pod("b", "1", "1Gi"));
  in.pods.push_back(Pod("c", "1", "1Gi"));
  Plan plan = Solve(in);
  EXPECT_EQ(plan.placed.size(), 2u);
  EXPECT_EQ(plan.claims.size(), 1u);
  for (const auto& p : plan.placed) EXPECT_EQ(p.node, "node-1");
}

model::PodAffinityTerm Term(const std::string& key, const std::string& app) {
  model::PodAffinityTerm t;
  t.topology_key = key;
  t.label_selector = model::LabelSelector{{{"app", app}}, {}};
  return t;
}

TEST(Solver, HostnameAntiAffinityPutsEachPodOnItsOwnNode) {
  SolverInput in = Basic();
  for (int i = 0; i < 4; ++i) {
    model::Pod p = Pod("web-" + std::to_string(i), "100m", "128Mi");
    p.meta.labels["app"] = "web";
    p.required_pod_anti_affinity.push_back(Term("kubernetes.io/hostname", "web"));
    in.pods.push_back(p);
  }
  Plan plan = Solve(in);
  EXPECT_EQ(plan.claims.size(), 4u);
  for (const auto& c : plan.claims) EXPECT_EQ(c.pods.size(), 1u);
}

TEST(Solver, ZoneSpreadBalancesClaimsOverZones) {
  SolverInput in = Basic();
  for (int i = 0; i < 6; ++i) {
    model::Pod p = Pod("s-" + std::to_string(i), "3", "1Gi");
    p.meta.labels["app"] = "s";
    model::TopologySpreadConstraint c;
    c.topology_key = "topology.kubernetes.io/zone";
    c.label_selector = model::LabelSelector{{{"app", "s"}}, {}};
    p.topology_spread.push_back(c);
    in.pods.push_back(p);
  }
  Plan plan = Solve(in);
  ASSERT_TRUE(plan.unschedulable.empty());
  std::map<std::string, int> per_zone;
  for (const auto& c : plan.claims) {
    ASSERT_EQ(c.zones.size(), 1u) << "a spread pod pins its claim to one zone";
    per_zone[c.zones[0]] += static_cast<int>(c.pods.size());
  }
  EXPECT_EQ(per_zone, (std::map<std::string, int>{{"zone-a", 2}, {"zone-b", 2}, {"zone-c", 2}}));
}

TEST(Solver, ZoneSelfAffinityKeepsAGroupInOneZone) {
  SolverInput in = Basic();
  for (int i = 0; i < 5; ++i) {
    model::Pod p = Pod("z-" + std::to_string(i), "10", "1Gi");
    p.meta.labels["app"] = "z";
    p.required_pod_affinity.push_back(Term("topology.kubernetes.io/zone", "z"));
    in.pods.push_back(p);
  }
  Plan plan = Solve(in);
  ASSERT_TRUE(plan.unschedulable.empty());
  std::set<std::string> zones;
  for (const auto& c : plan.claims) zones.insert(c.zones.begin(), c.zones.end());
  EXPECT_EQ(zones.size(), 1u);
}

TEST(Solver, HostPortsForceSeparateNodes) {
  SolverInput in = Basic();
  for (int i = 0; i < 2; ++i) {
    model::Pod p = Pod("hp-" + std::to_string(i), "100m", "128Mi");
    p.containers[0].ports.push_back({8080, 8080, "", "TCP"});
    in.pods.push_back(p);
  }
  EXPECT_EQ(Solve(in).claims.size(), 2u);
}

TEST(Solver, GpuPodsGetOnlyTypesWithEnoughGpus) {
  SolverInput in;
  in.pools.push_back(Pool("gpu", {Type("g1", 8, 32, 50, 1.0, {"zone-a"}, 1), Type("g4", 48, 192, 100, 5.0, {"zone-a"}, 4),
                                  Type("g8", 96, 384, 100, 9.0, {"zone-a"}, 8)}));
  in.pods.push_back(Pod("train", "16", "64Gi", "4"));
  Plan plan = Solve(in);
  ASSERT_EQ(plan.claims.size(), 1u);
  EXPECT_EQ(TypeNames(plan.claims[0]), (std::vector<std::string>{"g4", "g8"}));
}

TEST(Solver, UnavailableOfferingsAreNotLaunched) {
  SolverInput in = Basic();
  std::vector<catalog::InstanceType> types = in.pools[0].instance_types.all();
  for (auto& t : types) {
    if (t.name == "small") {
      for (auto& o : t.offerings) o.available = false;  // insufficient-capacity cache
    }
  }
  in.pools[0].instance_types = std::move(types);
  in.pods.push_back(Pod("a", "1", "1Gi"));
  Plan plan = Solve(in);
  EXPECT_EQ(TypeNames(plan.claims[0]).front(), "medium");
}

TEST(Solver, PreferredNodeAffinityIsRelaxedWhenItCannotBeMet) {
  SolverInput in = Basic();
  model::Pod p = Pod("a", "1", "1Gi");
  model::PreferredNodeTerm pref;
  pref.weight = 10;
  pref.requirements.Add(model::Requirement::In("topology.kubernetes.io/zone", {"zone-z"}));
  p.preferred_node_affinity.push_back(pref);
  in.pods.push_back(p);
  Plan plan = Solve(in);
  EXPECT_TRUE(plan.unschedulable.empty());
  pref.requirements = model::Requirements();
  pref.requirements.Add(model::Requirement::In("topology.kubernetes.io/zone", {"zone-b"}));
  in.pods[0].preferred_node_affinity = {pref};
  Plan honoured = Solve(in);
  EXPECT_EQ(honoured.claims[0].zones, (std::vector<std::string>{"zone-b"}));
}

TEST(Solver, AdzePackerNeverCostsMoreThanKarpenterOrder) {
  SolverInput in = Basic();
  for (int i = 0; i < 40; ++i) in.pods.push_back(Pod("p" + std::to_string(i), i % 3 ? "700m" : "1500m", "1Gi"));
  Plan k = Solve(in, {.packer = Packer::kKarpenter});
  Plan a = Solve(in, {.packer = Packer::kAdze});
  EXPECT_LE(a.cost_per_hour, k.cost_per_hour + 1e-9);
  EXPECT_EQ(a.unschedulable.size(), 0u);
}

// Pods of 5, 4, 4, 3, 2 and 2 CPU on a 10-CPU type: packed in queue order
// (by CPU, best fit) they need three nodes (5+4, 4+3+2, 2); the re-pack
// post-pass finds the two full ones (5+3+2, 4+4+2).
TEST(Solver, RepackFindsTheOptimumGreedyPackingMisses) {
  SolverInput in;
  in.pools.push_back(Pool("default", {Type("ten", 10, 64, 110, 1.0)}));
  int i = 0;
  for (const char* cpu : {"5", "4", "4", "3", "2", "2"}) in.pods.push_back(Pod("p" + std::to_string(i++), cpu, "1Gi"));
  Plan k = Solve(in, {.packer = Packer::kKarpenter});
  EXPECT_EQ(k.claims.size(), 3u);
  Plan a = Solve(in);
  ASSERT_EQ(a.claims.size(), 2u);
  EXPECT_DOUBLE_EQ(a.cost_per_hour, 0.8);  // two spot nodes at 40% of 1.0
  for (const NewClaim& c : a.claims) {
    int64_t cpu = 0;
    for (size_t pod : c.pods) cpu += in.pods[pod].EffectiveRequests().Get("cpu").milli();
    EXPECT_EQ(cpu, 10'000);
  }
}

TEST(Solver, ExplainNamesTheFirstConstraintPerType) {
  SolverInput in;
  in.pools.push_back(Pool("gpu", {Type("g1", 32, 128, 50, 1.0, {"zone-a"}, 1), Type("g8", 96, 384, 100, 9.0, {"zone-a"}, 8)}));
  in.pools.push_back(Pool("tainted", {Type("t", 8, 32, 50, 1.0)}));
  in.pools[1].pool.taints.push_back({"dedicated", "x", model::TaintEffect::kNoSchedule});
  in.pods.push_back(Pod("train", "16", "64Gi", "8"));
  std::vector<Rejection> r = Explain(in, 0);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].node_pool, "tainted");
  EXPECT_EQ(r[0].constraint, "taints");
  EXPECT_EQ(r[1].instance_type, "g1");
  EXPECT_EQ(r[1].constraint, "resources");
  EXPECT_NE(r[1].reason.find("needs 8 nvidia.com/gpu, type has 1"), std::string::npos) << r[1].reason;
  EXPECT_EQ(r[2].instance_type, "g8");
  EXPECT_EQ(r[2].constraint, "");  // g8 can carry it
}

}  // namespace
}  // namespace adze::scheduling
