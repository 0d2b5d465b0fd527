#include "sim/kubelet.h"

#include <algorithm>
#include <cmath>

#include "model/labels.h"

namespace adze::sim {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// Saturating: a huge image over a slow link must not wrap into the past.
model::Duration SecondsToDuration(double seconds) { return model::SaturatingSeconds(seconds); }

// The volume images and weights are read from: the root volume, else the first.
const model::BlockDeviceMapping* DataVolume(const model::EC2NodeClass* node_class) {
  if (node_class == nullptr || node_class->block_device_mappings.empty()) return nullptr;
  for (const auto& m : node_class->block_device_mappings) {
    if (m.root_volume) return &m;
  }
  return &node_class->block_device_mappings.front();
}

}  // namespace

Kubelet::Kubelet(ports::Clock& clock, SimulatedCluster& cluster, const Scenario& scenario, PodRunning on_running)
    : clock_(clock),
      cluster_(cluster),
      scenario_(scenario),
      on_running_(std::move(on_running)),
      seed_(scenario.seed) {
  for (const auto& image : scenario_.images) images_[image.name] = &image;
  for (const auto& snapshot : scenario_.snapshots) snapshots_[snapshot.id] = &snapshot;
}

ports::RandomStream& Kubelet::BootStream(const std::string& instance_type) {
  auto it = boot_streams_.find(instance_type);
  if (it == boot_streams_.end()) {
    it = boot_streams_.emplace(instance_type, ports::RandomStream(seed_, "kubelet/boot/" + instance_type)).first;
  }
  return it->second;
}

model::Duration Kubelet::Draw(ports::RandomStream& random, const DurationRange& range) {
  if (range.max <= range.min) return range.min;
  return range.min + static_cast<model::Duration>(random.Below(static_cast<uint64_t>(range.max - range.min + 1)));
}

void Kubelet::Boot(const ports::NodeClaimInfo& claim, int32_t gpus, const model::ResourceList& daemon_overhead) {
  const NodeTimings& t = scenario_.node_timings;
  const bool gpu = gpus > 0;
  ports::RandomStream& random = BootStream(claim.instance_type);
  const model::Duration registered = Draw(random, gpu ? t.gpu_registered : t.cpu_registered);
  const model::Duration ready = std::max(registered, Draw(random, gpu ? t.gpu_ready : t.cpu_ready));
  const model::Duration plugin = gpu ? Draw(random, t.gpu_device_plugin) : 0;
  const bool plugin_fails = gpu && t.gpu_plugin_failure_probability > 0 &&
                            random.Bernoulli(t.gpu_plugin_failure_probability);

  const std::string name = claim.claim.meta.name;  // the node takes the claim's name
  NodeTimes& times = nodes_[name];
  times.launched = *claim.launched_at;
  times.claim_created = claim.created_at;
  for (const auto& nc : scenario_.node_classes) {
    if (nc.meta.name == claim.claim.node_class_ref.name) times.node_class = &nc;
  }
  auto nvme = claim.claim.meta.labels.find(std::string(model::label::kInstanceLocalNvme));
  times.local_nvme = nvme != claim.claim.meta.labels.end() && nvme->second != "0";

  model::ResourceList allocatable = claim.claim.allocatable;
  allocatable.Subtract(daemon_overhead);
  model::ResourceList before_plugin = allocatable;
  if (gpu) before_plugin.Set(model::resource::kNvidiaGpu, model::Quantity());

  clock_.At(times.launched + registered, [this, name, before_plugin, claim] {
    if (cluster_.GetNodeClaim(name) == nullptr) return;
    model::Node node;
    node.meta.name = name;
    node.meta.labels = claim.claim.meta.labels;
    node.meta.labels[std::string(model::label::kHostname)] = name;
    node.taints = claim.claim.taints;
    node.capacity = claim.claim.capacity;
    node.allocatable = before_plugin;
    node.provider_id = claim.claim.provider_id;
    node.ready = false;
    cluster_.RegisterNode(name, std::move(node));
  });
  clock_.At(times.launched + ready, [this, name, gpu, plugin, plugin_fails, allocatable] {
    if (cluster_.GetNode(name) == nullptr) return;
    cluster_.SetNodeReady(name);
    NodeTimes& nt = nodes_[name];
    nt.ready = clock_.Now();
    if (!gpu) {
      nt.usable = clock_.Now();
      return;
    }
    if (plugin_fails) return;  // nvidia.com/gpu never appears
    clock_.At(clock_.Now() + plugin, [this, name, allocatable] {
      if (cluster_.GetNode(name) == nullptr) return;
      cluster_.SetNodeAllocatable(name, allocatable);
      nodes_[name].usable = clock_.Now();
    });
  });
}

model::Duration Kubelet::ImagePullTime(const std::string& image, const model::EC2NodeClass* node_class) const {
  auto spec = images_.find(image);
  if (spec == images_.end() || spec->second->size_bytes <= 0) return 0;
  const double mib = static_cast<double>(spec->second->size_bytes) / kMiB;
  const ImageTimings& t = scenario_.image_timings;
  if (node_class != nullptr && !spec->second->snapshot_id.empty()) {
    for (const auto& m : node_class->block_device_mappings) {
      if (m.ebs.snapshot_id != spec->second->snapshot_id) continue;
      auto snap = snapshots_.find(m.ebs.snapshot_id);
      if (snap != snapshots_.end() && snap->second->fast_snapshot_restore) return 0;
      if (m.ebs.volume_initialization_rate && *m.ebs.volume_initialization_rate > 0) {
        return SecondsToDuration(mib / static_cast<double>(*m.ebs.volume_initialization_rate));
      }
      return SecondsToDuration(mib / t.snapshot_lazy_mib_per_s);
    }
  }
  return SecondsToDuration(mib / t.registry_mib_per_s);
}

model::Duration Kubelet::WeightsLoadTime(int64_t bytes, const model::EC2NodeClass* node_class,
                                         bool local_nvme) const {
  if (bytes <= 0) return 0;
  const WeightsTimings& t = scenario_.weights_timings;
  double storage_mib_per_s = t.ebs_default_mib_per_s;
  if (local_nvme) {
    storage_mib_per_s = t.local_nvme_mib_per_s;
  } else if (const auto* volume = DataVolume(node_class); volume != nullptr && volume->ebs.throughput) {
    storage_mib_per_s = static_cast<double>(*volume->ebs.throughput);
  }
  const double bytes_per_s = std::min(storage_mib_per_s * kMiB, t.host_to_device_gb_per_s * 1e9);
  return SecondsToDuration(static_cast<double>(bytes) / bytes_per_s) + t.cuda_context;
}

StartupPhases Kubelet::Phases(const ports::PodInfo& pod, const NodeTimes& node) const {
  StartupPhases p;
  const model::Duration waited = pod.bound_at - pod.created_at;
  if (node.claim_created >= pod.created_at && node.usable >= 0 && node.ready >= 0) {
    p.decision = node.claim_created - pod.created_at;
    p.launch = node.launched - node.claim_created;
    p.boot = node.ready - node.launched;
    p.gpu_init = node.usable - node.ready;
    p.binding = waited - (p.decision + p.launch + p.boot + p.gpu_init);
    if (p.binding >= 0) return p;
    p = StartupPhases{};
  }
  p.decision = waited;  // the node already existed: the wait was for a decision
  return p;
}

void Kubelet::StartPod(const std::string& pod_name, const std::string& node_name) {
  const ports::PodInfo* pod = cluster_.GetPod(pod_name);
  if (pod == nullptr) return;
  NodeTimes& node = nodes_[node_name];
  const model::Duration now = clock_.Now();
  model::Duration image_done = now;
  for (const model::Container& c : pod->pod.containers) {
    auto [it, inserted] = node.images.emplace(c.image, 0);
    if (inserted) it->second = image_done + ImagePullTime(c.image, node.node_class);
    image_done = std::max(image_done, it->second);
  }
  image_done += scenario_.image_timings.container_start;
  int64_t weights = 0;
  if (auto a = pod->pod.meta.annotations.find(std::string(kModelWeightsAnnotation));
      a != pod->pod.meta.annotations.end()) {
    weights = std::atoll(a->second.c_str());
  }
  const model::Duration weights_time = WeightsLoadTime(weights, node.node_class, node.local_nvme);
  StartupPhases phases = Phases(*pod, node);
  phases.image = image_done - now;
  phases.weights = weights_time;
  clock_.At(image_done + weights_time, [this, pod_name, node_name, phases] {
    const ports::PodInfo* p = cluster_.GetPod(pod_name);
    if (p == nullptr || p->pod.node_name != node_name || p->phase != ports::PodPhase::kStarting) return;
    cluster_.SetPodRunning(pod_name);
    if (on_running_) on_running_(pod_name, phases);
  });
}

void Kubelet::Forget(const std::string& node) { nodes_.erase(node); }

}  // namespace adze::sim
