// Table-driven tests, one per rule of spec §2 that the basic solver tests
// (solver_test.cc) do not already cover: minValues (Strict, BestEffort),
// reserved capacity with counts, each relaxation step, the spread node
// policies, and matchLabelKeys for spread and pod affinity.
#include <gtest/gtest.h>

#include <map>

#include "scheduling/solver.h"
#include "scheduling/solver_test_util.h"

namespace adze::scheduling {
namespace {

using namespace test_util;  // NOLINT

const std::string kZone(model::label::kZone);
const std::string kHost(model::label::kHostname);

model::PodAffinityTerm Term(const std::string& key, const std::string& app) {
  model::PodAffinityTerm t;
  t.topology_key = key;
  t.label_selector = model::LabelSelector{{{"app", app}}, {}};
  return t;
}

model::TopologySpreadConstraint Spread(const std::string& key, const std::string& app, bool schedule_anyway = false) {
  model::TopologySpreadConstraint c;
  c.topology_key = key;
  c.max_skew = 1;
  c.label_selector = model::LabelSelector{{{"app", app}}, {}};
  if (schedule_anyway) c.when_unsatisfiable = model::TopologySpreadConstraint::WhenUnsatisfiable::kScheduleAnyway;
  return c;
}

// A full node (no room left) in zone, carrying the given bound pods.
NodeInput FullNode(const std::string& name, const std::string& zone, std::vector<model::Pod> pods,
                   std::vector<model::Taint> taints = {}) {
  NodeInput n;
  n.node.meta.name = name;
  n.node.meta.labels = {{kZone, zone}};
  n.node.taints = std::move(taints);
  n.node.allocatable = {{"cpu", Q("100m")}, {"memory", Q("128Mi")}, {"pods", Q("110")}};
  for (auto& p : pods) {
    p.containers[0].requests = {{"cpu", Q("10m")}, {"memory", Q("1Mi")}};
    p.node_name = name;
  }
  n.pods = std::move(pods);
  return n;
}

model::Pod Labeled(const std::string& name, std::map<std::string, std::string> labels, const std::string& cpu = "1") {
  model::Pod p = Pod(name, cpu, "1Gi");
  for (auto& [k, v] : labels) p.meta.labels[k] = v;
  return p;
}

std::map<std::string, int> PodsPerZone(const Plan& plan) {
  std::map<std::string, int> out;
  for (const NewClaim& c : plan.claims) {
    EXPECT_EQ(c.zones.size(), 1u);
    if (!c.zones.empty()) out[c.zones[0]] += static_cast<int>(c.pods.size());
  }
  return out;
}

// --- minValues (spec §2.8) --------------------------------------------------

TEST(SolverSemantics, MinValuesStrictAndBestEffort) {
  struct Case {
    const char* name;
    MinValuesPolicy policy;
    const char* pod_cpu;  // larger pods leave fewer types
    size_t claims;
    bool relaxed;
    size_t unschedulable;
  };
  const Case cases[] = {
      {"enough types: strict passes", MinValuesPolicy::kStrict, "1", 1, false, 0},
      {"enough types: best effort unchanged", MinValuesPolicy::kBestEffort, "1", 1, false, 0},
      {"too few types: strict rejects", MinValuesPolicy::kStrict, "12", 0, false, 1},
      {"too few types: best effort relaxes", MinValuesPolicy::kBestEffort, "12", 1, true, 0},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(tc.name);
    SolverInput in;
    in.pools.push_back(Pool("default", {Type("small", 2, 8, 10, 0.10), Type("medium", 4, 16, 20, 0.20),
                                        Type("large", 16, 64, 100, 0.80), Type("xlarge", 32, 128, 100, 1.6)}));
    // Keep at least 3 instance types open on every claim.
    in.pools[0].pool.requirements.push_back(
        model::Requirement(std::string(model::label::kInstanceType), model::Operator::kExists, {}, 3));
    in.pods.push_back(Pod("a", tc.pod_cpu, "1Gi"));
    Plan plan = Solve(in, {.min_values_policy = tc.policy});
    ASSERT_EQ(plan.claims.size(), tc.claims);
    EXPECT_EQ(plan.unschedulable.size(), tc.unschedulable);
    if (tc.claims) {
      EXPECT_EQ(plan.claims[0].min_values_relaxed, tc.relaxed);
      EXPECT_GE(plan.claims[0].instance_types.size(), tc.relaxed ? 2u : 3u);
    }
    if (tc.unschedulable) {
      EXPECT_NE(plan.unschedulable[0].reason.find("minValues"), std::string::npos) << plan.unschedulable[0].reason;
    }
  }
}

TEST(SolverSemantics, MinValuesKeepsTheClaimFromNarrowingBelowTheMinimum) {
  // Three pods of 1 CPU share a claim only while 3 types still fit them; the
  // fourth would leave 2 and must open a second claim.
  SolverInput in;
  in.pools.push_back(Pool("default", {Type("a", 2, 8, 10, 0.1), Type("b", 2, 8, 10, 0.11), Type("c", 4, 16, 10, 0.2),
                                      Type("d", 4, 16, 10, 0.21)}));
  in.pools[0].pool.requirements.push_back(
      model::Requirement(std::string(model::label::kInstanceType), model::Operator::kExists, {}, 3));
  for (int i = 0; i < 3; ++i) in.pods.push_back(Pod("p" + std::to_string(i), "900m", "1Gi"));
  Plan plan = Solve(in, {.packer = Packer::kKarpenter});
  ASSERT_TRUE(plan.unschedulable.empty());
  for (const NewClaim& c : plan.claims) EXPECT_GE(c.instance_types.size(), 3u);
  EXPECT_EQ(plan.claims.size(), 2u);
}

// --- Reserved capacity (spec §2.10) -----------------------------------------

TEST(SolverSemantics, ReservedCapacityIsPreferredAndNeverOverCommitted) {
  struct Case {
    const char* name;
    int32_t count;
    int pods;
    size_t reserved_claims;
    size_t reserved_failures;
  };
  const Case cases[] = {
      {"fewer pods than reserved instances", 3, 2, 2, 0},
      {"exactly the count", 2, 2, 2, 0},
      {"more pods than the count: the rest retry next loop", 2, 4, 2, 2},
      {"count zero: no reservation, plain offerings", 0, 2, 0, 0},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(tc.name);
    SolverInput in;
    in.pools.push_back(Pool("reserved", {WithReservation(Type("big", 8, 32, 20, 1.0), "zone-b", "cr-1", tc.count)}, 10));
    in.pools.push_back(Pool("fallback", {Type("other", 8, 32, 20, 0.5)}));
    for (int i = 0; i < tc.pods; ++i) {
      in.pods.push_back(Pod("p" + std::to_string(i), "6", "1Gi"));  // one per node
    }
    Plan plan = Solve(in);
    size_t reserved = 0;
    for (const NewClaim& c : plan.claims) {
      if (c.reservation_ids.empty()) continue;
      ++reserved;
      EXPECT_EQ(c.reservation_ids, (std::vector<std::string>{"cr-1"}));
      EXPECT_EQ(c.capacity_types, (std::vector<std::string>{"reserved"}));
      EXPECT_EQ(c.zones, (std::vector<std::string>{"zone-b"}));
      EXPECT_LT(c.price_per_hour, 0.001);
    }
    EXPECT_EQ(reserved, tc.reserved_claims);
    size_t failures = 0;
    for (const Unschedulable& u : plan.unschedulable) {
      EXPECT_TRUE(u.reserved_capacity) << u.reason;
      ++failures;
    }
    // Strict: a pod that lost the race for the reservation does not fall back
    // to the lower-weight pool.
    EXPECT_EQ(failures, tc.reserved_failures);
    for (const NewClaim& c : plan.claims) {
      if (tc.count > 0) {
        EXPECT_EQ(c.node_pool, "reserved");
      }
    }
  }
}

// --- Relaxation, one step at a time (spec §2.4) -----------------------------

TEST(SolverSemantics, EachPreferenceIsHonouredWhenPossibleAndRelaxedWhenNot) {
  struct Case {
    const char* name;
    std::function<void(SolverInput&)> build;
    std::function<void(const Plan&)> check;
  };
  auto basic = [] {
    SolverInput in;
    in.pools.push_back(Pool("default", {Type("small", 2, 8, 10, 0.10), Type("large", 16, 64, 100, 0.80)}));
    return in;
  };
  const Case cases[] = {
      {"(1) the first required node-affinity term is dropped when it cannot be met",
       [](SolverInput& in) {
         model::Pod p = Pod("a", "1", "1Gi");
         model::Requirements impossible, zone_c;
         impossible.Add(model::Requirement::In(kZone, {"zone-z"}));
         zone_c.Add(model::Requirement::In(kZone, {"zone-c"}));
         p.required_node_affinity = {impossible, zone_c};
         in.pods.push_back(p);
       },
       [](const Plan& plan) {
         ASSERT_EQ(plan.claims.size(), 1u);
         EXPECT_EQ(plan.claims[0].zones, (std::vector<std::string>{"zone-c"}));
       }},
      {"(2) preferred pod affinity is honoured",
       [](SolverInput& in) {
         in.nodes.push_back(FullNode("db-node", "zone-b", {Labeled("db", {{"app", "db"}})}));
         model::Pod p = Pod("a", "1", "1Gi");
         p.preferred_pod_affinity.push_back({10, Term(kZone, "db")});
         in.pods.push_back(p);
       },
       [](const Plan& plan) {
         ASSERT_EQ(plan.claims.size(), 1u);
         EXPECT_EQ(plan.claims[0].zones, (std::vector<std::string>{"zone-b"}));
       }},
      {"(2) preferred pod affinity is relaxed when no pod matches",
       [](SolverInput& in) {
         model::Pod p = Pod("a", "1", "1Gi");
         p.preferred_pod_affinity.push_back({10, Term(kZone, "missing")});
         in.pods.push_back(p);
       },
       [](const Plan& plan) {
         EXPECT_TRUE(plan.unschedulable.empty());
         EXPECT_EQ(plan.claims.size(), 1u);
       }},
      {"(3) preferred pod anti-affinity spreads pods over nodes",
       [](SolverInput& in) {
         for (int i = 0; i < 3; ++i) {
           model::Pod p = Labeled("w" + std::to_string(i), {{"app", "web"}}, "100m");
           p.preferred_pod_anti_affinity.push_back({10, Term(kHost, "web")});
           in.pods.push_back(p);
         }
       },
       [](const Plan& plan) { EXPECT_EQ(plan.claims.size(), 3u); }},
      {"(3) preferred pod anti-affinity is relaxed when the pool allows one node",
       [](SolverInput& in) {
         in.pools[0].pool.limits.Set("nodes", Q("1"));
         for (int i = 0; i < 3; ++i) {
           model::Pod p = Labeled("w" + std::to_string(i), {{"app", "web"}}, "100m");
           p.preferred_pod_anti_affinity.push_back({10, Term(kHost, "web")});
           in.pods.push_back(p);
         }
       },
       [](const Plan& plan) {
         EXPECT_TRUE(plan.unschedulable.empty());
         ASSERT_EQ(plan.claims.size(), 1u);
         EXPECT_EQ(plan.claims[0].pods.size(), 3u);
       }},
      {"(5) a ScheduleAnyway spread is honoured while it can be",
       [](SolverInput& in) {
         for (int i = 0; i < 6; ++i) {
           model::Pod p = Labeled("s" + std::to_string(i), {{"app", "s"}}, "3");
           p.topology_spread.push_back(Spread(kZone, "s", /*schedule_anyway=*/true));
           in.pods.push_back(p);
         }
       },
       [](const Plan& plan) {
         EXPECT_EQ(PodsPerZone(plan), (std::map<std::string, int>{{"zone-a", 2}, {"zone-b", 2}, {"zone-c", 2}}));
       }},
      {"(5) a ScheduleAnyway spread is relaxed when one zone is all there is",
       [](SolverInput& in) {
         in.pools[0].pool.requirements.push_back(model::Requirement::In(kZone, {"zone-a"}));
         in.nodes.push_back(FullNode("elsewhere", "zone-b", {}));
         for (int i = 0; i < 3; ++i) {
           model::Pod p = Labeled("s" + std::to_string(i), {{"app", "s"}}, "3");
           p.topology_spread.push_back(Spread(kZone, "s", /*schedule_anyway=*/true));
           in.pods.push_back(p);
         }
       },
       [](const Plan& plan) {
         EXPECT_TRUE(plan.unschedulable.empty());
         EXPECT_EQ(PodsPerZone(plan), (std::map<std::string, int>{{"zone-a", 3}}));
       }},
      {"(6) PreferNoSchedule: an untainted pool is used first",
       [](SolverInput& in) {
         in.pools.push_back(Pool("preferred", {Type("p", 4, 16, 20, 0.1)}, 10));
         in.pools.back().pool.taints.push_back({"spot", "true", model::TaintEffect::kPreferNoSchedule});
         in.pods.push_back(Pod("a", "1", "1Gi"));
       },
       [](const Plan& plan) {
         ASSERT_EQ(plan.claims.size(), 1u);
         EXPECT_EQ(plan.claims[0].node_pool, "default");
       }},
      {"(6) PreferNoSchedule is tolerated as the last step",
       [](SolverInput& in) {
         in.pools[0].pool.taints.push_back({"spot", "true", model::TaintEffect::kPreferNoSchedule});
         in.pods.push_back(Pod("a", "1", "1Gi"));
       },
       [](const Plan& plan) {
         EXPECT_TRUE(plan.unschedulable.empty());
         EXPECT_EQ(plan.claims.size(), 1u);
       }},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(tc.name);
    SolverInput in = basic();
    tc.build(in);
    for (Packer packer : {Packer::kKarpenter, Packer::kAdze}) tc.check(Solve(in, {.packer = packer}));
  }
}

// --- Spread node policies and matchLabelKeys (spec §2.7) --------------------

TEST(SolverSemantics, SpreadNodeTaintsAndAffinityPolicies) {
  using Policy = model::TopologySpreadConstraint::Policy;
  struct Case {
    const char* name;
    Policy affinity;
    Policy taints;
    bool tainted_node;     // the zone-c node carries a taint the pods do not tolerate
    bool pods_avoid_zone_c;  // the pods' node affinity excludes zone-c
    size_t placed;
  };
  const Case cases[] = {
      // Zone-c is a domain with no matching pod; while it counts, the global
      // minimum stays 0 and only one pod per other zone fits maxSkew 1.
      {"taints Ignore (default): the tainted node's zone counts", Policy::kHonor, Policy::kIgnore, true, false, 2},
      {"taints Honor: the tainted node's zone is left out", Policy::kHonor, Policy::kHonor, true, false, 4},
      {"affinity Honor (default): zones the pod cannot use are left out", Policy::kHonor, Policy::kIgnore, false, true,
       4},
      {"affinity Ignore: every zone counts", Policy::kIgnore, Policy::kIgnore, false, true, 2},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(tc.name);
    SolverInput in;
    in.pools.push_back(Pool("default", {Type("t", 4, 16, 20, 0.2, {"zone-a", "zone-b"})}));
    std::vector<model::Taint> taints;
    if (tc.tainted_node) taints.push_back({"dedicated", "x", model::TaintEffect::kNoSchedule});
    in.nodes.push_back(FullNode("c-node", "zone-c", {}, taints));
    for (int i = 0; i < 4; ++i) {
      model::Pod p = Labeled("s" + std::to_string(i), {{"app", "s"}}, "3");
      model::TopologySpreadConstraint c = Spread(kZone, "s");
      c.node_affinity_policy = tc.affinity;
      c.node_taints_policy = tc.taints;
      p.topology_spread.push_back(c);
      if (tc.pods_avoid_zone_c) {
        model::Requirements r;
        r.Add(model::Requirement::In(kZone, {"zone-a", "zone-b"}));
        p.required_node_affinity.push_back(r);
      }
      in.pods.push_back(p);
    }
    Plan plan = Solve(in);
    size_t placed = 0;
    for (const NewClaim& c : plan.claims) placed += c.pods.size();
    EXPECT_EQ(placed, tc.placed);
  }
}

TEST(SolverSemantics, MatchLabelKeys) {
  struct Case {
    const char* name;
    bool affinity;  // pod affinity (else spread)
    bool match_label_keys;
    std::map<std::string, int> per_zone;
  };
  const Case cases[] = {
      // Two pods of revision 1 run in zone-a. Spread of revision 2 over zones:
      {"spread without matchLabelKeys counts the old revision", false, false, {{"zone-b", 2}, {"zone-c", 1}}},
      {"spread with matchLabelKeys counts its own revision only", false, true,
       {{"zone-a", 1}, {"zone-b", 1}, {"zone-c", 1}}},
      // Required zone affinity to app=web:
      {"affinity without matchLabelKeys follows the old revision", true, false, {{"zone-a", 3}}},
      {"affinity with matchLabelKeys bootstraps its own revision", true, true, {{"zone-a", 3}}},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(tc.name);
    SolverInput in;
    in.pools.push_back(Pool("default", {Type("t", 4, 16, 20, 0.2)}));
    in.nodes.push_back(FullNode("old", tc.affinity ? "zone-b" : "zone-a",
                                {Labeled("old-0", {{"app", "web"}, {"rev", "1"}}),
                                 Labeled("old-1", {{"app", "web"}, {"rev", "1"}})}));
    for (int i = 0; i < 3; ++i) {
      model::Pod p = Labeled("new-" + std::to_string(i), {{"app", "web"}, {"rev", "2"}}, "3");
      if (tc.affinity) {
        model::PodAffinityTerm t = Term(kZone, "web");
        if (tc.match_label_keys) t.match_label_keys = {"rev"};
        p.required_pod_affinity.push_back(t);
      } else {
        model::TopologySpreadConstraint c = Spread(kZone, "web");
        if (tc.match_label_keys) c.match_label_keys = {"rev"};
        p.topology_spread.push_back(c);
      }
      in.pods.push_back(p);
    }
    Plan plan = Solve(in);
    EXPECT_TRUE(plan.unschedulable.empty());
    std::map<std::string, int> expect = tc.per_zone;
    if (tc.affinity && !tc.match_label_keys) expect = {{"zone-b", 3}};
    EXPECT_EQ(PodsPerZone(plan), expect);
  }
}

// --- Existing nodes only (the simulator's kube-scheduler) -------------------

TEST(SolverSemantics, EmptyPoolsBindOntoExistingNodesOnly) {
  SolverInput in;
  for (int n = 0; n < 3; ++n) {
    NodeInput node;
    node.node.meta.name = "n" + std::to_string(n);
    node.node.meta.labels = {{kZone, "zone-a"}};
    node.node.allocatable = {{"cpu", Q("4")}, {"memory", Q("16Gi")}, {"pods", Q("110")}};
    in.nodes.push_back(node);
  }
  for (int i = 0; i < 14; ++i) in.pods.push_back(Pod("p" + std::to_string(i), "1", "1Gi"));
  Plan plan = Solve(in);
  EXPECT_TRUE(plan.claims.empty());
  EXPECT_EQ(plan.placed.size(), 12u);
  EXPECT_EQ(plan.unschedulable.size(), 2u);
  EXPECT_EQ(plan.unschedulable[0].reason, "no NodePool");
}

TEST(SolverSemantics, ExistingNodeTaintsCordonAndPreferNoSchedule) {
  struct Case {
    const char* name;
    bool cordoned;
    std::optional<model::TaintEffect> taint;
    bool tolerate_cordon;
    size_t placed;
  };
  const Case cases[] = {
      {"plain node", false, std::nullopt, false, 1},
      {"cordoned node takes nothing", true, std::nullopt, false, 0},
      {"cordoned node takes a pod tolerating the cordon", true, std::nullopt, true, 1},
      {"NoSchedule taint not tolerated", false, model::TaintEffect::kNoSchedule, false, 0},
      {"PreferNoSchedule does not filter in scheduler mode", false, model::TaintEffect::kPreferNoSchedule, false, 1},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(tc.name);
    SolverInput in;
    NodeInput node;
    node.node.meta.name = "n";
    node.node.allocatable = {{"cpu", Q("4")}, {"memory", Q("16Gi")}, {"pods", Q("110")}};
    node.node.unschedulable = tc.cordoned;
    if (tc.taint) node.node.taints.push_back({"dedicated", "x", *tc.taint});
    in.nodes.push_back(node);
    model::Pod p = Pod("a", "1", "1Gi");
    if (tc.tolerate_cordon) {
      p.tolerations.push_back(
          {"node.kubernetes.io/unschedulable", model::Toleration::Op::kExists, "", std::nullopt, std::nullopt});
    }
    in.pods.push_back(p);
    EXPECT_EQ(Solve(in).placed.size(), tc.placed);
  }
}

}  // namespace
}  // namespace adze::scheduling
