// Disruption benchmark (issue 5 item 4): one full consolidation decision over
// a cluster of N nodes and 10·N pods — candidates, budgets, multi-node
// consolidation over the whole cluster (adze) or Karpenter's reference limits,
// then single-node — as DisruptionController::Reconcile makes it.
//
// The cluster: N m6i.2xlarge on-demand nodes (8 vCPU) in one NodePool with
// consolidateAfter 0 and a 100 % budget, each running 10 pods of 500m / 1 GiB
// (about 60 % of its CPU), so most nodes could be emptied onto the others.
// Run: build/bench/bench/disruption_bench --benchmark_filter=Decision
#include <benchmark/benchmark.h>

#include <functional>
#include <optional>

#include "catalog/catalog.h"
#include "controllers/disruption/disruption_controller.h"
#include "model/labels.h"
#include "ports/stopwatch.h"
#include "providers/aws/aws_cloud_provider.h"
#include "sim/ec2/simulated_ec2.h"
#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "sim/simulated_cluster.h"

namespace adze {
namespace {

model::NodePool Pool() {
  model::NodePool pool;
  pool.meta.name = "general";
  pool.node_class_ref.name = "default";
  pool.requirements.push_back(model::Requirement::In(std::string(model::label::kInstanceFamily), {"m6i", "c6i"}));
  pool.requirements.push_back(model::Requirement::In(std::string(model::label::kCapacityType), {"on-demand"}));
  pool.consolidate_after = 0;
  pool.expire_after.reset();
  model::Budget all;
  all.nodes = 100;
  all.percent = true;
  pool.budgets = {all};
  return pool;
}

struct Cluster {
  sim::EventQueue events;
  sim::SimClock clock{events, 0};  // the run starts at the epoch: claim times read as the queue's
  ports::SteadyStopwatch stopwatch;
  std::unique_ptr<sim::SimulatedEc2> ec2;
  std::unique_ptr<providers::aws::AwsCloudProvider> cloud;
  std::unique_ptr<sim::SimulatedCluster> cluster;

  explicit Cluster(int nodes) {
    model::EC2NodeClass nc;
    nc.meta.name = "default";
    catalog::CapacityOptions capacity;
    capacity.zones = {"us-east-1a"};
    sim::Ec2Options ec2_options;
    ec2_options.default_pool_size = 1000000;
    ec2 = std::make_unique<sim::SimulatedEc2>(catalog::Catalog::Embedded(), ec2_options, capacity, events, 1);
    cloud = std::make_unique<providers::aws::AwsCloudProvider>(
        *ec2, clock, [this](std::function<void()> f) { events.After(0, std::move(f)); },
        std::vector<model::EC2NodeClass>{nc}, capacity);
    cluster = std::make_unique<sim::SimulatedCluster>(clock, std::vector<model::NodePool>{Pool()},
                                                      std::vector<model::DaemonSet>{},
                                                      std::vector<model::PodDisruptionBudget>{});
    const model::NodePool& pool = cluster->NodePools().front();
    const catalog::InstanceType* type = nullptr;
    auto types = cloud->GetInstanceTypes(pool);
    for (const auto& t : *types) {
      if (t.name == "m6i.2xlarge") type = &t;
    }
    for (int i = 0; i < nodes; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "general-%06d", i);
      model::NodeClaim claim;
      claim.meta.name = name;
      claim.meta.labels = {{std::string(model::label::kNodePool), "general"}};
      claim.requirements.Add(model::Requirement::In(std::string(model::label::kInstanceType), {"m6i.2xlarge"}));
      claim.requirements.Add(model::Requirement::In(std::string(model::label::kCapacityType), {"on-demand"}));
      claim.node_class_ref.name = "default";
      (void)cluster->CreateNodeClaim(claim, "general");
      std::optional<Result<ports::Instance>> instance;
      cloud->Create(claim, events.Now() + model::kMinute, [&](Result<ports::Instance> r) { instance = std::move(r); });
      while (!instance && events.RunNext()) {
      }
      ports::NodeClaimInfo info = *cluster->GetNodeClaim(name);
      info.launched_at = 0;
      info.instance_type = (*instance)->instance_type;
      info.zone = (*instance)->zone;
      info.capacity_type = (*instance)->capacity_type;
      info.price_per_hour = (*instance)->price_per_hour;
      info.claim.provider_id = (*instance)->provider_id;
      info.claim.capacity = type->capacity;
      info.claim.allocatable = type->Allocatable();
      for (const auto& [k, v] : type->requirements.SingleValuedLabels()) info.claim.meta.labels.emplace(k, v);
      info.claim.meta.labels[std::string(model::label::kZone)] = (*instance)->zone;
      info.claim.meta.labels[std::string(model::label::kCapacityType)] = (*instance)->capacity_type;
      (void)cluster->UpdateNodeClaim(info);
      model::Node node;
      node.meta.name = name;
      node.meta.labels = info.claim.meta.labels;
      node.allocatable = info.claim.allocatable;
      node.capacity = info.claim.capacity;
      node.provider_id = (*instance)->provider_id;
      cluster->RegisterNode(name, node);
      cluster->SetNodeReady(name);
      info = *cluster->GetNodeClaim(name);
      info.initialized_at = 0;
      info.claim.initialized = true;
      (void)cluster->UpdateNodeClaim(info);
      for (int p = 0; p < 10; ++p) {
        model::Pod pod;
        pod.meta.name = std::string(name) + "-pod-" + std::to_string(p);
        pod.meta.namespace_ = "default";
        model::Container c;
        c.name = "app";
        c.requests = {{"cpu", *model::Quantity::Parse("500m")}, {"memory", *model::Quantity::Parse("1Gi")}};
        pod.containers.push_back(c);
        cluster->AddPod(pod);
        cluster->BindPod(pod.meta.name, name);
        cluster->SetPodRunning(pod.meta.name);
      }
    }
    events.RunUntil(10 * model::kMinute);  // past consolidateAfter
  }
};

void Decision(benchmark::State& state, controllers::disruption::Mode mode) {
  const int nodes = static_cast<int>(state.range(0));
  Cluster c(nodes);
  size_t removed = 0, replacements = 0;
  for (auto _ : state) {
    controllers::disruption::DisruptionOptions options;
    options.mode = mode;
    controllers::disruption::DisruptionController controller(*c.cluster, *c.cloud, c.clock, c.stopwatch, options);
    auto result = controller.Reconcile();
    removed = result.decided.empty() ? 0 : result.decided.front().candidates.size();
    replacements = result.decided.empty() ? 0 : result.decided.front().replacements.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["nodes"] = nodes;
  state.counters["pods"] = nodes * 10;
  state.counters["nodes_removed"] = static_cast<double>(removed);
  state.counters["replacements"] = static_cast<double>(replacements);
}

BENCHMARK_CAPTURE(Decision, adze, controllers::disruption::Mode::kAdze)
    ->Arg(500)->Arg(5000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(Decision, karpenter, controllers::disruption::Mode::kKarpenter)
    ->Arg(500)->Arg(5000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace adze

BENCHMARK_MAIN();
