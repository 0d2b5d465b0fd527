#include "sim/alibaba_trace.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "model/labels.h"
#include "model/quantity.h"

namespace adze::sim {
namespace {

std::string TracePath(const std::string& file) {
  const char* root = std::getenv("ADZE_SOURCE_DIR");
  return std::string(root ? root : ".") + "/data/traces/alibaba-gpu-2023/" + file;
}

const std::string kHeader =
    "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,"
    "scheduled_time\n";

std::vector<AlibabaTask> MustParse(const std::string& text) {
  Result<std::vector<AlibabaTask>> r = ParseAlibabaPodList(text, "t.csv");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : std::vector<AlibabaTask>{};
}

std::string ParseError(const std::string& text) {
  Result<std::vector<AlibabaTask>> r = ParseAlibabaPodList(text, "t.csv");
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.error().message;
}

TEST(AlibabaTraceTest, RowCountsOfTheShippedFiles) {
  const std::map<std::string, size_t> expected = {
      {"openb_pod_list_default.csv", 8152},
      {"openb_pod_list_multigpu50.csv", 9061},
      {"openb_pod_list_gpushare100.csv", 8152},
  };
  for (const auto& [file, rows] : expected) {
    Result<std::vector<AlibabaTask>> r = LoadAlibabaPodList(TracePath(file));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->size(), rows) << file;
  }
}

TEST(AlibabaTraceTest, DefaultListTotalsMatchTheReadme) {
  Result<std::vector<AlibabaTask>> r = LoadAlibabaPodList(TracePath("openb_pod_list_default.csv"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  int64_t gpus = 0, cpu_milli = 0, memory_mib = 0, gpu_milli_share = 0, gpu_tasks = 0;
  for (const AlibabaTask& t : *r) {
    gpus += WholeGpus(t);
    cpu_milli += t.cpu_milli;
    memory_mib += t.memory_mib;
    gpu_milli_share += t.num_gpu == 1 ? t.gpu_milli : 1000 * t.num_gpu;
    if (t.num_gpu > 0) ++gpu_tasks;
  }
  // README: 7,433 whole GPUs, 6,087 GPUs' worth of shares, 85,436 vCPU, 296,432 GiB.
  EXPECT_EQ(gpus, 7433);
  EXPECT_EQ((gpu_milli_share + 500) / 1000, 6087);
  EXPECT_EQ(cpu_milli, 85'436'012);
  EXPECT_EQ((cpu_milli + 500) / 1000, 85'436);
  EXPECT_EQ(memory_mib, 303'546'211);  // 296,431.8 GiB
  EXPECT_EQ((memory_mib + 512) / 1024, 296'432);
  EXPECT_EQ(gpu_tasks, 8152 - 1088);
}

TEST(AlibabaTraceTest, MultiGpuListHasOnlyFiveColumns) {
  Result<std::vector<AlibabaTask>> r = LoadAlibabaPodList(TracePath("openb_pod_list_multigpu50.csv"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const AlibabaTask& t = r->front();
  EXPECT_EQ(t.name, "openb-pod-0000");
  EXPECT_TRUE(t.qos.empty());
  EXPECT_FALSE(t.creation_time.has_value());
  EXPECT_EQ(ToPod(t).meta.creation_time, 0);
}

TEST(AlibabaTraceTest, KnownRowConvertsExactly) {
  Result<std::vector<AlibabaTask>> r = LoadAlibabaPodList(TracePath("openb_pod_list_default.csv"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  // openb-pod-0001,6000,12288,1,460,,LS,Running,427061,12902960,427061
  const AlibabaTask& t = (*r)[1];
  EXPECT_EQ(t.line, 3);
  EXPECT_EQ(t.name, "openb-pod-0001");
  EXPECT_EQ(t.cpu_milli, 6000);
  EXPECT_EQ(t.memory_mib, 12288);
  EXPECT_EQ(t.num_gpu, 1);
  EXPECT_EQ(t.gpu_milli, 460);
  EXPECT_TRUE(t.gpu_spec.empty());
  EXPECT_EQ(t.qos, "LS");
  EXPECT_EQ(t.pod_phase, "Running");
  EXPECT_EQ(t.creation_time, 427061);
  EXPECT_EQ(t.deletion_time, 12902960);
  EXPECT_EQ(t.scheduled_time, 427061);

  model::Pod pod = ToPod(t);
  EXPECT_EQ(pod.meta.name, "openb-pod-0001");
  EXPECT_EQ(pod.meta.namespace_, "default");
  EXPECT_EQ(pod.meta.uid, "alibaba-openb-pod-0001");
  EXPECT_EQ(pod.meta.creation_time, 427061 * model::kSecond);
  // 460 milli of a GPU still takes one whole GPU on EC2.
  EXPECT_EQ(pod.EffectiveRequests(), (model::ResourceList{{"cpu", model::Quantity::FromMilli(6000)},
                                                          {"memory", model::Quantity::MiB(12288)},
                                                          {"nvidia.com/gpu", model::Quantity::FromUnits(1)},
                                                          {"pods", model::Quantity::FromUnits(1)}}));
  ASSERT_EQ(pod.tolerations.size(), 1u);
  EXPECT_EQ(pod.tolerations[0].key, "nvidia.com/gpu");
  EXPECT_EQ(pod.tolerations[0].op, model::Toleration::Op::kExists);
  EXPECT_EQ(pod.tolerations[0].effect, model::TaintEffect::kNoSchedule);
  EXPECT_TRUE(pod.tolerations[0].Tolerates({"nvidia.com/gpu", "true", model::TaintEffect::kNoSchedule}));
  // No gpu_spec: any GPU will do.
  EXPECT_TRUE(pod.required_node_affinity.empty());
}

TEST(AlibabaTraceTest, ScenarioGpuModelMappingOverridesTheDefault) {
  AlibabaTask t;
  t.name = "v100-task";
  t.cpu_milli = 4000;
  t.memory_mib = 8192;
  t.num_gpu = 1;
  t.gpu_milli = 1000;
  t.gpu_spec = {"V100M16", "T4"};
  // Default: V100 only on v100 types (p3dn: 8 GPUs), T4 on t4.
  const model::Pod by_default = ToPod(t);
  ASSERT_EQ(by_default.required_node_affinity.size(), 1u);
  EXPECT_EQ(by_default.required_node_affinity[0].Get(std::string(model::label::kInstanceGpuName)),
            model::Requirement::In(std::string(model::label::kInstanceGpuName), {"t4", "v100"}));
  // Mapped so a one-GPU V100 task may land on a one-GPU A10G or T4 type.
  const model::Pod mapped = ToPod(t, GpuModelOverrides{{"V100M16", {"a10g"}}});
  ASSERT_EQ(mapped.required_node_affinity.size(), 1u);
  EXPECT_EQ(mapped.required_node_affinity[0].Get(std::string(model::label::kInstanceGpuName)),
            model::Requirement::In(std::string(model::label::kInstanceGpuName), {"a10g", "t4"}));
}

TEST(AlibabaTraceTest, CpuOnlyTaskHasNoGpuRequestOrToleration) {
  auto tasks = MustParse(kHeader + "cpu-task,8000,30517,0,0,,BE,Running,9565025,9586760,9565025\n");
  ASSERT_EQ(tasks.size(), 1u);
  model::Pod pod = ToPod(tasks[0]);
  EXPECT_FALSE(pod.EffectiveRequests().Has("nvidia.com/gpu"));
  EXPECT_TRUE(pod.tolerations.empty());
  EXPECT_TRUE(pod.required_node_affinity.empty());
}

TEST(AlibabaTraceTest, MultiGpuTaskRequestsEveryGpu) {
  auto tasks = MustParse(kHeader + "big,64000,262144,8,1000,,LS,Running,0,10,0\n");
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(WholeGpus(tasks[0]), 8);
  EXPECT_EQ(ToPod(tasks[0]).EffectiveRequests().Get("nvidia.com/gpu"), model::Quantity::FromUnits(8));
}

TEST(AlibabaTraceTest, GpuSpecBecomesGpuNameAffinity) {
  auto tasks = MustParse(kHeader +
                         "a,1000,1024,1,500,V100M16|V100M32,LS,Running,0,10,0\n"
                         "b,1000,1024,2,1000,T4|P100|A10,LS,Running,0,10,0\n");
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].gpu_spec, (std::vector<std::string>{"V100M16", "V100M32"}));

  model::Pod a = ToPod(tasks[0]);
  ASSERT_EQ(a.required_node_affinity.size(), 1u);
  EXPECT_EQ(a.required_node_affinity[0],
            model::Requirements({model::Requirement::In("karpenter.k8s.aws/instance-gpu-name", {"v100"})}));
  model::Pod b = ToPod(tasks[1]);
  ASSERT_EQ(b.required_node_affinity.size(), 1u);
  EXPECT_EQ(b.required_node_affinity[0], model::Requirements({model::Requirement::In(
                                             "karpenter.k8s.aws/instance-gpu-name", {"a10g", "t4"})}));
}

TEST(AlibabaTraceTest, MappingTable) {
  const std::map<std::string, std::string> expected = {
      {"A10", "a10g"}, {"G2", "a10g"},    {"G3", "a100"},    {"P100", "t4"},
      {"T4", "t4"},    {"V100M16", "v100"}, {"V100M32", "v100"},
  };
  std::map<std::string, std::string> got;
  for (const GpuModelMapping& m : GpuModelMappings()) {
    EXPECT_FALSE(m.reason.empty()) << m.trace_model;
    got.emplace(m.trace_model, m.ec2_gpu_name);
    EXPECT_EQ(Ec2GpuName(m.trace_model), m.ec2_gpu_name);
  }
  EXPECT_EQ(got, expected);
  EXPECT_FALSE(Ec2GpuName("t4").has_value());  // exact case
  EXPECT_FALSE(Ec2GpuName("H100").has_value());
}

TEST(AlibabaTraceTest, MappingCoversEveryModelOfTheNodeList) {
  // openb_node_list_gpu_node.csv: sn,cpu_milli,memory_mib,gpu,model.
  std::ifstream in(TracePath("openb_node_list_gpu_node.csv"));
  ASSERT_TRUE(in) << TracePath("openb_node_list_gpu_node.csv");
  std::string line;
  std::getline(in, line);
  int rows = 0;
  while (std::getline(in, line)) {
    std::string model = line.substr(line.rfind(',') + 1);
    EXPECT_TRUE(Ec2GpuName(model).has_value()) << model;
    ++rows;
  }
  EXPECT_EQ(rows, 1213);
}

TEST(AlibabaTraceTest, MalformedLinesNameFileLineAndColumn) {
  EXPECT_EQ(ParseError(kHeader + "ok,1,1,0,0,,LS,Running,0,1,0\n" + "bad,12x,1,0,0,,LS,Running,0,1,0\n"),
            "t.csv:3: column \"cpu_milli\": \"12x\" is not an integer in 0..1099511627776");
  EXPECT_EQ(ParseError(kHeader + "bad,1,-5,0,0,,LS,Running,0,1,0\n"),
            "t.csv:2: column \"memory_mib\": \"-5\" is not an integer in 0..1073741824");
  EXPECT_EQ(ParseError(kHeader + "bad,1,1,1,1001,,LS,Running,0,1,0\n"),
            "t.csv:2: column \"gpu_milli\": \"1001\" is not an integer in 0..1000");
  EXPECT_EQ(ParseError(kHeader + "bad,1,1,2,500,,LS,Running,0,1,0\n"),
            "t.csv:2: column \"gpu_milli\": gpu_milli must be 1000 when num_gpu is more than 1");
  EXPECT_EQ(ParseError(kHeader + "bad,1,1,1,500,H100,LS,Running,0,1,0\n"),
            "t.csv:2: column \"gpu_spec\": unknown GPU model \"H100\" (known: A10, G2, G3, P100, T4, V100M16, "
            "V100M32)");
  EXPECT_EQ(ParseError(kHeader + "x,1,1,0,0,,LS,Running,0,1,0\nx,1,1,0,0,,LS,Running,0,1,0\n"),
            "t.csv:3: column \"name\": duplicate task \"x\"");
  EXPECT_EQ(ParseError(kHeader + "bad,1,1,0,0,,LS,Running,zero,1,0\n"),
            "t.csv:2: column \"creation_time\": \"zero\" is not an integer in 0..1099511627776");
  // Wrong field count: the CSV reader reports the line.
  EXPECT_NE(ParseError(kHeader + "short,1,1\n").find("t.csv:2"), std::string::npos);
  EXPECT_EQ(ParseError("name,cpu_milli,memory_mib,num_gpu\nx,1,1,0\n"), "t.csv:1: missing column \"gpu_milli\"");
}

TEST(AlibabaTraceTest, MissingFileIsNotFound) {
  Result<std::vector<AlibabaTask>> r = LoadAlibabaPodList(TracePath("no-such-file.csv"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace adze::sim
