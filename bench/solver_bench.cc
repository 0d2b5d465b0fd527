// Whole-solver benchmarks: one scheduling::Solve over a large pending batch,
// for both packers. Each reports as counters:
//   pods/s   pods placed per second of Solve (pods / wall time of one Solve)
//   nodes    NodeClaims planned
//   $/h      plan cost (sum of the claims' cheapest offerings)
//   cost/LB  plan cost over the solver's lower bound (1.0 = provably optimal)
//   unsched  pods left unschedulable
//   placed   pods placed on existing nodes
// <packer> is adze (default options), adze-thorough (SolverOptions::thorough)
// or karpenter (Karpenter's reference order).
// Scenarios:
//   karpenter_diverse/<packer>/<n>  spec §9.1: Karpenter's scheduling_benchmark_test.go
//                                   (400 fake types, makeDiversePods(n), seed 42).
//   many_small_nodes/<packer>       spec §9.2: 20,000 pods, types that hold two pods
//                                   each, so one pass plans 10,000 claims.
//   existing_nodes/<packer>         the simulator's kube-scheduler call: no pools,
//                                   makeDiversePods(2000) pending onto 500 ready
//                                   nodes (8 vCPU, 32 GiB, 3 zones) that already
//                                   carry 4 bound pods each.
//   gpu_burst/<packer>              every task of the Alibaba 2023 GPU trace
//                                   (openb_pod_list_default.csv) pending at once
//                                   against the embedded EC2 catalog.
// Inputs are built once per benchmark, outside the timed loop.
// Run: make bench && build/bench/bench/solver_bench (see bench/README.md).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/instance_type.h"
#include "model/labels.h"
#include "model/quantity.h"
#include "scheduling/solver.h"
#include "sim/alibaba_trace.h"

#ifndef ADZE_SOURCE_DIR
#define ADZE_SOURCE_DIR "."
#endif

namespace adze {
namespace {

using model::Quantity;
using model::Requirement;
using scheduling::Packer;

Quantity Q(const char* text) {
  Result<Quantity> q = Quantity::Parse(text);
  ADZE_CHECK(q.ok());
  return *q;
}

// A packer as benchmarked: adze (default), adze with SolverOptions::thorough,
// or Karpenter's reference order.
enum class Mode { kAdze, kAdzeThorough, kKarpenter };

const char* ModeName(Mode m) {
  switch (m) {
    case Mode::kAdze: return "adze";
    case Mode::kAdzeThorough: return "adze-thorough";
    case Mode::kKarpenter: return "karpenter";
  }
  return "?";
}

scheduling::SolverOptions OptionsFor(Mode m) {
  scheduling::SolverOptions o;
  o.packer = m == Mode::kKarpenter ? Packer::kKarpenter : Packer::kAdze;
  o.thorough = m == Mode::kAdzeThorough;
  return o;
}

// ---------------------------------------------------------------------------
// Synthetic instance types (spec §9.1).

const std::array<const char*, 3> kTestZones = {"test-zone-1", "test-zone-2", "test-zone-3"};

// Offerings: on-demand in every test zone, spot in the first two, all available
// at the same price; sorted by zone, on-demand before spot (as InstanceType asks).
std::vector<catalog::Offering> TestOfferings(double price) {
  std::vector<catalog::Offering> out;
  for (size_t z = 0; z < kTestZones.size(); ++z) {
    out.push_back({kTestZones[z], std::string("tz") + std::to_string(z + 1), "on-demand", price, true, "", 0});
    if (z < 2) out.push_back({kTestZones[z], std::string("tz") + std::to_string(z + 1), "spot", price, true, "", 0});
  }
  return out;
}

// A fake type with the given capacity and Karpenter's fake overhead (100m CPU,
// 10Mi memory), so Allocatable() = capacity − overhead.
catalog::InstanceType FakeType(const std::string& name, Quantity cpu, Quantity memory, int64_t pods, double price,
                               std::vector<Requirement> extra_requirements) {
  catalog::InstanceType t;
  t.name = name;
  t.requirements.Add(Requirement::In(std::string(model::label::kInstanceType), {name}));
  t.requirements.Add(Requirement::In(std::string(model::label::kArch), {"amd64"}));
  t.requirements.Add(Requirement::In(std::string(model::label::kOs), {"linux"}));
  t.requirements.Add(
      Requirement::In(std::string(model::label::kZone), {kTestZones.begin(), kTestZones.end()}));
  t.requirements.Add(Requirement::In(std::string(model::label::kCapacityType), {"spot", "on-demand"}));
  for (const Requirement& r : extra_requirements) t.requirements.Add(r);
  t.capacity.Set(model::resource::kCpu, cpu);
  t.capacity.Set(model::resource::kMemory, memory);
  t.capacity.Set(model::resource::kPods, Quantity::FromUnits(pods));
  t.kube_reserved.Set(model::resource::kCpu, Q("100m"));
  t.kube_reserved.Set(model::resource::kMemory, Q("10Mi"));
  t.overhead = t.kube_reserved;
  t.offerings = TestOfferings(price);
  t.max_pods_secondary_ip = static_cast<int32_t>(pods);
  t.max_pods_prefix_delegation = static_cast<int32_t>(pods);
  return t;
}

// fake-it-0..399: type i has i+1 vCPU, 2(i+1) GiB, 10(i+1) pods, labels
// size (large iff > 4 vCPU and > 8 GiB) and integer (= vCPU); price
// 0.1 × vCPU + 0.1 × memory in GB (10^9 bytes), so fake-it-0 ≈ 0.315 $/h.
std::vector<catalog::InstanceType> DiverseTypes() {
  std::vector<catalog::InstanceType> types;
  for (int64_t i = 0; i < 400; ++i) {
    const int64_t vcpu = i + 1;
    const int64_t mem_gib = 2 * (i + 1);
    const double price = 0.1 * static_cast<double>(vcpu) + 0.1 * static_cast<double>(mem_gib) * 1.073741824;
    const bool large = vcpu > 4 && mem_gib > 8;
    types.push_back(FakeType("fake-it-" + std::to_string(i), Quantity::FromUnits(vcpu),
                             Quantity::Bytes(mem_gib << 30), 10 * vcpu, price,
                             {Requirement::In("size", {large ? "large" : "small"}),
                              Requirement::In("integer", {std::to_string(vcpu)})}));
  }
  return types;
}

model::NodePool Pool(const std::string& name) {
  model::NodePool p;
  p.meta.name = name;
  p.meta.uid = "nodepool-" + name;
  p.node_class_ref.name = "default";
  return p;
}

// ---------------------------------------------------------------------------
// makeDiversePods (spec §9.1).

class DiversePods {
 public:
  explicit DiversePods(size_t n) : rng_(42) {
    const size_t fifth = n / 5;
    Add(fifth, Kind::kGeneric);
    Add(fifth, Kind::kZoneSpread);
    Add(fifth, Kind::kHostnameSpread);
    Add(fifth, Kind::kZoneAffinity);
    Add(fifth, Kind::kHostnameAntiAffinity);
    Add(n - pods_.size(), Kind::kGeneric);  // remainder
  }
  std::vector<model::Pod> Take() { return std::move(pods_); }

 private:
  enum class Kind { kGeneric, kZoneSpread, kHostnameSpread, kZoneAffinity, kHostnameAntiAffinity };

  // rng() % n rather than a distribution: libstdc++ and libc++ distributions
  // differ, a raw mt19937 draw does not.
  template <size_t N>
  const char* Pick(const std::array<const char*, N>& values) {
    return values[rng_() % N];
  }
  std::string LabelValue() { return Pick(kLabelValues); }

  model::Pod Base() {
    model::Pod pod;
    const size_t index = pods_.size();
    pod.meta.name = "diverse-" + std::to_string(index);
    pod.meta.namespace_ = "default";
    pod.meta.uid = "uid-diverse-" + std::to_string(index);
    model::Container c;
    c.name = "app";
    c.requests.Set(model::resource::kCpu, Q(Pick(kCpu)));
    c.requests.Set(model::resource::kMemory, Q(Pick(kMemory)));
    pod.containers.push_back(std::move(c));
    return pod;
  }

  void Add(size_t count, Kind kind) {
    for (size_t i = 0; i < count; ++i) {
      model::Pod pod = Base();
      switch (kind) {
        case Kind::kGeneric:
          pod.meta.labels["my-label"] = LabelValue();
          break;
        case Kind::kZoneSpread:
        case Kind::kHostnameSpread: {
          // As upstream, the pod's label and its selector are drawn separately.
          pod.meta.labels["my-label"] = LabelValue();
          model::TopologySpreadConstraint c;
          c.max_skew = 1;
          c.topology_key = std::string(kind == Kind::kZoneSpread ? model::label::kZone : model::label::kHostname);
          c.when_unsatisfiable = model::TopologySpreadConstraint::WhenUnsatisfiable::kDoNotSchedule;
          model::LabelSelector sel;
          sel.match_labels["my-label"] = LabelValue();
          c.label_selector = sel;
          pod.topology_spread.push_back(std::move(c));
          break;
        }
        case Kind::kZoneAffinity: {
          // Self-affinity on a key of its own (upstream "my-affininity"), so the
          // pod's group is bootstrapped by its own members only.
          pod.meta.labels["my-affinity"] = LabelValue();
          model::PodAffinityTerm t;
          t.label_selector = model::LabelSelector{pod.meta.labels, {}};
          t.topology_key = std::string(model::label::kZone);
          pod.required_pod_affinity.push_back(std::move(t));
          break;
        }
        case Kind::kHostnameAntiAffinity: {
          pod.meta.labels["app"] = "nginx";
          model::PodAffinityTerm t;
          t.label_selector = model::LabelSelector{pod.meta.labels, {}};
          t.topology_key = std::string(model::label::kHostname);
          pod.required_pod_anti_affinity.push_back(std::move(t));
          break;
        }
      }
      pods_.push_back(std::move(pod));
    }
  }

  static constexpr std::array<const char*, 5> kCpu = {"100m", "250m", "500m", "1", "1.5"};
  static constexpr std::array<const char*, 6> kMemory = {"100Mi", "256Mi", "512Mi", "1Gi", "2Gi", "4Gi"};
  static constexpr std::array<const char*, 7> kLabelValues = {"a", "b", "c", "d", "e", "f", "g"};

  std::mt19937 rng_;
  std::vector<model::Pod> pods_;
};

// ---------------------------------------------------------------------------
// Running and reporting.

double GpusOf(const catalog::InstanceType& t) {
  return static_cast<double>(t.capacity.Get(model::resource::kNvidiaGpu).milli()) / 1000.0;
}

void RunSolve(benchmark::State& state, const scheduling::SolverInput& input, Mode mode,
              bool report_gpus = false) {
  scheduling::SolverOptions options = OptionsFor(mode);
  scheduling::Plan plan;
  for (auto _ : state) {
    plan = scheduling::Solve(input, options);
    benchmark::DoNotOptimize(plan);
  }
  const double pods = static_cast<double>(input.pods.size());
  state.counters["pods"] = pods;
  state.counters["pods/s"] = benchmark::Counter(pods, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["nodes"] = static_cast<double>(plan.claims.size());
  state.counters["$/h"] = plan.cost_per_hour;
  state.counters["cost/LB"] = plan.lower_bound > 0 ? plan.cost_per_hour / plan.lower_bound : 0;
  state.counters["unsched"] = static_cast<double>(plan.unschedulable.size());
  state.counters["placed"] = static_cast<double>(plan.placed.size());
  if (report_gpus) {
    // GPUs on the cheapest option of each claim, and the share of them requested.
    double gpus = 0, requested = 0;
    for (const scheduling::NewClaim& c : plan.claims) {
      if (!c.instance_types.empty()) gpus += GpusOf(*c.instance_types[0]);
      requested += static_cast<double>(c.requests.Get(model::resource::kNvidiaGpu).milli()) / 1000.0;
    }
    state.counters["gpus"] = gpus;
    state.counters["gpu_used"] = gpus > 0 ? requested / gpus : 0;
  }
}

void BM_KarpenterDiverse(benchmark::State& state, size_t n, Mode packer) {
  scheduling::SolverInput input;
  input.pods = DiversePods(n).Take();
  scheduling::PoolInput pool;
  pool.pool = Pool("default");
  pool.instance_types = DiverseTypes();
  input.pools.push_back(std::move(pool));
  RunSolve(state, input, packer);
}

// 20,000 pods of 1 CPU and 1Gi; the only type has 2100m CPU and 2Gi + 10Mi,
// so after the 100m/10Mi overhead exactly two pods fit (by CPU and by memory).
void BM_ManySmallNodes(benchmark::State& state, Mode packer) {
  constexpr size_t kPods = 20'000;
  scheduling::SolverInput input;
  input.pods.reserve(kPods);
  for (size_t i = 0; i < kPods; ++i) {
    model::Pod pod;
    pod.meta.name = "small-" + std::to_string(i);
    pod.meta.namespace_ = "default";
    pod.meta.uid = "uid-small-" + std::to_string(i);
    model::Container c;
    c.name = "app";
    c.requests.Set(model::resource::kCpu, Q("1"));
    c.requests.Set(model::resource::kMemory, Q("1Gi"));
    pod.containers.push_back(std::move(c));
    input.pods.push_back(std::move(pod));
  }
  scheduling::PoolInput pool;
  pool.pool = Pool("default");
  pool.instance_types = std::vector<catalog::InstanceType>{FakeType("two-pod", Q("2100m"), Q("2058Mi"), 110, 0.1, {})};
  input.pools.push_back(std::move(pool));
  RunSolve(state, input, packer);
}

void BM_ExistingNodes(benchmark::State& state, Mode packer) {
  scheduling::SolverInput input;
  input.pods = DiversePods(2'000).Take();
  std::vector<model::Pod> bound = DiversePods(2'000).Take();
  for (size_t n = 0; n < 500; ++n) {
    scheduling::NodeInput node;
    node.node.meta.name = "node-" + std::to_string(n);
    node.node.meta.labels = {{std::string(model::label::kZone), kTestZones[n % 3]},
                             {std::string(model::label::kHostname), node.node.meta.name},
                             {std::string(model::label::kCapacityType), "on-demand"}};
    node.node.allocatable.Set(model::resource::kCpu, Q("8"));
    node.node.allocatable.Set(model::resource::kMemory, Q("32Gi"));
    node.node.allocatable.Set(model::resource::kPods, Q("110"));
    for (size_t k = 0; k < 4; ++k) {
      // Bound pods: the generic fifth of another diverse batch (no topology terms).
      model::Pod p = bound[(n * 4 + k) % 400];
      p.meta.name = "bound-" + std::to_string(n) + "-" + std::to_string(k);
      p.meta.uid = "uid-" + p.meta.name;
      p.node_name = node.node.meta.name;
      node.pods.push_back(std::move(p));
    }
    input.nodes.push_back(std::move(node));
  }
  RunSolve(state, input, packer);
}

// Every task of openb_pod_list_default.csv, against the embedded catalog under
// an AL2023 EC2NodeClass. GPU pools (instance-category g or p, tainted
// nvidia.com/gpu=true:NoSchedule): "gpu-spot" (spot only, weight 10) and
// "gpu-on-demand"; CPU-only tasks go to "cpu" (categories c, m, r).
void BM_GpuBurst(benchmark::State& state, Mode packer) {
  const std::string path = std::string(ADZE_SOURCE_DIR) + "/data/traces/alibaba-gpu-2023/openb_pod_list_default.csv";
  Result<std::vector<sim::AlibabaTask>> tasks = sim::LoadAlibabaPodList(path);
  if (!tasks.ok()) {
    state.SkipWithError(tasks.error().message.c_str());
    return;
  }
  model::EC2NodeClass node_class;
  node_class.meta.name = "default";
  node_class.ami_family = model::AmiFamily::kAL2023;
  std::vector<catalog::InstanceType> types =
      catalog::ResolveInstanceTypes(catalog::Catalog::Embedded(), node_class, catalog::CapacityOptions{});

  const model::Taint gpu_taint{std::string(model::resource::kNvidiaGpu), "true", model::TaintEffect::kNoSchedule};
  const std::string category(model::label::kInstanceCategory);
  const std::string capacity_type(model::label::kCapacityType);

  scheduling::SolverInput input;
  input.pods = sim::ToPods(*tasks);
  {
    scheduling::PoolInput p;
    p.pool = Pool("gpu-spot");
    p.pool.weight = 10;
    p.pool.taints = {gpu_taint};
    p.pool.requirements = {Requirement::In(category, {"g", "p"}), Requirement::In(capacity_type, {"spot"})};
    p.instance_types = types;
    input.pools.push_back(std::move(p));
  }
  {
    scheduling::PoolInput p;
    p.pool = Pool("gpu-on-demand");
    p.pool.taints = {gpu_taint};
    p.pool.requirements = {Requirement::In(category, {"g", "p"}), Requirement::In(capacity_type, {"on-demand"})};
    p.instance_types = types;
    input.pools.push_back(std::move(p));
  }
  {
    scheduling::PoolInput p;
    p.pool = Pool("cpu");
    p.pool.requirements = {Requirement::In(category, {"c", "m", "r"})};
    p.instance_types = std::move(types);
    input.pools.push_back(std::move(p));
  }
  RunSolve(state, input, packer, /*report_gpus=*/true);
}

void RegisterAll() {
  for (Mode mode : {Mode::kAdze, Mode::kAdzeThorough, Mode::kKarpenter}) {
    const std::string p = ModeName(mode);
    for (size_t n : {1'000, 5'000, 20'000, 100'000}) {
      if (mode == Mode::kAdzeThorough && n > 20'000) continue;
      benchmark::RegisterBenchmark(("karpenter_diverse/" + p + "/" + std::to_string(n)).c_str(), BM_KarpenterDiverse,
                                   n, mode)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->Iterations(n >= 20'000 ? 1 : 3);
    }
    if (mode == Mode::kAdzeThorough) {
      benchmark::RegisterBenchmark(("gpu_burst/" + p).c_str(), BM_GpuBurst, mode)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->Iterations(2);
      continue;
    }
    benchmark::RegisterBenchmark(("many_small_nodes/" + p).c_str(), BM_ManySmallNodes, mode)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1);
    benchmark::RegisterBenchmark(("existing_nodes/" + p).c_str(), BM_ExistingNodes, mode)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(5);
    benchmark::RegisterBenchmark(("gpu_burst/" + p).c_str(), BM_GpuBurst, mode)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(2);
  }
}

}  // namespace
}  // namespace adze

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  adze::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
