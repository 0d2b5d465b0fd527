// Kubelet: the simulated node side. Boots launched instances through their
// phases (registered → Ready → device plugin registers nvidia.com/gpu), with
// durations drawn from the scenario's calibrated ranges; starts bound pods
// through an image phase (registry pull, snapshot hydration lazy / at a
// provisioned rate / Fast Snapshot Restore, or a cache hit) and a
// model-weights phase (size / min(storage throughput, host-to-device copy) +
// CUDA context), then marks them running.
// Thread-safety: none.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "ports/random_stream.h"
#include "ports/clock.h"
#include "sim/event_queue.h"
#include "sim/scenario.h"
#include "sim/simulated_cluster.h"
#include "sim/startup_phases.h"

namespace adze::sim {

class Kubelet {
 public:
  using PodRunning = std::function<void(const std::string& pod, const StartupPhases&)>;

  // Times are the controllers' (absolute) clock: the kubelet reads claim and
  // pod timestamps the cluster stamps with it.
  Kubelet(ports::Clock& clock, SimulatedCluster& cluster, const Scenario& scenario, PodRunning on_running);

  // The claim's instance is running: register its node, make it Ready, then
  // (GPU types) register the GPUs. daemon_overhead is taken off allocatable.
  void Boot(const ports::NodeClaimInfo& claim, int32_t gpus, const model::ResourceList& daemon_overhead);
  // The pod was bound: pull, load, run.
  void StartPod(const std::string& pod, const std::string& node);
  // The node is gone: forget its image cache.
  void Forget(const std::string& node);

  // Seconds the image phase takes on this node class for an image of size bytes.
  model::Duration ImagePullTime(const std::string& image, const model::EC2NodeClass* node_class) const;
  model::Duration WeightsLoadTime(int64_t bytes, const model::EC2NodeClass* node_class, bool local_nvme) const;

 private:
  struct NodeTimes {
    model::Duration launched = 0;
    model::Duration claim_created = 0;
    model::Duration ready = -1;
    model::Duration usable = -1;  // Ready, and GPUs registered on GPU nodes
    const model::EC2NodeClass* node_class = nullptr;
    bool local_nvme = false;
    std::map<std::string, model::Duration> images;  // image → present from
  };

  // Boot durations come from one stream per instance type
  // ("kubelet/boot/<type>"), so the n-th instance of a type boots alike
  // whichever autoscaler launched it (`adze compare`'s common random numbers).
  ports::RandomStream& BootStream(const std::string& instance_type);
  static model::Duration Draw(ports::RandomStream& random, const DurationRange& range);
  StartupPhases Phases(const ports::PodInfo& pod, const NodeTimes& node) const;

  ports::Clock& clock_;
  SimulatedCluster& cluster_;
  const Scenario& scenario_;
  PodRunning on_running_;
  uint64_t seed_;
  std::map<std::string, ports::RandomStream> boot_streams_;
  std::map<std::string, NodeTimes> nodes_;
  std::map<std::string, const ImageSpec*> images_;
  std::map<std::string, const SnapshotSpec*> snapshots_;
};

// Annotation a workload sets on pods that load model weights (bytes).
inline constexpr std::string_view kModelWeightsAnnotation = "adze.dev/model-weights-bytes";

}  // namespace adze::sim
