// GPU cases against the embedded EC2 catalog (issue 3, "Tests that must exist").
#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "catalog/instance_type.h"
#include "scheduling/solver.h"
#include "scheduling/solver_test_util.h"

namespace adze::scheduling {
namespace {

using namespace test_util;  // NOLINT

const std::vector<catalog::InstanceType>& RealTypes() {
  static const std::vector<catalog::InstanceType> types = [] {
    model::EC2NodeClass node_class;
    node_class.meta.name = "default";
    node_class.ami_family = model::AmiFamily::kAL2023;
    return catalog::ResolveInstanceTypes(catalog::Catalog::Embedded(), node_class, catalog::CapacityOptions{});
  }();
  return types;
}

model::Toleration GpuToleration() {
  return {"nvidia.com/gpu", model::Toleration::Op::kExists, "", std::nullopt, std::nullopt};
}

SolverInput GpuAndCpuPools() {
  SolverInput in;
  PoolInput gpu = Pool("gpu", RealTypes(), 10);
  gpu.pool.requirements.push_back(model::Requirement::In(std::string(model::label::kInstanceCategory), {"g", "p"}));
  gpu.pool.taints.push_back({"nvidia.com/gpu", "true", model::TaintEffect::kNoSchedule});
  in.pools.push_back(gpu);
  in.pools.push_back(Pool("general", RealTypes()));  // every type, untainted
  return in;
}

TEST(SolverGpu, EightH100sGetP5FamilyOptionsOnly) {
  SolverInput in = GpuAndCpuPools();
  model::Pod p = Pod("train", "32", "256Gi", "8");
  p.tolerations.push_back(GpuToleration());
  p.node_selector[std::string(model::label::kInstanceGpuName)] = "h100";
  in.pods.push_back(p);
  Plan plan = Solve(in);
  ASSERT_EQ(plan.claims.size(), 1u) << (plan.unschedulable.empty() ? "" : plan.unschedulable[0].reason);
  ASSERT_FALSE(plan.claims[0].instance_types.empty());
  for (const catalog::InstanceType* t : plan.claims[0].instance_types) {
    EXPECT_EQ(t->name.rfind("p5", 0), 0u) << t->name;
  }
}

TEST(SolverGpu, ACpuPodNeverLandsOnAGpuTypeWhileACpuTypeFits) {
  SolverInput in = GpuAndCpuPools();
  in.pods.push_back(Pod("web", "2", "4Gi"));
  in.pods.push_back(Pod("big", "90", "700Gi"));
  for (Packer packer : {Packer::kAdze, Packer::kKarpenter}) {
    Plan plan = Solve(in, {.packer = packer});
    ASSERT_TRUE(plan.unschedulable.empty());
    for (const NewClaim& c : plan.claims) {
      EXPECT_EQ(c.node_pool, "general");
      for (const catalog::InstanceType* t : c.instance_types) {
        EXPECT_EQ(t->info->gpu_count, 0) << t->name;
        EXPECT_EQ(t->info->accelerator_count, 0) << t->name;
      }
    }
  }
}

TEST(SolverGpu, FourGpusOfAtLeast40GiBGetNoSmallerGpus) {
  SolverInput in = GpuAndCpuPools();
  model::Pod p = Pod("infer", "8", "64Gi", "4");
  p.tolerations.push_back(GpuToleration());
  model::Requirements big_gpu;
  big_gpu.Add(model::Requirement(std::string(model::label::kInstanceGpuMemory), model::Operator::kGt, {"40959"}));
  p.required_node_affinity.push_back(big_gpu);
  in.pods.push_back(p);
  Plan plan = Solve(in);
  ASSERT_EQ(plan.claims.size(), 1u) << (plan.unschedulable.empty() ? "" : plan.unschedulable[0].reason);
  for (const catalog::InstanceType* t : plan.claims[0].instance_types) {
    EXPECT_GE(t->info->gpu_count, 4) << t->name;
    ASSERT_TRUE(t->info->gpu_memory_mib.has_value()) << t->name;
    EXPECT_GE(*t->info->gpu_memory_mib, 40960) << t->name;
  }
}

// snapshot-preseed's pool: g5/g6 with at most 4 GPUs, 13 one-GPU replicas at once.
SolverInput ThirteenReplicasOnG5OrG6() {
  SolverInput in;
  PoolInput pool = Pool("inference", RealTypes());
  pool.pool.requirements.push_back(model::Requirement::In(std::string(model::label::kInstanceFamily), {"g5", "g6"}));
  pool.pool.requirements.push_back(
      model::Requirement(std::string(model::label::kInstanceGpuCount), model::Operator::kLte, {"4"}));
  in.pools.push_back(pool);
  for (int i = 0; i < 13; ++i) in.pods.push_back(Pod("replica-" + std::to_string(i), "3", "10Gi", "1"));
  return in;
}

TEST(SolverGpu, APremiumForFewerNodesBuysFewerLargerNodesWithinIt) {
  const SolverInput in = ThirteenReplicasOnG5OrG6();
  const Plan cheapest = Solve(in);
  ASSERT_TRUE(cheapest.unschedulable.empty());
  // One-GPU types are the cheapest per GPU: one node per replica.
  ASSERT_EQ(cheapest.claims.size(), 13u);
  for (double premium : {0.1, 0.5, 1.0}) {
    SCOPED_TRACE(premium);
    const Plan fewer = Solve(in, {.fewer_nodes_premium = premium});
    ASSERT_TRUE(fewer.unschedulable.empty());
    EXPECT_LE(fewer.cost_per_hour, (1 + premium) * cheapest.cost_per_hour + 1e-9);
    EXPECT_LE(fewer.claims.size(), cheapest.claims.size());
    size_t pods = 0;
    for (const NewClaim& c : fewer.claims) pods += c.pods.size();
    EXPECT_EQ(pods, 13u);
  }
  // 4-GPU nodes cost ~43 % more per GPU than 1-GPU ones: 10 % buys nothing, 50 % buys them.
  EXPECT_EQ(Solve(in, {.fewer_nodes_premium = 0.1}).claims.size(), 13u);
  const Plan half = Solve(in, {.fewer_nodes_premium = 0.5});
  EXPECT_LT(half.claims.size(), 13u);
  EXPECT_GT(half.cost_per_hour, cheapest.cost_per_hour);
}

TEST(SolverGpu, APremiumDoesNotChangeKarpentersPacker) {
  const SolverInput in = ThirteenReplicasOnG5OrG6();
  const Plan plain = Solve(in, {.packer = Packer::kKarpenter});
  const Plan premium = Solve(in, {.packer = Packer::kKarpenter, .fewer_nodes_premium = 0.5});
  EXPECT_EQ(premium.claims.size(), plain.claims.size());
  EXPECT_DOUBLE_EQ(premium.cost_per_hour, plain.cost_per_hour);
}

}  // namespace
}  // namespace adze::scheduling
