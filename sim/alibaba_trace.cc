#include "sim/alibaba_trace.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "catalog/csv_reader.h"
#include "model/check.h"
#include "model/labels.h"
#include "model/quantity.h"
#include "model/requirement.h"
#include "model/resource_list.h"

namespace adze::sim {
namespace {

// Sorted by trace_model (Ec2GpuName searches it in order).
constexpr std::array<GpuModelMapping, 7> kGpuModels = {{
    {"A10", "a10g",
     "NVIDIA A10 (24 GB, Ampere); EC2's A10G (g5) is the same chip in AWS's variant"},
    {"G2", "a10g",
     "undisclosed model, only on 8-GPU hosts with 12 vCPU and 48 GiB per GPU (inference-class "
     "servers); A10G is EC2's mainstream current-generation inference GPU and comes in the same "
     "8-GPU shape (g5.48xlarge); t4 would assume a 2018 card the trace lists separately"},
    {"G3", "a100",
     "undisclosed model, only on 8-GPU hosts with 16 vCPU and 96 GiB per GPU, the largest hosts "
     "in the trace (above the 8x V100M32 ones): a training-class GPU one generation past V100, "
     "which on EC2 is the A100 (p4d.24xlarge, 8 GPUs)"},
    {"P100", "t4",
     "NVIDIA P100 (16 GB HBM2, Pascal, ~9.3 FP32 TFLOPS); EC2 never offered it. T4 (16 GB, "
     "~8.1 FP32 TFLOPS, g4dn) has the same memory and similar compute, the closest current type"},
    {"T4", "t4", "the same GPU (g4dn)"},
    {"V100M16", "v100",
     "the same GPU, 16 GB (p3; p3 is retired, so by default only p3dn.24xlarge, 8x 32 GB, is left)"},
    {"V100M32", "v100", "the same GPU, 32 GB (p3dn.24xlarge)"},
}};

// Parses a non-negative decimal integer with no sign, spaces or suffix.
std::optional<int64_t> ParseCount(std::string_view s) {
  int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

struct Columns {
  size_t name, cpu_milli, memory_mib, num_gpu, gpu_milli;
  std::optional<size_t> gpu_spec, qos, pod_phase, creation_time, deletion_time, scheduled_time;
};

}  // namespace

std::span<const GpuModelMapping> GpuModelMappings() { return kGpuModels; }

std::optional<std::string_view> Ec2GpuName(std::string_view trace_model) {
  for (const GpuModelMapping& m : kGpuModels) {
    if (m.trace_model == trace_model) return m.ec2_gpu_name;
  }
  return std::nullopt;
}

Result<std::vector<AlibabaTask>> ParseAlibabaPodList(std::string_view text, std::string_view source_name) {
  Result<catalog::CsvTable> parsed = catalog::CsvTable::Parse(text, source_name);
  if (!parsed.ok()) return parsed.error();
  const catalog::CsvTable& table = *parsed;

  Columns col{};
  for (auto [name, slot] : std::initializer_list<std::pair<std::string_view, size_t*>>{
           {"name", &col.name},
           {"cpu_milli", &col.cpu_milli},
           {"memory_mib", &col.memory_mib},
           {"num_gpu", &col.num_gpu},
           {"gpu_milli", &col.gpu_milli}}) {
    std::optional<size_t> i = table.ColumnIndex(name);
    if (!i) {
      return Error::InvalidArgument(std::string(source_name) + ":1: missing column \"" + std::string(name) +
                                    "\"");
    }
    *slot = *i;
  }
  col.gpu_spec = table.ColumnIndex("gpu_spec");
  col.qos = table.ColumnIndex("qos");
  col.pod_phase = table.ColumnIndex("pod_phase");
  col.creation_time = table.ColumnIndex("creation_time");
  col.deletion_time = table.ColumnIndex("deletion_time");
  col.scheduled_time = table.ColumnIndex("scheduled_time");

  std::vector<AlibabaTask> tasks;
  tasks.reserve(table.records().size());
  std::set<std::string, std::less<>> names;
  for (const catalog::CsvRecord& rec : table.records()) {
    const auto& f = rec.fields;
    auto bad = [&](size_t column, const std::string& what) {
      return Error::InvalidArgument(table.Where(rec.line, column) + what);
    };
    auto count = [&](size_t column, int64_t max, int64_t* out) -> std::optional<Error> {
      std::optional<int64_t> v = ParseCount(f[column]);
      if (!v || *v > max) {
        return bad(column, "\"" + f[column] + "\" is not an integer in 0.." + std::to_string(max));
      }
      *out = *v;
      return std::nullopt;
    };
    auto time = [&](const std::optional<size_t>& column, std::optional<int64_t>* out) -> std::optional<Error> {
      if (!column || f[*column].empty()) return std::nullopt;
      int64_t v = 0;
      // Seconds; the bound keeps v × 10^6 (SimTime microseconds) in range.
      if (std::optional<Error> e = count(*column, int64_t{1} << 40, &v)) return e;
      *out = v;
      return std::nullopt;
    };

    AlibabaTask t;
    t.line = rec.line;
    t.name = f[col.name];
    if (t.name.empty()) return bad(col.name, "empty task name");
    if (!names.insert(t.name).second) return bad(col.name, "duplicate task \"" + t.name + "\"");
    int64_t v = 0;
    // Bounds keep the quantities (milli-units of bytes) far from overflow.
    if (auto e = count(col.cpu_milli, int64_t{1} << 40, &t.cpu_milli)) return *e;
    if (auto e = count(col.memory_mib, int64_t{1} << 30, &t.memory_mib)) return *e;
    if (auto e = count(col.num_gpu, 1024, &v)) return *e;
    t.num_gpu = static_cast<int32_t>(v);
    if (auto e = count(col.gpu_milli, 1000, &v)) return *e;
    t.gpu_milli = static_cast<int32_t>(v);
    if (t.num_gpu == 0 && t.gpu_milli != 0) return bad(col.gpu_milli, "gpu_milli must be 0 when num_gpu is 0");
    if (t.num_gpu == 1 && t.gpu_milli == 0) return bad(col.gpu_milli, "gpu_milli must be 1..1000 when num_gpu is 1");
    if (t.num_gpu > 1 && t.gpu_milli != 1000) {
      return bad(col.gpu_milli, "gpu_milli must be 1000 when num_gpu is more than 1");
    }
    if (col.gpu_spec && !f[*col.gpu_spec].empty()) {
      std::string_view spec = f[*col.gpu_spec];
      while (true) {
        size_t bar = spec.find('|');
        std::string_view model = spec.substr(0, bar);
        if (!Ec2GpuName(model)) {
          return bad(*col.gpu_spec, "unknown GPU model \"" + std::string(model) +
                                        "\" (known: A10, G2, G3, P100, T4, V100M16, V100M32)");
        }
        t.gpu_spec.emplace_back(model);
        if (bar == std::string_view::npos) break;
        spec.remove_prefix(bar + 1);
      }
      if (t.num_gpu == 0) return bad(*col.gpu_spec, "gpu_spec given for a task with no GPU");
    }
    if (col.qos) t.qos = f[*col.qos];
    if (col.pod_phase) t.pod_phase = f[*col.pod_phase];
    if (auto e = time(col.creation_time, &t.creation_time)) return *e;
    if (auto e = time(col.deletion_time, &t.deletion_time)) return *e;
    if (auto e = time(col.scheduled_time, &t.scheduled_time)) return *e;
    tasks.push_back(std::move(t));
  }
  return tasks;
}

Result<std::vector<AlibabaTask>> LoadAlibabaPodList(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound(path + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error::Internal(path + ": read error");
  return ParseAlibabaPodList(text.str(), path);
}

int32_t WholeGpus(const AlibabaTask& task) { return task.num_gpu; }

model::Pod ToPod(const AlibabaTask& task, const GpuModelOverrides& overrides) {
  model::Pod pod;
  pod.meta.name = task.name;
  pod.meta.namespace_ = "default";
  pod.meta.uid = "alibaba-" + task.name;
  pod.meta.creation_time = task.creation_time.value_or(0) * model::kSecond;

  model::Container c;
  c.name = "task";
  c.requests.Set(model::resource::kCpu, model::Quantity::FromMilli(task.cpu_milli));
  c.requests.Set(model::resource::kMemory, model::Quantity::MiB(task.memory_mib));
  const int32_t gpus = WholeGpus(task);
  if (gpus > 0) {
    c.requests.Set(model::resource::kNvidiaGpu, model::Quantity::FromUnits(gpus));
    model::Toleration tol;
    tol.key = std::string(model::resource::kNvidiaGpu);
    tol.op = model::Toleration::Op::kExists;
    tol.effect = model::TaintEffect::kNoSchedule;
    pod.tolerations.push_back(std::move(tol));
    if (!task.gpu_spec.empty()) {
      std::vector<std::string> names;
      for (const std::string& m : task.gpu_spec) {
        if (auto o = overrides.find(m); o != overrides.end()) {
          names.insert(names.end(), o->second.begin(), o->second.end());
          continue;
        }
        std::optional<std::string_view> n = Ec2GpuName(m);
        ADZE_CHECK(n.has_value());
        names.emplace_back(*n);
      }
      // Requirement sorts and de-duplicates (V100M16|V100M32 → In{v100}).
      pod.required_node_affinity.push_back(model::Requirements(
          {model::Requirement::In(std::string(model::label::kInstanceGpuName), std::move(names))}));
    }
  }
  pod.containers.push_back(std::move(c));
  return pod;
}

std::vector<model::Pod> ToPods(const std::vector<AlibabaTask>& tasks) {
  std::vector<model::Pod> pods;
  pods.reserve(tasks.size());
  for (const AlibabaTask& t : tasks) pods.push_back(ToPod(t));
  return pods;
}

}  // namespace adze::sim
