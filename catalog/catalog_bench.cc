// Benchmarks for the catalog layer: parsing the embedded CSVs and resolving
// every instance type under a NodeClass (what a provisioning loop does when
// its cache expires).
#include <benchmark/benchmark.h>

#include "catalog/catalog.h"
#include "catalog/embedded_data.h"
#include "catalog/instance_type.h"

namespace adze::catalog {
namespace {

void BM_ParseEmbedded(benchmark::State& state) {
  for (auto _ : state) {
    Result<Catalog> c = Catalog::FromCsv(EmbeddedInstanceTypesCsv(), EmbeddedZonesCsv(), "embedded");
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_ParseEmbedded);

void BM_ResolveAll(benchmark::State& state) {
  const Catalog& catalog = Catalog::Embedded();
  model::EC2NodeClass nc;
  nc.ami_family = model::AmiFamily::kAL2023;
  CapacityOptions opts;
  opts.include_retired = true;
  for (auto _ : state) {
    std::vector<InstanceType> types = ResolveInstanceTypes(catalog, nc, opts);
    benchmark::DoNotOptimize(types);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(catalog.types().size()));
}
BENCHMARK(BM_ResolveAll);

void BM_ParseAndResolve(benchmark::State& state) {
  model::EC2NodeClass nc;
  for (auto _ : state) {
    Result<Catalog> c = Catalog::FromCsv(EmbeddedInstanceTypesCsv(), EmbeddedZonesCsv(), "embedded");
    std::vector<InstanceType> types = ResolveInstanceTypes(*c, nc, CapacityOptions{});
    benchmark::DoNotOptimize(types);
  }
}
BENCHMARK(BM_ParseAndResolve);

}  // namespace
}  // namespace adze::catalog

BENCHMARK_MAIN();
