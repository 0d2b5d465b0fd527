// Issue 11, item 4: the plan and Explain agree, for random inputs. Every pod
// is either on a claim or an existing node, and then Explain lists a type of
// that claim's pool, or that node, as able to carry it; or it is
// unschedulable, and then its reason is made of causes from a closed set,
// each with its details (a reason a person can act on, never a bare "no").
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "scheduling/solver.h"
#include "scheduling/solver_test_generators.h"
#include "scheduling/solver_test_util.h"

namespace adze::scheduling {
namespace {

using namespace test_util;  // NOLINT

const std::vector<std::string>& kZones = RandomZones();

// Pools with limits (cpu, GPUs, nodes) and zone requirements, existing nodes
// of those pools with bound pods, and pods with zone selectors, tolerations,
// spread constraints, host ports and restricted or conflicting selectors.
SolverInput RandomInput() {
  SolverInput in;
  const int pools = *rc::gen::inRange(1, 4);
  for (int p = 0; p < pools; ++p) {
    std::vector<catalog::InstanceType> types;
    const int n = *rc::gen::inRange(1, 6);
    for (int t = 0; t < n; ++t) {
      types.push_back(RandomType(p, t));
    }
    PoolInput pool = Pool("pool-" + std::to_string(p), types, *rc::gen::inRange(0, 3));
    if (*rc::gen::inRange(0, 3) == 0) pool.pool.taints.push_back({"gpu", "true", model::TaintEffect::kNoSchedule});
    if (*rc::gen::inRange(0, 4) == 0) {
      pool.pool.requirements.push_back(model::Requirement::In(std::string(model::label::kZone),
                                                              {*rc::gen::elementOf(kZones)}));
    }
    if (*rc::gen::inRange(0, 3) == 0) pool.pool.limits.Set("cpu", model::Quantity::FromUnits(*rc::gen::inRange(4, 64)));
    if (*rc::gen::inRange(0, 3) == 0) {
      pool.pool.limits.Set("nvidia.com/gpu", model::Quantity::FromUnits(*rc::gen::inRange(0, 9)));
    }
    if (*rc::gen::inRange(0, 3) == 0) pool.pool.limits.Set("nodes", model::Quantity::FromUnits(*rc::gen::inRange(0, 4)));
    in.pools.push_back(std::move(pool));
  }
  // Existing nodes of the pools, counted in their usage as `adze plan` does.
  const int nodes = *rc::gen::inRange(0, 4);
  for (int k = 0; k < nodes; ++k) {
    PoolInput& pool = in.pools[static_cast<size_t>(*rc::gen::inRange(0, pools))];
    const catalog::InstanceType& type = *rc::gen::elementOf(pool.instance_types.all());
    NodeInput n;
    n.node.meta.name = "node-" + std::to_string(k);
    n.node.meta.labels[std::string(model::label::kNodePool)] = pool.pool.meta.name;
    n.node.meta.labels[std::string(model::label::kZone)] = type.offerings.front().zone;
    n.node.meta.labels[std::string(model::label::kInstanceType)] = type.name;
    n.node.capacity = type.capacity;
    n.node.allocatable = type.Allocatable();
    n.node.taints = pool.pool.taints;
    n.node.ready = true;
    if (*rc::gen::inRange(0, 2) == 0) n.pods.push_back(Pod("bound-" + std::to_string(k), "1", "1Gi"));
    pool.usage.Add(type.capacity);
    pool.usage.Add(model::ResourceList{{"nodes", model::Quantity::FromUnits(1)}});
    in.nodes.push_back(std::move(n));
  }
  const int pods = *rc::gen::inRange(0, 30);
  for (int i = 0; i < pods; ++i) {
    model::Pod pod = RandomPod(i);
    pod.meta.creation_time = *rc::gen::inRange(0, 3);
    if (*rc::gen::inRange(0, 12) == 0) {
      // Two incompatible things, when the selector names another zone.
      pod.required_node_affinity.push_back(ZoneTerm({*rc::gen::elementOf(kZones)}));
    }
    if (*rc::gen::inRange(0, 15) == 0) {
      pod.node_selector[*rc::gen::element(std::string("kubernetes.io/hostname"), std::string("karpenter.sh/team"))] =
          "x";
    }
    if (*rc::gen::inRange(0, 8) == 0) {
      model::ContainerPort port;
      port.container_port = 80;
      port.host_port = 8080;
      pod.containers.front().ports.push_back(port);
    }
    in.pods.push_back(pod);
  }
  return in;
}

// The closed set of causes a pod can be unschedulable for, each with the
// details that say what to change. A pool's cause reads "NodePool <name>:
// <cause>"; several pools' are joined by "; ".
const std::vector<std::regex>& PoolCauses() {
  static const std::vector<std::regex> kCauses = {
      std::regex(R"(NodePool limit on nodes reached \(limit \d+: \d+ existing, \d+ new in this plan\))"),
      std::regex(R"(NodePool limits on [a-z./]+ removed every instance type that fits the pod \(\S+ left; the smallest that fits has \S+\))"),
      std::regex(R"(taint \S+ not tolerated)"),
      std::regex(R"(requirement .+ conflicts with .+)"),
      std::regex(R"(label "\S+" \(.+\) is not defined by the node's labels or requirements)"),
      std::regex(R"(no instance type has enough resources)"),
      std::regex(R"(no instance type has enough of every resource the pod requests)"),
      std::regex(R"(no instance type satisfies all of the pod's requirements together)"),
      std::regex(R"(no instance type offers an allowed \S+)"),
      std::regex(R"(no \S+ domain is available)"),
      std::regex(R"(topology spread on \S+ \(maxSkew \d+\) would be violated.*)"),
  };
  return kCauses;
}

const std::vector<std::regex>& PodCauses() {
  static const std::vector<std::regex> kCauses = {
      std::regex(R"(the pod asks for two incompatible things: nodeSelector .+ conflicts with required node affinity .+)"),
      std::regex(R"((nodeSelector|required node affinity|preferred node affinity) selects \S+, a restricted label key \(.+\); Karpenter launches no node for such a pod)"),
      std::regex(R"(no NodePool)"),
  };
  return kCauses;
}

bool Matches(const std::string& s, const std::vector<std::regex>& causes) {
  for (const std::regex& r : causes) {
    if (std::regex_match(s, r)) return true;
  }
  return false;
}

// True when reason is a pod-level cause, or pool causes joined by "; ".
bool KnownReason(const std::string& reason) {
  if (Matches(reason, PodCauses())) return true;
  size_t from = 0;
  while (from <= reason.size()) {
    size_t end = reason.find("; NodePool ", from);
    const std::string part = reason.substr(from, end == std::string::npos ? std::string::npos : end - from);
    static const std::regex kPrefix(R"(NodePool (\S+): (.*))");
    std::smatch m;
    if (!std::regex_match(part, m, kPrefix) || !Matches(m[2].str(), PoolCauses())) return false;
    if (end == std::string::npos) break;
    from = end + 2;
  }
  return true;
}

RC_GTEST_PROP(ExplainProperty, EveryPodIsPlacedAndCarriedOrUnschedulableForAKnownCause, ()) {
  const SolverInput in = RandomInput();
  for (Packer packer : {Packer::kKarpenter, Packer::kAdze}) {
    SolverOptions options;
    options.packer = packer;
    const Plan plan = Solve(in, options);
    std::vector<int> seen(in.pods.size(), 0);
    for (const NewClaim& c : plan.claims) {
      for (size_t pod : c.pods) {
        ++seen[pod];
        bool carried = false;
        for (const Rejection& r : Explain(in, pod)) {
          carried |= r.node_pool == c.node_pool && !r.instance_type.empty() && r.reason.empty();
        }
        if (!carried) RC_FAIL("Explain lists no type of " + c.node_pool + " for " + in.pods[pod].meta.name);
      }
    }
    for (const ExistingPlacement& p : plan.placed) {
      ++seen[p.pod];
      bool carried = false;
      for (const Rejection& r : Explain(in, p.pod)) carried |= r.node == p.node && r.reason.empty();
      if (!carried) RC_FAIL("Explain does not list node " + p.node + " for " + in.pods[p.pod].meta.name);
    }
    for (const Unschedulable& u : plan.unschedulable) {
      ++seen[u.pod];
      if (!KnownReason(u.reason)) RC_FAIL("unknown cause: " + u.reason);
    }
    for (int n : seen) RC_ASSERT(n == 1);
  }
}

TEST(ExplainProperty, ReasonsOutsideTheClosedSetAreRejected) {
  EXPECT_TRUE(KnownReason("NodePool a: taint gpu=true:NoSchedule not tolerated"));
  EXPECT_TRUE(KnownReason("NodePool a: no instance type has enough resources; NodePool b: NodePool limit on nodes "
                          "reached (limit 2: 2 existing, 0 new in this plan)"));
  EXPECT_FALSE(KnownReason("NodePool a: limits reached"));
  EXPECT_FALSE(KnownReason("NodePool a: no instance type fits the claim's pods"));
  EXPECT_FALSE(KnownReason("no NodePool could carry it"));
}

}  // namespace
}  // namespace adze::scheduling
