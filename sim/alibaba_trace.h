// AlibabaTrace: reads the task lists of Alibaba's 2023 GPU cluster trace
// (data/traces/alibaba-gpu-2023/openb_pod_list_*.csv, see its README.md) and
// turns each task into the pending model::Pod an EKS cluster would see.
//
// Columns. name, cpu_milli, memory_mib, num_gpu and gpu_milli are required;
// gpu_spec, qos, pod_phase, creation_time, deletion_time and scheduled_time
// are read when the header has them (openb_pod_list_multigpu50.csv has only
// the first five) and are otherwise empty. Extra columns are ignored. Every
// cell must parse; errors read
//   "<source>:<line>: column \"<column>\": <what was wrong>".
//
// From a task to a pod:
//   * requests: cpu = cpu_milli millicores, memory = memory_mib MiB, and
//     nvidia.com/gpu = WholeGpus(task) when that is > 0.
//   * GPU shares. The trace comes from a GPU-sharing cluster: a task with
//     num_gpu = 1 and gpu_milli < 1000 needs only that share of one GPU. EC2
//     does not share a GPU between pods unless the node runs MIG or the NVIDIA
//     device plugin's time-slicing, and neither is modelled (Karpenter
//     advertises nvidia.com/gpu = the GPU count of the type). So such a task
//     asks for one whole GPU: WholeGpus = num_gpu. The burst of all 8,152
//     default tasks therefore requests 7,433 GPUs, not the 6,087 GPUs' worth of
//     shares; the difference is the price of not sharing.
//   * A task that needs GPUs tolerates nvidia.com/gpu:NoSchedule (operator
//     Exists), the taint GPU NodePools carry.
//   * gpu_spec (a '|'-separated list of models the task accepts) becomes one
//     required node-affinity term: karpenter.k8s.aws/instance-gpu-name In
//     {the EC2 names of those models} (see GpuModelMappings()). A task that
//     needs GPUs but has no gpu_spec gets no GPU-name requirement. A model
//     missing from the table is an error. (In the copies of the trace held in
//     data/, every gpu_spec cell is empty.)
//   * meta: name = task name, namespace "default", uid "alibaba-<name>",
//     creation_time = creation_time seconds (as SimTime microseconds).
//
// Thread-safety: pure functions and value types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/pod.h"
#include "model/result.h"

namespace adze::sim {

struct AlibabaTask {
  int line = 0;  // line of the task in its file (the header is line 1)
  std::string name;
  int64_t cpu_milli = 0;
  int64_t memory_mib = 0;
  int32_t num_gpu = 0;    // whole GPUs, 0..8
  int32_t gpu_milli = 0;  // share of one GPU when num_gpu == 1; 1000 when num_gpu > 1; 0 when num_gpu == 0
  std::vector<std::string> gpu_spec;  // trace models the task accepts, in file order; empty: any
  std::string qos;                    // LS, BE, Burstable, Guaranteed
  std::string pod_phase;              // Running, Pending, Succeeded, Failed
  // Seconds from the start of the trace; nullopt when the cell is empty or the
  // column is absent.
  std::optional<int64_t> creation_time;
  std::optional<int64_t> deletion_time;
  std::optional<int64_t> scheduled_time;
};

// One row of the trace-model to EC2-GPU mapping.
struct GpuModelMapping {
  std::string_view trace_model;   // as written in gpu_spec and the node list: "V100M16"
  std::string_view ec2_gpu_name;  // value of karpenter.k8s.aws/instance-gpu-name: "v100"
  std::string_view reason;        // why this EC2 GPU stands in for the trace model
};

// The mapping, sorted by trace model:
//   A10 → a10g, G2 → a10g, G3 → a100, P100 → t4, T4 → t4, V100M16 → v100, V100M32 → v100.
// Reasons are in each row (and in docs/alibaba-trace.md).
std::span<const GpuModelMapping> GpuModelMappings();

// The EC2 GPU name for a trace model (exact case), or nullopt when unknown.
std::optional<std::string_view> Ec2GpuName(std::string_view trace_model);

// Parses a pod list. source_name is used only in error messages.
// Checks: 0 ≤ cpu_milli, 0 ≤ memory_mib, 0 ≤ num_gpu; gpu_milli is 0 when
// num_gpu is 0, in 1..1000 when num_gpu is 1 and 1000 when num_gpu > 1;
// every gpu_spec model is in GpuModelMappings(); names are unique.
Result<std::vector<AlibabaTask>> ParseAlibabaPodList(std::string_view text, std::string_view source_name);

// Reads and parses the file at path; errors name the path.
Result<std::vector<AlibabaTask>> LoadAlibabaPodList(const std::string& path);

// GPUs the task needs on EC2: num_gpu (a fractional share still takes a whole GPU).
int32_t WholeGpus(const AlibabaTask& task);

// A scenario's own mapping of trace GPU models to EC2 GPU names
// (karpenter.k8s.aws/instance-gpu-name values), overriding GpuModelMappings()
// for the models it names: {"V100M16": {"v100", "t4"}}.
using GpuModelOverrides = std::map<std::string, std::vector<std::string>, std::less<>>;

// The pending pod for the task, as described at the top of this file; a
// gpu_spec model in overrides maps to its names there instead of the default.
// REQUIRES: every gpu_spec model is known (ParseAlibabaPodList checks it).
model::Pod ToPod(const AlibabaTask& task, const GpuModelOverrides& overrides = {});

// ToPod for every task, in order.
std::vector<model::Pod> ToPods(const std::vector<AlibabaTask>& tasks);

}  // namespace adze::sim
