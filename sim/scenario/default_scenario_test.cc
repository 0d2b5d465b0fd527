#include "sim/scenario/default_scenario.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "model/labels.h"
#include "sim/scenario/scenario_decoder.h"

namespace adze::sim {
namespace {

const model::NodePool* FindPool(const Scenario& s, std::string_view name) {
  for (const model::NodePool& p : s.node_pools) {
    if (p.meta.name == name) return &p;
  }
  return nullptr;
}

const model::Requirement* FindRequirement(const model::NodePool& pool, std::string_view key) {
  for (const model::Requirement& r : pool.requirements) {
    if (r.key() == key) return &r;
  }
  return nullptr;
}

bool HasGpuTaint(const model::NodePool& pool) {
  return std::any_of(pool.taints.begin(), pool.taints.end(), [](const model::Taint& t) {
    return t.key == "nvidia.com/gpu" && t.effect == model::TaintEffect::kNoSchedule;
  });
}

TEST(DefaultScenarioTest, TextIsExamplesDefaultYaml) {
  const char* root = std::getenv("ADZE_SOURCE_DIR");
  Result<std::string> file = ReadLocalFile(std::string(root ? root : ".") + "/examples/default.yaml");
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(DefaultScenarioText(), *file);
}

TEST(DefaultScenarioTest, DecodesWithoutWarnings) {
  std::vector<codec::Diagnostic> warnings;
  Result<Scenario> s = DecodeScenario(DefaultScenarioText(), kDefaultScenarioFile, nullptr, &warnings);
  ASSERT_TRUE(s.ok()) << s.error().message;
  for (const codec::Diagnostic& w : warnings) ADD_FAILURE() << w.ToString();
  ASSERT_TRUE(DefaultScenario().ok());
  EXPECT_EQ(DefaultScenario()->file, "built-in");
}

TEST(DefaultScenarioTest, HasThePromisedCluster) {
  Result<Scenario> r = DefaultScenario();
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Scenario& s = *r;
  EXPECT_EQ(s.name, "default");
  EXPECT_EQ(s.seed, 42u);
  EXPECT_EQ(s.duration, 24 * kHour);
  EXPECT_EQ(s.region, "us-east-1");
  EXPECT_GE(s.cluster.daemon_sets.size(), 1u);

  const model::NodePool* training = FindPool(s, "training");
  ASSERT_NE(training, nullptr);
  EXPECT_TRUE(HasGpuTaint(*training));
  ASSERT_NE(FindRequirement(*training, model::label::kCapacityType), nullptr);
  EXPECT_TRUE(FindRequirement(*training, model::label::kCapacityType)->Has("on-demand"));
  EXPECT_FALSE(FindRequirement(*training, model::label::kCapacityType)->Has("spot"));
  ASSERT_NE(FindRequirement(*training, model::label::kInstanceFamily), nullptr);
  EXPECT_TRUE(FindRequirement(*training, model::label::kInstanceFamily)->Has("p5"));

  const model::NodePool* inference = FindPool(s, "inference");
  ASSERT_NE(inference, nullptr);
  EXPECT_TRUE(HasGpuTaint(*inference));
  EXPECT_TRUE(FindRequirement(*inference, model::label::kCapacityType)->Has("spot"));
  EXPECT_FALSE(FindRequirement(*inference, model::label::kCapacityType)->Has("on-demand"));
  EXPECT_TRUE(FindRequirement(*inference, model::label::kInstanceCategory)->Has("g"));
  EXPECT_NE(FindRequirement(*inference, model::label::kInstanceGpuCount), nullptr);

  const model::NodePool* general = FindPool(s, "general");
  ASSERT_NE(general, nullptr);
  EXPECT_FALSE(HasGpuTaint(*general));
  for (const char* c : {"c", "m", "r"}) EXPECT_TRUE(FindRequirement(*general, model::label::kInstanceCategory)->Has(c));

  // The GPU images are on the snapshot the GPU node class restores.
  const model::EC2NodeClass* gpu_class = nullptr;
  for (const model::EC2NodeClass& c : s.node_classes) {
    if (c.meta.name == training->node_class_ref.name) gpu_class = &c;
  }
  ASSERT_NE(gpu_class, nullptr);
  EXPECT_EQ(inference->node_class_ref.name, gpu_class->meta.name);
  std::string snapshot;
  for (const model::BlockDeviceMapping& b : gpu_class->block_device_mappings) {
    if (!b.ebs.snapshot_id.empty()) snapshot = b.ebs.snapshot_id;
  }
  ASSERT_FALSE(snapshot.empty());
  ASSERT_EQ(s.snapshots.size(), 1u);
  EXPECT_EQ(s.snapshots[0].id, snapshot);

  auto image_of = [&](const model::Pod& pod) -> const ImageSpec* {
    for (const ImageSpec& i : s.images) {
      if (i.name == pod.containers.at(0).image) return &i;
    }
    return nullptr;
  };

  ASSERT_EQ(s.training_jobs.size(), 1u);
  const TrainingJob& train = s.training_jobs[0];
  EXPECT_EQ(train.workers, 4);
  EXPECT_EQ(train.pod_template.EffectiveRequests().Get(model::resource::kNvidiaGpu), model::Quantity::FromUnits(8));
  EXPECT_TRUE(train.do_not_disrupt);
  EXPECT_EQ(train.pod_template.meta.annotations.at("karpenter.sh/do-not-disrupt"), "true");
  EXPECT_EQ(train.checkpoint_interval, 30 * kMinute);
  EXPECT_EQ(train.duration, 12 * kHour);
  ASSERT_NE(image_of(train.pod_template), nullptr);
  EXPECT_EQ(image_of(train.pod_template)->snapshot_id, snapshot);

  ASSERT_EQ(s.inference_services.size(), 1u);
  const InferenceService& serve = s.inference_services[0];
  EXPECT_EQ(serve.min_replicas, 4);
  EXPECT_EQ(serve.max_replicas, 16);
  EXPECT_TRUE(serve.curve.empty());
  EXPECT_EQ(serve.pod_template.EffectiveRequests().Get(model::resource::kNvidiaGpu), model::Quantity::FromUnits(1));
  EXPECT_EQ(serve.model_weights_bytes, int64_t{30} << 30);
  ASSERT_NE(image_of(serve.pod_template), nullptr);
  EXPECT_EQ(image_of(serve.pod_template)->size_bytes, int64_t{15} << 30);
  EXPECT_EQ(image_of(serve.pod_template)->snapshot_id, snapshot);

  ASSERT_EQ(s.batch_jobs.size(), 1u);
  EXPECT_EQ(s.batch_jobs[0].arrivals_per_hour, 60);
  EXPECT_EQ(s.batch_jobs[0].median_duration, 15 * kMinute);
  EXPECT_FALSE(s.batch_jobs[0].pod_template.EffectiveRequests().Has(model::resource::kNvidiaGpu));
}

}  // namespace
}  // namespace adze::sim
