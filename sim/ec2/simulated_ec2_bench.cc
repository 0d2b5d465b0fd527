// Benchmarks for the AWS provider over simulated EC2: GetInstanceTypes (called
// every provisioning batch: a copy of the cached types with availability
// patched) for an unrestricted pool and a GPU pool, and a Create/Delete round trip.
#include <benchmark/benchmark.h>

#include "model/labels.h"
#include "providers/aws/aws_cloud_provider.h"
#include "sim/ec2/simulated_ec2.h"

namespace adze::sim {
namespace {

namespace label = model::label;

model::EC2NodeClass NodeClass() {
  model::EC2NodeClass nc;
  nc.meta.name = "default";
  model::SelectorTerm ami;
  ami.alias = "al2023@latest";
  nc.ami_selector_terms.push_back(ami);
  return nc;
}

model::NodePool Pool(bool gpu) {
  model::NodePool p;
  p.meta.name = gpu ? "gpu" : "general";
  p.node_class_ref.name = "default";
  if (gpu) p.requirements.push_back(model::Requirement::In(std::string(label::kInstanceCategory), {"g", "p"}));
  return p;
}

void BM_GetInstanceTypes(benchmark::State& state) {
  EventQueue events;
  SimulatedEc2 ec2(catalog::Catalog::Embedded(), Ec2Options{}, catalog::CapacityOptions{}, events, 1);
  providers::aws::AwsCloudProvider cloud(ec2, events, [&events](auto f) { events.After(0, std::move(f)); },
                                         {NodeClass()}, catalog::CapacityOptions{});
  const model::NodePool pool = Pool(state.range(0) != 0);
  cloud.MarkUnavailable({"spot", "g5.xlarge", "us-east-1a"});
  for (auto _ : state) {
    auto types = cloud.GetInstanceTypes(pool);
    benchmark::DoNotOptimize(types);
  }
}
BENCHMARK(BM_GetInstanceTypes)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_CreateDelete(benchmark::State& state) {
  EventQueue events;
  Ec2Options options;
  options.spot_interruptions = false;
  SimulatedEc2 ec2(catalog::Catalog::Embedded(), options, catalog::CapacityOptions{}, events, 1);
  providers::aws::AwsCloudProvider cloud(ec2, events, [&events](auto f) { events.After(0, std::move(f)); },
                                         {NodeClass()}, catalog::CapacityOptions{});
  model::NodeClaim claim;
  claim.meta.name = "nc";
  claim.node_class_ref.name = "default";
  claim.requirements.Add(model::Requirement::In(
      std::string(label::kInstanceType), {"c5.large", "c5.xlarge", "m5.large", "m5.xlarge", "m6i.large", "r5.large"}));
  claim.requirements.Add(model::Requirement::In(std::string(label::kCapacityType), {"spot", "on-demand"}));
  claim.requests.Set("cpu", model::Quantity::FromUnits(1));
  for (auto _ : state) {
    std::optional<Result<ports::Instance>> inst;
    cloud.Create(claim, events.Now() + model::kMinute, [&inst](Result<ports::Instance> r) { inst = std::move(r); });
    while (!inst && events.RunNext()) {
    }
    benchmark::DoNotOptimize(inst);
    if (inst && inst->ok()) (void)cloud.Delete((*inst)->provider_id);
  }
}
BENCHMARK(BM_CreateDelete)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace adze::sim

BENCHMARK_MAIN();
