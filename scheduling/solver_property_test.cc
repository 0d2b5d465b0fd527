// Properties of the solver over random pools, types and pods (RapidCheck).
#include <algorithm>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "scheduling/solver.h"
#include "scheduling/solver_test_generators.h"
#include "scheduling/solver_test_util.h"
#include "scheduling/template.h"

namespace adze::scheduling {
namespace {

using namespace test_util;  // NOLINT

const std::vector<std::string> kZones = {"zone-a", "zone-b", "zone-c"};

SolverInput RandomInput() {
  SolverInput in;
  int pools = *rc::gen::inRange(1, 4);
  for (int p = 0; p < pools; ++p) {
    std::vector<catalog::InstanceType> types;
    int n = *rc::gen::inRange(1, 6);
    for (int t = 0; t < n; ++t) {
      types.push_back(RandomType(p, t));
      if (*rc::gen::inRange(0, 4) == 0) {
        // A capacity reservation with a few instances (spec §2.10).
        std::string id = "cr-" + std::to_string(*rc::gen::inRange(0, 3));
        const std::string zone = types.back().offerings.front().zone;
        types.back() = WithReservation(types.back(), zone, id, *rc::gen::inRange(0, 4), 0.001);
      }
    }
    PoolInput pool = Pool("pool-" + std::to_string(p), types, *rc::gen::inRange(0, 3));
    if (*rc::gen::inRange(0, 3) == 0) pool.pool.taints.push_back({"gpu", "true", model::TaintEffect::kNoSchedule});
    if (*rc::gen::inRange(0, 4) == 0) {
      pool.pool.taints.push_back({"spot", "true", model::TaintEffect::kPreferNoSchedule});
    }
    if (*rc::gen::inRange(0, 3) == 0) pool.pool.limits.Set("cpu", model::Quantity::FromUnits(*rc::gen::inRange(4, 64)));
    in.pools.push_back(std::move(pool));
  }
  if (*rc::gen::inRange(0, 2) == 0) {
    model::DaemonSet ds;
    ds.meta.name = "agent";
    ds.pod_template = Pod("agent", "200m", "256Mi");
    in.daemon_sets.push_back(ds);
  }
  int pods = *rc::gen::inRange(0, 40);
  for (int i = 0; i < pods; ++i) {
    model::Pod pod = RandomPod(i);
    if (*rc::gen::inRange(0, 5) == 0) {
      // Preferred one-per-node: relaxed when the pools cannot provide nodes.
      pod.meta.labels["role"] = "web";
      model::WeightedPodAffinityTerm w;
      w.weight = *rc::gen::inRange(1, 100);
      w.term.topology_key = "kubernetes.io/hostname";
      w.term.label_selector = model::LabelSelector{{{"role", "web"}}, {}};
      pod.preferred_pod_anti_affinity.push_back(w);
    }
    in.pods.push_back(pod);
  }
  return in;
}

const PoolInput& PoolOf(const SolverInput& in, const std::string& name) {
  for (const auto& p : in.pools) {
    if (p.pool.meta.name == name) return p;
  }
  RC_FAIL("claim names an unknown pool");
}

// Every claim's options each fit its pods plus the daemons that run there;
// its pods tolerate the pool and match the claim; every pod is accounted for
// once. Returns the CPU launched per pool (the biggest option of each claim).
std::map<std::string, model::Quantity> CheckClaims(const SolverInput& in, const Plan& plan) {
  std::map<std::string, model::Quantity> launched_cpu;
  std::set<size_t> seen;
  for (const NewClaim& c : plan.claims) {
    RC_ASSERT(!c.instance_types.empty());
    RC_ASSERT(!c.pods.empty());
    const PoolInput& pool = PoolOf(in, c.node_pool);
    model::ResourceList need;
    for (size_t i : c.pods) {
      RC_ASSERT(seen.insert(i).second);  // no pod in two places
      need.Add(in.pods[i].EffectiveRequests());
      RC_ASSERT(!model::FirstUntolerated(pool.pool.taints, in.pods[i].tolerations));
      model::Requirements pod_reqs = model::Requirements::FromLabels(in.pods[i].node_selector);
      RC_ASSERT(!c.requirements.Compatible(pod_reqs));
    }
    model::Quantity biggest_cpu;
    for (const catalog::InstanceType* t : c.instance_types) {
      model::ResourceList alloc = t->Allocatable();
      for (const auto& ds : in.daemon_sets) {
        if (DaemonRunsOn(ds, pool.pool, t->requirements)) alloc.Subtract(ds.pod_template.EffectiveRequests());
      }
      RC_ASSERT(model::ResourceList::Fits(need, alloc));
      biggest_cpu = std::max(biggest_cpu, t->capacity.Get("cpu"));
    }
    launched_cpu[c.node_pool] += biggest_cpu;
  }
  for (const auto& p : plan.placed) RC_ASSERT(seen.insert(p.pod).second);
  for (const auto& u : plan.unschedulable) RC_ASSERT(seen.insert(u.pod).second);
  RC_ASSERT(seen.size() == in.pods.size());  // every pod is accounted for, once
  return launched_cpu;
}

RC_GTEST_PROP(SolverProperties, EveryClaimFitsItsPodsAndHonoursTaintsAndLimits, ()) {
  SolverInput in = RandomInput();
  Packer packer = *rc::gen::element(Packer::kAdze, Packer::kKarpenter);
  Plan plan = Solve(in, {.packer = packer});
  std::map<std::string, model::Quantity> launched_cpu = CheckClaims(in, plan);
  for (const auto& pool : in.pools) {
    if (pool.pool.limits.Has("cpu")) RC_ASSERT(launched_cpu[pool.pool.meta.name] <= pool.pool.limits.Get("cpu"));
  }
  RC_ASSERT(plan.cost_per_hour + 1e-9 >= plan.lower_bound);
}

// Pods with no constraints but their requests, a few shapes of each, on
// pools of several types: the re-pack post-pass (column generation) decides
// most of the plan.
SolverInput RandomPlainInput() {
  SolverInput in;
  const int pools = *rc::gen::inRange(1, 3);
  for (int p = 0; p < pools; ++p) {
    std::vector<catalog::InstanceType> types;
    const int n = *rc::gen::inRange(1, 7);
    for (int t = 0; t < n; ++t) {
      const int cpu = 2 << *rc::gen::inRange(0, 6);
      const int mem = cpu * *rc::gen::element(2, 4, 8);
      types.push_back(Type("p" + std::to_string(p) + "-t" + std::to_string(t), cpu, mem, 110,
                           0.04 * cpu + 0.005 * mem + 0.01 * *rc::gen::inRange(0, 5)));
    }
    in.pools.push_back(Pool("pool-" + std::to_string(p), types, *rc::gen::inRange(0, 3)));
  }
  if (*rc::gen::inRange(0, 2) == 0) {
    model::DaemonSet ds;
    ds.meta.name = "agent";
    ds.pod_template = Pod("agent", "200m", "256Mi");
    in.daemon_sets.push_back(ds);
  }
  const int shapes = *rc::gen::inRange(1, 6);
  std::vector<std::pair<std::string, std::string>> shape;
  for (int k = 0; k < shapes; ++k) {
    shape.emplace_back(std::to_string(*rc::gen::inRange(1, 40) * 250) + "m",
                       std::to_string(*rc::gen::inRange(1, 64) * 512) + "Mi");
  }
  const int pods = *rc::gen::inRange(0, 80);
  for (int i = 0; i < pods; ++i) {
    const auto& [cpu, mem] = shape[static_cast<size_t>(*rc::gen::inRange(0, shapes))];
    in.pods.push_back(Pod("pod-" + std::to_string(i), cpu, mem));
  }
  return in;
}

RC_GTEST_PROP(SolverProperties, PlainPodsRePackFitsNeverCostsMoreAndIsDeterministic, ()) {
  SolverInput in = RandomPlainInput();
  Plan k = Solve(in, {.packer = Packer::kKarpenter});
  Plan a = Solve(in);
  CheckClaims(in, a);
  RC_ASSERT(a.unschedulable.size() <= k.unschedulable.size());
  if (a.unschedulable.size() == k.unschedulable.size()) RC_ASSERT(a.cost_per_hour <= k.cost_per_hour + 1e-9);
  RC_ASSERT(a.cost_per_hour + 1e-9 >= a.lower_bound);
  Plan again = Solve(in);
  RC_ASSERT(again.claims.size() == a.claims.size());
  for (size_t i = 0; i < a.claims.size(); ++i) {
    RC_ASSERT(again.claims[i].pods == a.claims[i].pods);
    RC_ASSERT(again.claims[i].instance_types == a.claims[i].instance_types);
  }
}

RC_GTEST_PROP(SolverProperties, AnUnschedulablePodHasNoFeasibleTypeWhenLimitsDoNotBind, ()) {
  SolverInput in = RandomInput();
  for (auto& p : in.pools) p.pool.limits = {};
  for (auto& pod : in.pods) pod.topology_spread.clear();
  Plan plan = Solve(in);
  for (const Unschedulable& u : plan.unschedulable) {
    RC_ASSERT(!u.reason.empty());
    // Lost the race for a reservation: feasible, retried next loop (spec §2.10).
    if (u.reserved_capacity) continue;
    for (const Rejection& r : Explain(in, u.pod)) RC_ASSERT(!r.constraint.empty());
  }
}

RC_GTEST_PROP(SolverProperties, PodsOnExistingNodesFitAndTolerateTheirTaints, ()) {
  SolverInput in = RandomInput();
  if (*rc::gen::inRange(0, 2) == 0) in.pools.clear();  // scheduler mode
  int nodes = *rc::gen::inRange(1, 5);
  for (int n = 0; n < nodes; ++n) {
    NodeInput node;
    node.node.meta.name = "node-" + std::to_string(n);
    node.node.meta.labels = {{"topology.kubernetes.io/zone", *rc::gen::elementOf(kZones)}};
    int cpu = 1 << *rc::gen::inRange(1, 5);
    node.node.allocatable = {{"cpu", model::Quantity::FromUnits(cpu)},
                             {"memory", model::Quantity::MiB(int64_t{cpu} * 4096)},
                             {"pods", model::Quantity::FromUnits(20)}};
    if (*rc::gen::inRange(0, 3) == 0) node.node.taints.push_back({"gpu", "true", model::TaintEffect::kNoSchedule});
    node.node.unschedulable = *rc::gen::inRange(0, 5) == 0;
    if (*rc::gen::inRange(0, 2) == 0) node.pods.push_back(Pod("bound-" + std::to_string(n), "500m", "512Mi"));
    in.nodes.push_back(node);
  }
  Plan plan = Solve(in, {.packer = *rc::gen::element(Packer::kAdze, Packer::kKarpenter)});
  std::map<std::string, model::ResourceList> used;
  for (const auto& node : in.nodes) {
    for (const auto& p : node.pods) used[node.node.meta.name].Add(p.EffectiveRequests());
  }
  std::set<size_t> seen;
  for (const ExistingPlacement& p : plan.placed) {
    RC_ASSERT(seen.insert(p.pod).second);
    const NodeInput* node = nullptr;
    for (const auto& n : in.nodes) {
      if (n.node.meta.name == p.node) node = &n;
    }
    RC_ASSERT(node != nullptr);
    RC_ASSERT(!node->node.unschedulable);  // no pod here tolerates the cordon
    RC_ASSERT(!model::FirstUntolerated(node->node.taints, in.pods[p.pod].tolerations));
    used[p.node].Add(in.pods[p.pod].EffectiveRequests());
  }
  for (const auto& node : in.nodes) {
    RC_ASSERT(model::ResourceList::Fits(used[node.node.meta.name], node.node.allocatable));
  }
  for (const NewClaim& c : plan.claims) {
    for (size_t i : c.pods) RC_ASSERT(seen.insert(i).second);
  }
  for (const Unschedulable& u : plan.unschedulable) RC_ASSERT(seen.insert(u.pod).second);
  RC_ASSERT(seen.size() == in.pods.size());
}

RC_GTEST_PROP(SolverProperties, NoReservationIsHeldByMoreClaimsThanItsCount, ()) {
  SolverInput in = RandomInput();
  std::map<std::string, int32_t> count;
  for (const auto& pool : in.pools) {
    for (const auto& t : pool.instance_types) {
      for (const auto& o : t.offerings) {
        if (o.capacity_type == "reserved") count[o.reservation_id] = std::max(count[o.reservation_id], o.reservation_count);
      }
    }
  }
  Plan plan = Solve(in, {.packer = *rc::gen::element(Packer::kAdze, Packer::kKarpenter)});
  std::map<std::string, int32_t> held;
  for (const NewClaim& c : plan.claims) {
    for (const std::string& id : c.reservation_ids) ++held[id];
  }
  for (const auto& [id, n] : held) RC_ASSERT(n <= count[id]);
}

RC_GTEST_PROP(SolverProperties, SameInputSamePlan, ()) {
  SolverInput in = RandomInput();
  Plan a = Solve(in);
  Plan b = Solve(in);
  RC_ASSERT(a.claims.size() == b.claims.size());
  for (size_t i = 0; i < a.claims.size(); ++i) {
    RC_ASSERT(a.claims[i].pods == b.claims[i].pods);
    RC_ASSERT(a.claims[i].instance_types == b.claims[i].instance_types);
  }
  RC_ASSERT(a.cost_per_hour == b.cost_per_hour);
}

RC_GTEST_PROP(SolverProperties, AdzeNeverCostsMoreThanKarpenter, ()) {
  SolverInput in = RandomInput();
  Plan k = Solve(in, {.packer = Packer::kKarpenter});
  Plan a = Solve(in, {.packer = Packer::kAdze});
  RC_ASSERT(a.unschedulable.size() <= k.unschedulable.size());
  if (a.unschedulable.size() == k.unschedulable.size()) RC_ASSERT(a.cost_per_hour <= k.cost_per_hour + 1e-9);
  Plan t = Solve(in, {.packer = Packer::kAdze, .thorough = true});
  RC_ASSERT(t.unschedulable.size() <= a.unschedulable.size());
  if (t.unschedulable.size() == a.unschedulable.size()) RC_ASSERT(t.cost_per_hour <= a.cost_per_hour + 1e-9);
}

size_t GpuClaims(const Plan& plan) {
  return static_cast<size_t>(std::count_if(plan.claims.begin(), plan.claims.end(), [](const NewClaim& c) {
    return c.instance_types.front()->capacity.Get(model::resource::kNvidiaGpu).milli() > 0;
  }));
}

// One GPU pool whose larger types cost more per GPU (as g5/g6 do), and a
// burst of one- and two-GPU pods: the case the premium is for.
SolverInput RandomGpuBurst() {
  SolverInput in;
  std::vector<catalog::InstanceType> types;
  double per_gpu = 1.0;
  for (int gpus : {1, 2, 4, 8}) {
    if (*rc::gen::inRange(0, 4) == 0) continue;
    per_gpu *= 1.0 + 0.1 * *rc::gen::inRange(0, 6);
    types.push_back(Type("g" + std::to_string(gpus), 4 * gpus + 4, 16 * gpus + 16, 110, per_gpu * gpus,
                         {"zone-a", "zone-b"}, gpus));
  }
  if (types.empty()) types.push_back(Type("g1", 8, 32, 110, 1.0, {"zone-a", "zone-b"}, 1));
  in.pools.push_back(Pool("gpu", types));
  const int pods = *rc::gen::inRange(1, 30);
  for (int i = 0; i < pods; ++i) {
    in.pods.push_back(Pod("replica-" + std::to_string(i), "3", "10Gi", *rc::gen::element("1", "1", "2")));
  }
  return in;
}

// A premium for fewer GPU nodes buys claims that fit, places as many pods,
// never more GPU nodes, and costs at most the premium more than the cheapest
// plan and no more than Karpenter's packer; it pays nothing when it buys no
// fewer GPU nodes.
RC_GTEST_PROP(SolverProperties, APremiumForFewerGpuNodesStaysWithinIt, ()) {
  SolverInput in = *rc::gen::arbitrary<bool>() ? RandomInput() : RandomGpuBurst();
  const bool thorough = *rc::gen::arbitrary<bool>();
  const double premium = *rc::gen::element(0.1, 0.5, 2.0);
  Plan cheapest = Solve(in, {.thorough = thorough});
  Plan karpenter = Solve(in, {.packer = Packer::kKarpenter});
  Plan fewer = Solve(in, {.thorough = thorough, .fewer_nodes_premium = premium});
  CheckClaims(in, fewer);
  RC_ASSERT(fewer.unschedulable.size() == cheapest.unschedulable.size());
  RC_ASSERT(GpuClaims(fewer) <= GpuClaims(cheapest));
  RC_ASSERT(fewer.cost_per_hour <= (1 + premium) * cheapest.cost_per_hour + 1e-9);
  if (karpenter.unschedulable.size() == fewer.unschedulable.size()) {
    RC_ASSERT(fewer.cost_per_hour <= karpenter.cost_per_hour + 1e-9);
  }
  if (GpuClaims(fewer) == GpuClaims(cheapest)) RC_ASSERT(fewer.cost_per_hour <= cheapest.cost_per_hour + 1e-9);
  RC_TAG(GpuClaims(fewer) < GpuClaims(cheapest) ? "fewer GPU nodes" : "same GPU nodes");
}

}  // namespace
}  // namespace adze::scheduling
