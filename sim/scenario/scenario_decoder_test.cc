#include "sim/scenario/scenario_decoder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "model/labels.h"
#include "model/quantity.h"

namespace adze::sim {
namespace {

// True when text contains part; the failure message shows text.
::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

std::string SourceDir() {
  const char* root = std::getenv("ADZE_SOURCE_DIR");
  return root ? root : ".";
}

// A FileReader over an in-memory map of files.
FileReader MapReader(std::map<std::string, std::string> files) {
  return [files = std::move(files)](const std::string& path) -> Result<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return Error::NotFound("no such file");
    return it->second;
  };
}

const std::string kHead = "apiVersion: adze.dev/v1alpha1\nkind: Scenario\n";

// A NodePool + EC2NodeClass pair, as manifests: items (indented 2).
const std::string kPools = R"(manifests:
  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: {name: gpu}
    spec:
      template:
        spec:
          requirements:
            - {key: karpenter.k8s.aws/instance-category, operator: In, values: [g]}
          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
  - apiVersion: karpenter.k8s.aws/v1
    kind: EC2NodeClass
    metadata: {name: gpu}
    spec:
      amiSelectorTerms: [{alias: bottlerocket@latest}]
      role: R
      subnetSelectorTerms: [{tags: {a: b}}]
      securityGroupSelectorTerms: [{tags: {a: b}}]
)";

const std::string kTemplate = R"(    template:
      spec:
        containers:
          - name: c
            image: app:1
            resources: {requests: {cpu: "1", nvidia.com/gpu: "1"}}
)";

Scenario DecodeOk(const std::string& text, const FileReader& reader = MapReader({}),
                  std::vector<codec::Diagnostic>* warnings = nullptr, const std::string& file = "dir/s.yaml") {
  Result<Scenario> r = DecodeScenario(text, file, reader, warnings);
  if (!r.ok()) {
    ADD_FAILURE() << "unexpected error: " << r.error().message;
    return {};
  }
  return std::move(r).value();
}

std::string ErrorOf(const std::string& text, const FileReader& reader = MapReader({})) {
  Result<Scenario> r = DecodeScenario(text, "dir/s.yaml", reader);
  if (r.ok()) return "<no error>";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  return r.error().message;
}

TEST(ScenarioDecoderTest, MinimalScenarioTakesEveryDefault) {
  Scenario s = DecodeOk(kHead);
  Scenario defaults;
  EXPECT_EQ(s.name, "s");  // the file's stem
  EXPECT_EQ(s.file, "dir/s.yaml");
  EXPECT_EQ(s.seed, defaults.seed);
  EXPECT_EQ(s.start_unix_micros, 1767571200LL * kSecond);  // 2026-01-05T00:00:00Z, a Monday
  EXPECT_EQ(s.duration, 24 * kHour);
  EXPECT_EQ(s.region, "us-east-1");
  EXPECT_TRUE(s.zones.empty());
  EXPECT_FALSE(s.cluster.prefix_delegation);
  EXPECT_EQ(s.ec2.default_pool_size, 200);
  EXPECT_TRUE(s.ec2.spot_interruptions);
  EXPECT_EQ(s.ec2.spot_interruption_multiplier, 1.0);
  EXPECT_EQ(s.controllers.batch_idle, 1 * kSecond);
  EXPECT_EQ(s.controllers.batch_max, 10 * kSecond);
  EXPECT_EQ(s.controllers.launch_timeout, 5 * kMinute);
  EXPECT_EQ(s.controllers.registration_timeout, 15 * kMinute);
  EXPECT_EQ(s.controllers.gpu_initialization_timeout, 10 * kMinute);
  EXPECT_TRUE(s.controllers.consolidation);
  EXPECT_FALSE(s.controllers.spot_to_spot_consolidation);  // Karpenter's gate is off by default
  EXPECT_EQ(s.node_timings, NodeTimings{});
  EXPECT_EQ(s.image_timings, ImageTimings{});
  EXPECT_EQ(s.weights_timings, WeightsTimings{});
  EXPECT_TRUE(s.node_pools.empty());
  EXPECT_TRUE(s.training_jobs.empty());
}

TEST(ScenarioDecoderTest, StartIsAUtcInstant) {
  EXPECT_EQ(DecodeOk(kHead + "start: 2026-05-04T09:30:00Z\n").start_unix_micros, 1777887000LL * kSecond);
  EXPECT_NE(ErrorOf(kHead + "start: 2026-05-04 09:30\n").find("s.yaml:3:"), std::string::npos);
  EXPECT_NE(ErrorOf(kHead + "start: 1969-12-31T23:59:59Z\n").find("RFC 3339"), std::string::npos);
}

TEST(ScenarioDecoderTest, WorkloadDefaultsApply) {
  Scenario s = DecodeOk(kHead + "workloads:\n  - kind: TrainingJob\n    name: t\n    duration: 1h\n" + kTemplate +
                        "  - kind: InferenceService\n    name: i\n" + kTemplate +
                        "  - kind: BatchJobs\n    name: b\n    arrivalsPerHour: 10\n" + kTemplate +
                        "  - kind: Trace\n");
  ASSERT_EQ(s.training_jobs.size(), 1u);
  const TrainingJob& t = s.training_jobs[0];
  EXPECT_EQ(t.workers, 1);
  EXPECT_EQ(t.start, 0);
  EXPECT_EQ(t.duration, kHour);
  EXPECT_EQ(t.checkpoint_interval, 0);
  EXPECT_FALSE(t.pod_template.meta.annotations.contains("adze.dev/checkpoint-interval"));
  EXPECT_FALSE(t.do_not_disrupt);
  EXPECT_EQ(t.model_weights_bytes, 0);
  EXPECT_EQ(t.pod_template.meta.namespace_, "default");
  ASSERT_TRUE(t.pod_template.meta.owner.has_value());
  EXPECT_EQ(t.pod_template.meta.owner->kind, "Job");
  EXPECT_EQ(t.pod_template.meta.owner->name, "t");

  ASSERT_EQ(s.inference_services.size(), 1u);
  const InferenceService& i = s.inference_services[0];
  EXPECT_EQ(i.min_replicas, 1);
  EXPECT_EQ(i.max_replicas, 1);
  EXPECT_EQ(i.peak_hour, 14);
  EXPECT_TRUE(i.curve.empty());
  EXPECT_EQ(i.reconcile_interval, 5 * kMinute);
  EXPECT_EQ(i.pod_template.meta.owner->kind, "Deployment");

  ASSERT_EQ(s.batch_jobs.size(), 1u);
  const BatchJobs& b = s.batch_jobs[0];
  EXPECT_EQ(b.arrivals_per_hour, 10);
  EXPECT_EQ(b.median_duration, 10 * kMinute);
  EXPECT_EQ(b.duration_sigma, 1.0);
  EXPECT_EQ(b.start, 0);
  EXPECT_FALSE(b.stop.has_value());

  ASSERT_EQ(s.traces.size(), 1u);
  const TraceReplay& tr = s.traces[0];
  EXPECT_EQ(tr.name, "trace");
  EXPECT_EQ(tr.path, "");
  EXPECT_EQ(tr.time_compression, 1.0);
  EXPECT_FALSE(tr.limit.has_value());
  EXPECT_EQ(tr.default_duration, kHour);
}

TEST(ScenarioDecoderTest, EverySectionIsRead) {
  std::string text = kHead + R"(name: full
seed: 7
duration: 7d
region: us-west-2
zones: [us-west-2a, us-west-2b]
cluster:
  prefixDelegation: true
  daemonSets:
    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: agent, namespace: kube-system}
      spec:
        selector: {matchLabels: {app: a}}
        template:
          metadata: {labels: {app: a}}
          spec: {containers: [{name: a, image: agent:1, resources: {requests: {cpu: 50m}}}]}
)" + kPools + R"(snapshots:
  - {id: snap-1, fastSnapshotRestore: true}
images:
  - {name: app:1, size: 15Gi, snapshotID: snap-1}
  - {name: agent:1, size: 40Mi}
ec2:
  defaultPoolSize: 20
  pools:
    - {instanceType: "p5*", zone: us-west-2a, capacityType: on-demand, size: 2}
  capacityReservations:
    - {id: cr-1, instanceType: p5.48xlarge, zone: us-west-2b, count: 4}
  spotInterruptions: false
  spotInterruptionMultiplier: 2.5
controllers:
  batchIdle: 2s
  batchMax: 20s
  launchTimeout: 3m
  registrationTimeout: 10m
  gpuInitializationTimeout: 5m
  consolidation: false
  spotToSpotConsolidation: true
timings:
  nodes:
    cpuRegistered: {min: 10s, max: 12s}
    gpuReady: 100s
    gpuPluginFailureProbability: 0.05
  images: {registryMiBPerSecond: 100, snapshotLazyMiBPerSecond: 40, containerStart: 1s}
  weights: {ebsDefaultMiBPerSecond: 250, localNvmeMiBPerSecond: 3000, hostToDeviceGBPerSecond: 20, cudaContext: 500ms}
workloads:
  - kind: TrainingJob
    name: train
    namespace: ml
    workers: 4
    start: 30m
    duration: 12h
    checkpointInterval: 30m
    doNotDisrupt: true
    modelWeightsSize: 140Gi
)" + kTemplate + R"(  - kind: InferenceService
    name: serve
    loadCurve: {diurnal: {min: 4, max: 16, peakHour: 9.5}}
    reconcileInterval: 1m
    modelWeightsSize: 30Gi
)" + kTemplate + R"(  - kind: InferenceService
    name: replay
    loadCurve: {csv: load.csv}
)" + kTemplate + R"(  - kind: BatchJobs
    name: batch
    arrivalsPerHour: 60
    medianDuration: 15m
    durationSigma: 0.5
    start: 1h
    stop: 2d
)" + kTemplate + R"(  - kind: Trace
    name: alibaba
    path: ../traces/t.csv
    timeCompression: 60
    limit: 100
    defaultDuration: 2h
    tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
)";
  FileReader reader = MapReader({
      {"dir/load.csv", "minute,replicas\n0,2\n60,5\n# comment\n\n120,3\n"},
      {"traces/t.csv", "name,cpu_milli,memory_mib,num_gpu,gpu_milli\nt0,1000,1024,1,1000\n"},
  });
  std::vector<codec::Diagnostic> warnings;
  Scenario s = DecodeOk(text, reader, &warnings);
  EXPECT_TRUE(warnings.empty()) << warnings[0].ToString();
  EXPECT_EQ(s.name, "full");
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.duration, 7 * 24 * kHour);
  EXPECT_EQ(s.region, "us-west-2");
  EXPECT_EQ(s.zones, (std::vector<std::string>{"us-west-2a", "us-west-2b"}));
  EXPECT_TRUE(s.cluster.prefix_delegation);
  ASSERT_EQ(s.cluster.daemon_sets.size(), 1u);
  EXPECT_EQ(s.cluster.daemon_sets[0].meta.name, "agent");
  ASSERT_EQ(s.node_pools.size(), 1u);
  EXPECT_EQ(s.node_pools[0].node_class_ref.name, "gpu");
  ASSERT_EQ(s.node_classes.size(), 1u);
  ASSERT_EQ(s.snapshots.size(), 1u);
  EXPECT_TRUE(s.snapshots[0].fast_snapshot_restore);
  ASSERT_EQ(s.images.size(), 2u);
  EXPECT_EQ(s.images[0].size_bytes, int64_t{15} << 30);
  EXPECT_EQ(s.images[0].snapshot_id, "snap-1");
  EXPECT_EQ(s.images[1].snapshot_id, "");
  EXPECT_EQ(s.ec2.default_pool_size, 20);
  ASSERT_EQ(s.ec2.pools.size(), 1u);
  EXPECT_EQ(s.ec2.pools[0].instance_type, "p5*");
  EXPECT_EQ(s.ec2.pools[0].capacity_type, "on-demand");
  EXPECT_EQ(s.ec2.pools[0].size, 2);
  ASSERT_EQ(s.ec2.reservations.size(), 1u);
  EXPECT_EQ(s.ec2.reservations[0].count, 4);
  EXPECT_FALSE(s.ec2.spot_interruptions);
  EXPECT_EQ(s.ec2.spot_interruption_multiplier, 2.5);
  EXPECT_EQ(s.controllers.batch_idle, 2 * kSecond);
  EXPECT_EQ(s.controllers.batch_max, 20 * kSecond);
  EXPECT_EQ(s.controllers.launch_timeout, 3 * kMinute);
  EXPECT_EQ(s.controllers.registration_timeout, 10 * kMinute);
  EXPECT_EQ(s.controllers.gpu_initialization_timeout, 5 * kMinute);
  EXPECT_FALSE(s.controllers.consolidation);
  EXPECT_TRUE(s.controllers.spot_to_spot_consolidation);
  EXPECT_EQ(s.node_timings.cpu_registered, (DurationRange{10 * kSecond, 12 * kSecond}));
  EXPECT_EQ(s.node_timings.gpu_ready, (DurationRange{100 * kSecond, 100 * kSecond}));
  EXPECT_EQ(s.node_timings.cpu_ready, NodeTimings{}.cpu_ready);
  EXPECT_EQ(s.node_timings.gpu_plugin_failure_probability, 0.05);
  EXPECT_EQ(s.image_timings.registry_mib_per_s, 100);
  EXPECT_EQ(s.image_timings.snapshot_lazy_mib_per_s, 40);
  EXPECT_EQ(s.image_timings.container_start, kSecond);
  EXPECT_EQ(s.weights_timings.ebs_default_mib_per_s, 250);
  EXPECT_EQ(s.weights_timings.local_nvme_mib_per_s, 3000);
  EXPECT_EQ(s.weights_timings.host_to_device_gb_per_s, 20);
  EXPECT_EQ(s.weights_timings.cuda_context, 500 * model::kMillisecond);

  ASSERT_EQ(s.training_jobs.size(), 1u);
  const TrainingJob& t = s.training_jobs[0];
  EXPECT_EQ(t.workers, 4);
  EXPECT_EQ(t.start, 30 * kMinute);
  EXPECT_EQ(t.duration, 12 * kHour);
  EXPECT_EQ(t.checkpoint_interval, 30 * kMinute);
  // Its pods tell adze's consolidation how much an eviction loses.
  EXPECT_EQ(t.pod_template.meta.annotations.at("adze.dev/checkpoint-interval"), "30m");
  EXPECT_TRUE(t.do_not_disrupt);
  EXPECT_EQ(t.pod_template.meta.annotations.at("karpenter.sh/do-not-disrupt"), "true");
  EXPECT_EQ(t.pod_template.meta.namespace_, "ml");
  EXPECT_EQ(t.model_weights_bytes, int64_t{140} << 30);

  ASSERT_EQ(s.inference_services.size(), 2u);
  EXPECT_EQ(s.inference_services[0].min_replicas, 4);
  EXPECT_EQ(s.inference_services[0].max_replicas, 16);
  EXPECT_EQ(s.inference_services[0].peak_hour, 9.5);
  EXPECT_EQ(s.inference_services[0].reconcile_interval, kMinute);
  const InferenceService& replay = s.inference_services[1];
  EXPECT_EQ(replay.curve, (std::vector<std::pair<Duration, int32_t>>{{0, 2}, {60 * kMinute, 5}, {120 * kMinute, 3}}));
  EXPECT_EQ(replay.min_replicas, 2);
  EXPECT_EQ(replay.max_replicas, 5);

  ASSERT_EQ(s.batch_jobs.size(), 1u);
  EXPECT_EQ(s.batch_jobs[0].median_duration, 15 * kMinute);
  EXPECT_EQ(s.batch_jobs[0].duration_sigma, 0.5);
  EXPECT_EQ(s.batch_jobs[0].start, kHour);
  EXPECT_EQ(s.batch_jobs[0].stop, 48 * kHour);

  ASSERT_EQ(s.traces.size(), 1u);
  EXPECT_EQ(s.traces[0].path, "traces/t.csv");
  EXPECT_EQ(s.traces[0].time_compression, 60);
  EXPECT_EQ(s.traces[0].limit, 100);
  EXPECT_EQ(s.traces[0].default_duration, 2 * kHour);
  ASSERT_EQ(s.traces[0].tolerations.size(), 1u);
  EXPECT_EQ(s.traces[0].tolerations[0].key, "nvidia.com/gpu");
}

TEST(ScenarioDecoderTest, ManifestFilesAreReadRelativeToTheScenario) {
  std::string pools = kPools.substr(kPools.find('\n') + 1);
  // Turn the manifests: list into a multi-document file.
  std::string file;
  for (size_t pos = 0; pos < pools.size();) {
    size_t end = pools.find('\n', pos);
    std::string line = pools.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("  - ", 0) == 0) {
      if (!file.empty()) file += "---\n";
      file += line.substr(4) + "\n";
    } else {
      file += line.substr(4) + "\n";
    }
  }
  Scenario s = DecodeOk(kHead + "manifestFiles: [pools/gpu.yaml]\n", MapReader({{"dir/pools/gpu.yaml", file}}));
  ASSERT_EQ(s.node_pools.size(), 1u);
  ASSERT_EQ(s.node_classes.size(), 1u);
}

TEST(ScenarioDecoderTest, UnknownFieldsAreWarnings) {
  std::vector<codec::Diagnostic> warnings;
  DecodeOk(kHead + "colour: blue\nec2:\n  poolSize: 3\n", MapReader({}), &warnings);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].ToString(), "dir/s.yaml:3:1: colour: unknown field \"colour\" (ignored)");
  EXPECT_EQ(warnings[1].ToString(), "dir/s.yaml:5:3: ec2.poolSize: unknown field \"poolSize\" (ignored)");
}

TEST(ScenarioDecoderTest, SnapshotNotListedIsAWarning) {
  std::string pools = kPools + "      blockDeviceMappings: [{deviceName: /dev/xvdb, ebs: {snapshotID: snap-7}}]\n";
  std::vector<codec::Diagnostic> warnings;
  DecodeOk(kHead + pools, MapReader({}), &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].ToString(),
            "dir/s.yaml: snapshots: EC2NodeClass \"gpu\" restores snapshot snap-7, which is not listed under "
            "snapshots (it holds no images)");
}

TEST(ScenarioDecoderTest, DoNotDisruptFollowsTheTemplateAnnotation) {
  Scenario s = DecodeOk(kHead + "workloads:\n  - kind: TrainingJob\n    name: t\n    duration: 1h\n"
                                "    template:\n      metadata:\n"
                                "        annotations: {karpenter.sh/do-not-disrupt: \"true\"}\n"
                                "      spec: {containers: [{name: c}]}\n");
  ASSERT_EQ(s.training_jobs.size(), 1u);
  EXPECT_TRUE(s.training_jobs[0].do_not_disrupt);
}

TEST(ScenarioDecoderTest, DurationsAcceptDays) {
  EXPECT_EQ(*ParseScenarioDuration("7d"), 7 * 24 * kHour);
  EXPECT_EQ(*ParseScenarioDuration("1d12h"), 36 * kHour);
  EXPECT_EQ(*ParseScenarioDuration("1.5d"), 36 * kHour);
  EXPECT_EQ(*ParseScenarioDuration("168h"), 168 * kHour);
  EXPECT_EQ(*ParseScenarioDuration("90s"), 90 * kSecond);
  EXPECT_FALSE(ParseScenarioDuration("d").ok());
  EXPECT_FALSE(ParseScenarioDuration("7dd").ok());
  EXPECT_FALSE(ParseScenarioDuration("1h7d").ok());
  EXPECT_FALSE(ParseScenarioDuration("-1d").ok());
  EXPECT_FALSE(ParseScenarioDuration("7days").ok());
}

TEST(ScenarioDecoderTest, PathsResolveAgainstTheScenarioDirectory) {
  EXPECT_EQ(ResolveScenarioPath("examples/a.yaml", "b.csv"), "examples/b.csv");
  EXPECT_EQ(ResolveScenarioPath("examples/a.yaml", "../data/b.csv"), "data/b.csv");
  EXPECT_EQ(ResolveScenarioPath("a.yaml", "b.csv"), "b.csv");
  EXPECT_EQ(ResolveScenarioPath("examples/a.yaml", "/abs/b.csv"), "/abs/b.csv");
}

// --- Errors: each names file:line:col, the field path and what was expected.

TEST(ScenarioDecoderErrorTest, WrongApiVersionOrKind) {
  EXPECT_EQ(ErrorOf("apiVersion: adze.dev/v1\nkind: Scenario\n"),
            "dir/s.yaml:1:13: apiVersion: found \"adze.dev/v1\", expected adze.dev/v1alpha1");
  EXPECT_EQ(ErrorOf("apiVersion: adze.dev/v1alpha1\nkind: Scenarios\n"),
            "dir/s.yaml:2:7: kind: found \"Scenarios\", expected Scenario");
  EXPECT_EQ(ErrorOf("kind: Scenario\n"),
            "dir/s.yaml:1:1: apiVersion: required field is missing (expected a string)");
  EXPECT_TRUE(Contains(ErrorOf("- a\n"), "dir/s.yaml:1:1: found a list, expected a scenario"));
}

TEST(ScenarioDecoderErrorTest, BadDuration) {
  EXPECT_EQ(ErrorOf(kHead + "duration: 24x\n"),
            "dir/s.yaml:3:11: duration: invalid duration \"24x\": unknown unit \"x\" (expected e.g. 30s, 10m, "
            "1h30m, 720h)");
  EXPECT_EQ(ErrorOf(kHead + "duration: 0s\n"),
            "dir/s.yaml:3:11: duration: found \"0s\", expected a positive duration such as 90s, 30m, 12h or 7d");
  EXPECT_TRUE(Contains(ErrorOf(kHead + "controllers:\n  batchIdle: 20s\n  batchMax: 10s\n"),
              "dir/s.yaml:5:13: controllers.batchMax: batchMax (10s) must be at least batchIdle (20s)"));
  EXPECT_TRUE(Contains(ErrorOf(kHead + "timings:\n  nodes:\n    gpuReady: {min: 2m, max: 1m}\n"),
              "dir/s.yaml:5:30: timings.nodes.gpuReady.max: found \"1m\", expected a duration >= min"));
}

TEST(ScenarioDecoderErrorTest, UnknownWorkloadKind) {
  EXPECT_EQ(ErrorOf(kHead + "workloads:\n  - kind: CronJob\n    name: x\n"),
            "dir/s.yaml:4:11: workloads[0].kind: found \"CronJob\", expected one of TrainingJob, InferenceService, "
            "BatchJobs, Trace");
}

TEST(ScenarioDecoderErrorTest, MissingRequiredField) {
  EXPECT_EQ(ErrorOf(kHead + "workloads:\n  - kind: TrainingJob\n    name: t\n" + kTemplate),
            "dir/s.yaml:4:5: workloads[0].duration: required field is missing (expected a positive duration such as "
            "90s, 30m, 12h or 7d)");
  EXPECT_EQ(ErrorOf(kHead + "workloads:\n  - kind: BatchJobs\n    name: b\n    arrivalsPerHour: 1\n"),
            "dir/s.yaml:4:5: workloads[0].template: required field is missing (expected a map)");
  EXPECT_EQ(ErrorOf(kHead + "workloads:\n  - kind: BatchJobs\n    arrivalsPerHour: 1\n" + kTemplate),
            "dir/s.yaml:4:5: workloads[0].name: required field is missing (expected a string)");
}

TEST(ScenarioDecoderErrorTest, NodeClassRefToAnUnknownClass) {
  std::string pools = kPools;
  pools.replace(pools.find("kind: EC2NodeClass, name: gpu"), 29, "kind: EC2NodeClass, name: gpux");
  EXPECT_EQ(ErrorOf(kHead + pools),
            "dir/s.yaml:12:78: manifests[0].spec.template.spec.nodeClassRef.name: NodePool \"gpu\" refers to "
            "EC2NodeClass \"gpux\", which the scenario does not define (it defines gpu)");
}

// adze's per-pool knob (issue 16): only "true" or "false".
TEST(ScenarioDecoderErrorTest, HeadroomAnnotationIsTrueOrFalse) {
  std::string pools = kPools;
  pools.replace(pools.find("metadata: {name: gpu}"), 21, "metadata: {name: gpu, annotations: {adze.dev/headroom: on}}");
  const std::string error = ErrorOf(kHead + pools);
  EXPECT_NE(error.find("manifests[0].metadata.annotations.adze.dev/headroom"), std::string::npos) << error;
  EXPECT_NE(error.find("expected \"true\" or \"false\""), std::string::npos) << error;
  pools = kPools;
  pools.replace(pools.find("metadata: {name: gpu}"), 21,
                "metadata: {name: gpu, annotations: {adze.dev/headroom: \"true\"}}");
  EXPECT_EQ(DecodeOk(kHead + pools).node_pools.at(0).meta.annotations.at("adze.dev/headroom"), "true");
}

TEST(ScenarioDecoderErrorTest, BadQuantity) {
  EXPECT_EQ(ErrorOf(kHead + "images:\n  - {name: a, size: 15GB}\n"),
            "dir/s.yaml:4:21: images[0].size: invalid quantity \"15GB\": unknown suffix \"GB\" (expected a number "
            "with an optional suffix, e.g. 500m, 2, 1.5Gi, 4k, 1e3)");
  EXPECT_TRUE(Contains(ErrorOf(kHead + "images:\n  - {name: a, size: 0}\n"),
              "dir/s.yaml:4:21: images[0].size: found 0, expected a positive size"));
}

TEST(ScenarioDecoderErrorTest, FileNotFound) {
  EXPECT_EQ(ErrorOf(kHead + "manifestFiles:\n  - pools.yaml\n"),
            "dir/s.yaml:4:5: manifestFiles[0]: cannot read \"pools.yaml\" (dir/pools.yaml): no such file");
  EXPECT_TRUE(Contains(ErrorOf(kHead + "workloads:\n  - kind: InferenceService\n    name: i\n" +
                               "    loadCurve: {csv: x.csv}\n" +
                      kTemplate),
              "dir/s.yaml:6:22: workloads[0].loadCurve.csv: cannot read \"x.csv\" (dir/x.csv)"));
  EXPECT_TRUE(Contains(ErrorOf(kHead + "workloads:\n  - kind: Trace\n    path: /t.csv\n"),
              "dir/s.yaml:5:11: workloads[0].path: cannot read \"/t.csv\": no such file"));
}

TEST(ScenarioDecoderErrorTest, ErrorsInsideReferencedFiles) {
  EXPECT_EQ(ErrorOf(kHead + "manifestFiles: [p.yaml]\n",
                    MapReader({{"dir/p.yaml", "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: a}\n"
                                              "spec: {weight: x}\n"}})),
            "dir/p.yaml:4:7: spec.template: required field is missing (expected a map) (in manifestFiles[0] at "
            "dir/s.yaml:3:17)");
  EXPECT_EQ(ErrorOf(kHead + "workloads:\n  - kind: InferenceService\n    name: i\n    loadCurve: {csv: l.csv}\n" +
                        kTemplate,
                    MapReader({{"dir/l.csv", "minute,replicas\n0,1\n10,x\n"}})),
            "dir/s.yaml:6:22: workloads[0].loadCurve.csv: dir/l.csv:3: column replicas: found \"x\", expected an "
            "integer from 0 to 100000");
  EXPECT_TRUE(Contains(ErrorOf(kHead + "workloads:\n  - kind: Trace\n    path: t.csv\n",
                      MapReader({{"dir/t.csv", "name,cpu_milli\n"}})),
              "dir/s.yaml:5:11: workloads[0].path: dir/t.csv"));
}

TEST(ScenarioDecoderErrorTest, CrossReferences) {
  EXPECT_EQ(ErrorOf(kHead + "images:\n  - {name: a, size: 1Gi, snapshotID: snap-9}\n"),
            "dir/s.yaml:4:38: images[0].snapshotID: found \"snap-9\", expected the id of a snapshot listed under "
            "snapshots");
  EXPECT_TRUE(Contains(ErrorOf(kHead + kPools + "  - apiVersion: karpenter.k8s.aws/v1\n    kind: EC2NodeClass\n"
                                       "    metadata: {name: gpu}\n"
                                       "    spec: {role: R, amiSelectorTerms: [{alias: al2023@latest}],\n"
                                       "      subnetSelectorTerms: [{id: s}],\n"
                                       "      securityGroupSelectorTerms: [{id: g}]}\n"),
              "manifests[2].metadata.name: duplicate EC2NodeClass \"gpu\""));
  EXPECT_TRUE(Contains(ErrorOf(kHead + "manifests:\n  - {apiVersion: v1, kind: Pod, metadata: {name: p}}\n"),
              "dir/s.yaml:4:28: manifests[0].kind: found \"Pod\", expected one of NodePool"));
  EXPECT_TRUE(Contains(ErrorOf(kHead + "zones: [us-east-1a]\nec2:\n" +
                               "  pools: [{instanceType: g5.xlarge, zone: us-east-1b, size: 1}]\n"),
              "ec2.pools[0].zone: found \"us-east-1b\", expected one of the scenario's zones: us-east-1a"));
  EXPECT_TRUE(Contains(ErrorOf(kHead + "workloads:\n  - kind: Trace\n  - kind: Trace\n"),
              "dir/s.yaml:5:11: workloads[1].kind: duplicate workload name \"trace\""));
}

// Issue 15 class 5: a pool or reservation of a type EC2 does not sell was
// accepted and silently never used.
TEST(ScenarioDecoderErrorTest, UnknownInstanceTypesInPoolsAndReservations) {
  EXPECT_TRUE(Contains(ErrorOf(kHead + "ec2:\n  pools: [{instanceType: p9.huge, size: 1}]\n"),
                       "ec2.pools[0].instanceType: unknown instance type \"p9.huge\" (not in the catalog)"));
  EXPECT_TRUE(Contains(ErrorOf(kHead + "ec2:\n  pools: [{instanceType: zz*, size: 1}]\n"),
                       "ec2.pools[0].instanceType: no instance type of the catalog matches \"zz*\""));
  EXPECT_TRUE(Contains(ErrorOf(kHead + "ec2:\n  capacityReservations:\n"
                                       "    - {id: cr-1, instanceType: p9.huge, zone: us-east-1a, count: 1}\n"),
                       "ec2.capacityReservations[0].instanceType: unknown instance type \"p9.huge\""));
  EXPECT_EQ(ErrorOf(kHead + "ec2:\n  pools: [{instanceType: g5*, size: 1}, {instanceType: p5.48xlarge, size: 1}]\n"),
            "<no error>");
}

TEST(ScenarioDecoderErrorTest, ReplicaAndCountBounds) {
  EXPECT_EQ(ErrorOf(kHead + "workloads:\n  - kind: InferenceService\n    name: i\n"
                            "    loadCurve: {diurnal: {min: 5, max: 2}}\n" + kTemplate),
            "dir/s.yaml:6:40: workloads[0].loadCurve.diurnal.max: found 2, expected an integer >= min (5)");
  EXPECT_EQ(ErrorOf(kHead + "workloads:\n  - kind: TrainingJob\n    name: t\n    workers: 0\n    duration: 1h\n" +
                    kTemplate),
            "dir/s.yaml:6:14: workloads[0].workers: found 0, expected an integer from 1 to 100000");
  EXPECT_EQ(ErrorOf(kHead + "workloads:\n  - kind: BatchJobs\n    name: b\n    arrivalsPerHour: 0\n" + kTemplate),
            "dir/s.yaml:6:22: workloads[0].arrivalsPerHour: found 0, expected a number from 1e-06 to 1e+06");
  // Issue 15 class 4: counts near 2^31 made simulate allocate gigabytes.
  EXPECT_EQ(ErrorOf(kHead + "workloads:\n  - kind: InferenceService\n    name: i\n"
                            "    loadCurve: {diurnal: {min: 0, max: 2147483647}}\n" + kTemplate),
            "dir/s.yaml:6:40: workloads[0].loadCurve.diurnal.max: found 2147483647, expected an integer from 0 to "
            "100000");
  EXPECT_EQ(ErrorOf(kHead + "workloads:\n  - kind: TrainingJob\n    name: t\n    workers: 100001\n"
                            "    duration: 1h\n" + kTemplate),
            "dir/s.yaml:6:14: workloads[0].workers: found 100001, expected an integer from 1 to 100000");
  EXPECT_TRUE(Contains(ErrorOf(kHead + "workloads:\n  - kind: InferenceService\n    name: i\n"
                                       "    loadCurve: {csv: c.csv}\n" + kTemplate,
                               MapReader({{"dir/c.csv", "minute,replicas\n0,2147483647\n"}})),
                       "column replicas: found \"2147483647\", expected an integer from 0 to 100000"));
}

// Issue 15 class 3: these rates turned into times beyond SimTime, which
TEST(ScenarioDecoderTest, TraceGpuModelsMapTraceModelsToEc2GpuNames) {
  const Scenario s = DecodeOk(kHead + "workloads:\n  - kind: Trace\n    gpuModels: {V100M16: [v100, a10g], T4: t4}\n");
  ASSERT_EQ(s.traces.size(), 1u);
  EXPECT_EQ(s.traces[0].gpu_models.at("V100M16"), (std::vector<std::string>{"v100", "a10g"}));
  EXPECT_EQ(s.traces[0].gpu_models.at("T4"), (std::vector<std::string>{"t4"}));
  const std::string error = ErrorOf(kHead + "workloads:\n  - kind: Trace\n    gpuModels: {K80: [k80]}\n");
  EXPECT_NE(error.find("workloads[0].gpuModels[K80]"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown trace GPU model \"K80\", expected one of A10, G2"), std::string::npos) << error;
}

// wrapped into the past (hangs, negative report durations).
TEST(ScenarioDecoderErrorTest, RatesThatMakeTimesUnrepresentableAreRejected) {
  EXPECT_EQ(ErrorOf(kHead + "workloads:\n  - kind: BatchJobs\n    name: b\n    arrivalsPerHour: 1e-300\n" +
                    kTemplate),
            "dir/s.yaml:6:22: workloads[0].arrivalsPerHour: found \"1e-300\", expected a number from 1e-06 to 1e+06");
  EXPECT_EQ(ErrorOf(kHead + "workloads:\n  - kind: Trace\n    timeCompression: 1e-9\n"),
            "dir/s.yaml:5:22: workloads[0].timeCompression: found \"1e-9\", expected a number >= 0.001");
  EXPECT_EQ(ErrorOf(kHead + "timings:\n  images:\n    registryMiBPerSecond: 1e-12\n"),
            "dir/s.yaml:5:27: timings.images.registryMiBPerSecond: found \"1e-12\", expected a number >= 0.001");
}

TEST(ScenarioDecoderErrorTest, ChangeAfterTheEndOfTheRun) {
  EXPECT_EQ(ErrorOf(kHead + "duration: 1h\n" + kPools + "changes:\n  - at: 2h\n    manifests: []\n"),
            "dir/s.yaml:23:9: changes[0].at: at 2h, at or after the end of the run (1h): the change would never "
            "apply");
}

// --- The example files.

TEST(ScenarioExamplesTest, EveryExampleScenarioDecodesWithoutWarnings) {
  std::filesystem::path dir = std::filesystem::path(SourceDir()) / "examples";
  int scenarios = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    Result<std::string> text = ReadLocalFile(entry.path().string());
    ASSERT_TRUE(text.ok()) << text.error().message;
    if (text->find("kind: Scenario") == std::string::npos) continue;  // plain manifests
    ++scenarios;
    std::vector<codec::Diagnostic> warnings;
    Result<Scenario> s = DecodeScenario(*text, entry.path().string(), ReadLocalFile, &warnings);
    ASSERT_TRUE(s.ok()) << s.error().message;
    for (const codec::Diagnostic& w : warnings) ADD_FAILURE() << w.ToString();
    EXPECT_FALSE(s->node_pools.empty()) << entry.path();
  }
  EXPECT_GE(scenarios, 6);
}

}  // namespace
}  // namespace adze::sim

namespace adze::sim {
namespace {

TEST(ScenarioDecoderTest, ChangesReplaceKnownObjectsInTimeOrder) {
  const Scenario s = DecodeOk(kHead + kPools + R"(changes:
  - at: 2h
    manifests:
      - apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata: {name: gpu}
        spec:
          amiSelectorTerms: [{alias: al2023@v20260101}]
          role: R
          subnetSelectorTerms: [{tags: {a: b}}]
          securityGroupSelectorTerms: [{tags: {a: b}}]
)");
  ASSERT_EQ(s.changes.size(), 1u);
  EXPECT_EQ(s.changes[0].at, 2 * kHour);
  ASSERT_EQ(s.changes[0].node_classes.size(), 1u);
  EXPECT_EQ(s.changes[0].node_classes[0].ami_selector_terms[0].alias, "al2023@v20260101");
}

TEST(ScenarioDecoderErrorTest, ChangeOfAnUnknownObject) {
  const std::string error = ErrorOf(kHead + kPools + R"(changes:
  - at: 1h
    manifests:
      - apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata: {name: other}
        spec:
          amiSelectorTerms: [{alias: al2023@latest}]
          role: R
          subnetSelectorTerms: [{tags: {a: b}}]
          securityGroupSelectorTerms: [{tags: {a: b}}]
)");
  EXPECT_TRUE(Contains(error, "changes[0].manifests[0].metadata.name")) << error;
  EXPECT_TRUE(Contains(error, "EC2NodeClass \"other\" is not in the scenario's manifests")) << error;
}

TEST(ScenarioDecoderTest, BaselinesSetClusterAutoscalersFlagsAndNodeGroups) {
  const Scenario s = DecodeOk(kHead + kPools + R"(baselines:
  clusterAutoscaler:
    scanInterval: 30s
    expander: price
    scaleDownUtilizationThreshold: 0.6
    scaleDownUnneededTime: 5m
    maxNodeProvisionTime: 20m
    capacityRebalance: false
    nodeGroups:
      - {name: a10g, nodePool: gpu, instanceTypes: [g5.xlarge], capacityType: spot, maxSize: 8, priority: 5}
      - {name: mixed, nodePool: gpu, instanceTypes: [g5.2xlarge, g6.2xlarge]}
)");
  const ClusterAutoscalerSpec& c = s.baselines.cluster_autoscaler;
  EXPECT_EQ(c.scan_interval, 30 * kSecond);
  EXPECT_EQ(c.expander, "price");
  EXPECT_DOUBLE_EQ(c.scale_down_utilization_threshold, 0.6);
  EXPECT_DOUBLE_EQ(c.scale_down_gpu_utilization_threshold, 0.5);  // default
  EXPECT_EQ(c.scale_down_unneeded_time, 5 * kMinute);
  EXPECT_EQ(c.scale_down_delay_after_add, 10 * kMinute);
  EXPECT_EQ(c.max_node_provision_time, 20 * kMinute);
  EXPECT_FALSE(c.capacity_rebalance);
  ASSERT_EQ(c.node_groups.size(), 2u);
  EXPECT_EQ(c.node_groups[0].capacity_type, "spot");
  EXPECT_EQ(c.node_groups[0].max_size, 8);
  EXPECT_EQ(c.node_groups[0].priority, 5);
  EXPECT_EQ(c.node_groups[1].capacity_type, "on-demand");
  EXPECT_EQ(c.node_groups[1].max_size, 100);
}

TEST(ScenarioDecoderErrorTest, BadNodeGroups) {
  const std::string head = kHead + kPools + "baselines:\n  clusterAutoscaler:\n    nodeGroups:\n";
  EXPECT_TRUE(Contains(ErrorOf(head + "      - {name: x, nodePool: cpu, instanceTypes: [g5.xlarge]}\n"),
                       "dir/s.yaml:24:29: baselines.clusterAutoscaler.nodeGroups[0].nodePool: found \"cpu\", expected the "
                       "name of one of the scenario's NodePools (gpu)"))
      << ErrorOf(head + "      - {name: x, nodePool: cpu, instanceTypes: [g5.xlarge]}\n");
  EXPECT_TRUE(Contains(ErrorOf(head + "      - {name: x, nodePool: gpu, instanceTypes: [g5.xlarge, g5.2xlarge]}\n"),
                       "Cluster Autoscaler builds one template node per group"));
  EXPECT_TRUE(Contains(ErrorOf(head + "      - {name: x, nodePool: gpu, instanceTypes: [g9.huge]}\n"),
                       "unknown instance type \"g9.huge\""));
  EXPECT_TRUE(Contains(ErrorOf(head + "      - {name: x, nodePool: gpu, instanceTypes: [g5.xlarge], minSize: 3, maxSize: 1}\n"),
                       "expected an integer >= minSize (3)"));
  EXPECT_TRUE(Contains(ErrorOf(kHead + "baselines:\n  clusterAutoscaler:\n    expander: cheapest\n"),
                       "least-waste"));
}

}  // namespace
}  // namespace adze::sim
