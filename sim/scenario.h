// Scenario: everything one simulation run needs, as read from a scenario file
// (apiVersion adze.dev/v1alpha1, kind Scenario). Defaults trace back to
// data/sim-calibration.md; where no figure is published the default is marked
// an assumption and a scenario may override it.
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controllers/operator_options.h"
#include "model/duration.h"
#include "model/ec2nodeclass.h"
#include "model/nodepool.h"
#include "model/pod.h"
#include "model/workloads.h"

namespace adze::sim {

using model::Duration;
using model::kHour;
using model::kMinute;
using model::kSecond;

// A duration drawn uniformly from [min, max].
struct DurationRange {
  Duration min = 0;
  Duration max = 0;
  friend bool operator==(const DurationRange&, const DurationRange&) = default;
};

// Node start-up, measured from the instance launch (sim-calibration.md,
// "Node launch and readiness").
struct NodeTimings {
  // CPU types: kubelet registered 19–20 s, Node Ready 24–30 s
  // (awslabs/node-latency-for-k8s, c6a.large).
  DurationRange cpu_registered{19 * kSecond, 20 * kSecond};
  DurationRange cpu_ready{24 * kSecond, 30 * kSecond};
  // GPU types: provisioning + boot 80–120 s (assumption, tensorfuse.io and
  // amazon-eks-ami#1099); Ready 5–10 s later (assumption).
  DurationRange gpu_registered{80 * kSecond, 120 * kSecond};
  DurationRange gpu_ready{85 * kSecond, 130 * kSecond};
  // Device plugin registers nvidia.com/gpu this long after Ready (assumption:
  // no published figure).
  DurationRange gpu_device_plugin{10 * kSecond, 30 * kSecond};
  // Probability that a GPU node's device plugin never registers (a broken
  // driver); such nodes are replaced after the GPU-initialisation timeout.
  double gpu_plugin_failure_probability = 0;
  friend bool operator==(const NodeTimings&, const NodeTimings&) = default;
};

// How images reach a node (sim-calibration.md, "Container images").
struct ImageTimings {
  // Registry pull: 15–20 GB DLC images take 4–6 min (AWS ML blog on SOCI),
  // ≈ 60 MiB/s.
  double registry_mib_per_s = 60;
  // Image on the EBS snapshot, blocks loaded lazily from S3 on first read:
  // a 15 GB image took 10+ min on g4dn (bottlerocket-images-cache#13), ≈ 25 MiB/s.
  double snapshot_lazy_mib_per_s = 25;
  // With a provisioned volume-initialisation rate the volume's
  // volumeInitializationRate (100–300 MiB/s) applies; with Fast Snapshot
  // Restore the volume is initialised at creation and the phase is zero.
  // Container start after the image is present (assumption).
  Duration container_start = 2 * kSecond;
  friend bool operator==(const ImageTimings&, const ImageTimings&) = default;
};

// Loading model weights into GPU memory (sim-calibration.md, "Model weights").
struct WeightsTimings {
  double ebs_default_mib_per_s = 125;    // gp3 baseline throughput
  double local_nvme_mib_per_s = 2000;    // assumption: instance-store NVMe
  double host_to_device_gb_per_s = 7.0;  // pageable host memory (measured)
  Duration cuda_context = 348 * model::kMillisecond;  // first process (measured)
  friend bool operator==(const WeightsTimings&, const WeightsTimings&) = default;
};

struct ImageSpec {
  std::string name;           // registry reference, as in pod containers' image
  int64_t size_bytes = 0;
  std::string snapshot_id;    // the EBS snapshot that holds it; empty: registry only
};

struct SnapshotSpec {
  std::string id;
  bool fast_snapshot_restore = false;
};

// Capacity of EC2 pools (per instance type × zone × capacity type).
struct CapacityPool {
  std::string instance_type;  // may end in '*' (prefix match), or "*"
  std::string zone;           // empty: every zone
  std::string capacity_type;  // empty: both
  int32_t size = 0;           // instances that can run at once
};

struct CapacityReservation {
  std::string id;             // cr-...
  std::string instance_type;
  std::string zone;
  int32_t count = 0;
};

struct Ec2Options {
  // Instances per (type, zone, capacity type) when no pool below matches
  // (assumption: EC2 does not publish pool sizes).
  int32_t default_pool_size = 200;
  std::vector<CapacityPool> pools;  // later entries win
  std::vector<CapacityReservation> reservations;
  bool spot_interruptions = true;
  // Multiplies the Spot Advisor hazard (1 = the published monthly band).
  double spot_interruption_multiplier = 1.0;
  // How long an instant CreateFleet takes to answer (data/sim-calibration.md
  // "EC2 API latency": ≈2 s in a Karpenter log). Default 2 s.
  Duration create_fleet_latency = 2 * kSecond;
};

// The controllers' settings (batch windows, timeouts, consolidation) are
// the operator's own; a scenario sets them under `controllers:`.
using ControllerOptions = controllers::ControllerOptions;

struct ClusterOptions {
  bool prefix_delegation = false;
  std::vector<model::DaemonSet> daemon_sets;
};

// N workers × G GPUs started together as a gang.
struct TrainingJob {
  std::string name;
  int32_t workers = 1;
  model::Pod pod_template;  // requests include nvidia.com/gpu
  Duration start = 0;       // submitted at
  Duration duration = 0;    // useful work to do (GPU time per worker)
  Duration checkpoint_interval = 0;  // 0: no checkpoints (all progress lost on a restart)
  bool do_not_disrupt = false;       // adds karpenter.sh/do-not-disrupt: "true"
  int64_t model_weights_bytes = 0;
};

// Replicas following a load curve.
struct InferenceService {
  std::string name;
  model::Pod pod_template;
  // Diurnal: replicas = min + (max − min) × (1 − cos(2π (t − peak + 12h) / 24h)) / 2,
  // rounded, peaking at peak_hour (UTC, hours after the start of the run).
  int32_t min_replicas = 1;
  int32_t max_replicas = 1;
  double peak_hour = 14;
  // Or a CSV of (minute, replicas) rows replayed step-wise; empty: diurnal.
  std::vector<std::pair<Duration, int32_t>> curve;
  Duration reconcile_interval = 5 * kMinute;  // how often the replica count moves
  int64_t model_weights_bytes = 0;
};

// Poisson arrivals, lognormal durations.
struct BatchJobs {
  std::string name;
  model::Pod pod_template;
  double arrivals_per_hour = 0;
  Duration median_duration = 10 * kMinute;
  double duration_sigma = 1.0;  // of the underlying normal
  Duration start = 0;
  std::optional<Duration> stop;  // default: the end of the run
};

// Replay of the alibaba-gpu-2023 trace (sim/alibaba_trace.h).
struct TraceReplay {
  std::string name = "trace";
  std::string path;  // empty: the copy built into adze
  double time_compression = 1.0;  // trace seconds per simulated second
  std::optional<int64_t> limit;   // first N tasks
  // Tolerations and labels added to every pod (e.g. the GPU pool taint).
  std::vector<model::Toleration> tolerations;
  // Lifetime of a task whose trace row has none.
  Duration default_duration = 1 * kHour;
  // Trace GPU model -> EC2 GPU names, over the default mapping
  // (sim/alibaba_trace.h GpuModelMappings()) for the models listed.
  std::map<std::string, std::vector<std::string>, std::less<>> gpu_models;
};

// NodePools and EC2NodeClasses replaced, by name, at a point of the run —
// how a scenario shows drift (a new AMI, new requirements or labels).
struct ManifestChange {
  Duration at = 0;
  std::vector<model::NodePool> node_pools;
  std::vector<model::EC2NodeClass> node_classes;
};

// One Auto Scaling group for `adze compare`'s Cluster Autoscaler baseline
// (`baselines.clusterAutoscaler.nodeGroups[]`).
struct NodeGroupSpec {
  std::string name;
  std::string node_pool;  // its nodes' labels, taints and EC2NodeClass come from this NodePool
  std::vector<std::string> instance_types;  // one, or several of the same vCPU and memory
  std::string capacity_type = "on-demand";  // spot | on-demand
  int32_t min_size = 0;
  int32_t max_size = 100;
  int32_t priority = 0;  // the priority expander: higher first
};

// Cluster Autoscaler's flags with their defaults (cluster-autoscaler FAQ),
// and the ASG behaviour (data/sim-calibration.md "Auto Scaling groups").
struct ClusterAutoscalerSpec {
  Duration scan_interval = 10 * kSecond;
  std::string expander = "least-waste";
  double scale_down_utilization_threshold = 0.5;
  double scale_down_gpu_utilization_threshold = 0.5;
  Duration scale_down_unneeded_time = 10 * kMinute;
  Duration scale_down_delay_after_add = 10 * kMinute;
  int32_t max_scale_down_parallelism = 10;
  bool skip_nodes_with_local_storage = true;
  bool skip_nodes_with_system_pods = true;
  Duration max_node_provision_time = 15 * kMinute;
  Duration max_graceful_termination = 10 * kMinute;
  Duration asg_launch_latency = 10 * kSecond;
  bool capacity_rebalance = true;
  std::vector<NodeGroupSpec> node_groups;  // empty: derived from the NodePools
};

// What `adze compare` runs against adze (`baselines:`).
struct BaselineOptions {
  ClusterAutoscalerSpec cluster_autoscaler;
};

inline constexpr int64_t kDefaultStartUnixSeconds = 1767571200;  // 2026-01-05T00:00:00Z

struct Scenario {
  std::string name;
  std::string file;  // where it was read from ("built-in" for the default)
  uint64_t seed = 42;
  // The UTC instant the run starts at (`start:`, RFC 3339): controllers see
  // absolute time, so cron budgets follow the real calendar. Default:
  // 2026-01-05T00:00:00Z, a Monday at midnight.
  int64_t start_unix_micros = kDefaultStartUnixSeconds * kSecond;
  Duration duration = 24 * kHour;
  std::string region = "us-east-1";
  std::vector<std::string> zones;  // empty: every zone of the region
  ClusterOptions cluster;
  std::vector<model::NodePool> node_pools;
  std::vector<model::EC2NodeClass> node_classes;
  std::vector<ImageSpec> images;
  std::vector<SnapshotSpec> snapshots;
  Ec2Options ec2;
  ControllerOptions controllers;
  NodeTimings node_timings;
  ImageTimings image_timings;
  WeightsTimings weights_timings;
  std::vector<TrainingJob> training_jobs;
  std::vector<InferenceService> inference_services;
  std::vector<BatchJobs> batch_jobs;
  std::vector<TraceReplay> traces;
  std::vector<model::PodDisruptionBudget> pdbs;
  std::vector<ManifestChange> changes;  // in time order
  BaselineOptions baselines;            // `adze compare` only
};

}  // namespace adze::sim
