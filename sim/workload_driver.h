// WorkloadDriver: turns the scenario's workloads into pods over simulated
// time and plays their owners' part when pods end:
//   TrainingJob       N workers started as a gang; the job advances only
//                     while all N run; losing a worker restarts the gang
//                     from its last checkpoint (the rest is work lost)
//   InferenceService  replicas follow the load curve; a lost replica is
//                     replaced at once (a Deployment)
//   BatchJobs         Poisson arrivals, lognormal run times; an evicted
//                     pod starts again from scratch (a Job)
//   Trace             the alibaba-gpu-2023 tasks at their (compressed)
//                     creation times, running their (compressed) lifetimes
// Thread-safety: none.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ports/random_stream.h"
#include "sim/alibaba_trace.h"
#include "sim/event_queue.h"
#include "sim/scenario.h"
#include "sim/simulated_cluster.h"

namespace adze::sim {

struct WorkloadStats {
  int64_t pods_created = 0;
  int64_t pods_completed = 0;
  int64_t pods_evicted = 0;       // through the Eviction API or deleted by termination
  int64_t pods_lost = 0;          // killed with their node
  int64_t training_restarts = 0;
  int64_t training_jobs_completed = 0;
  double training_gpu_hours_lost = 0;  // GPU-hours since the last checkpoint
  double gpu_hours_requested = 0;      // GPU-hours of running pods, work redone after an eviction excluded
  // GPU-hours batch and trace pods had run when evicted or lost with their
  // node: they start again from scratch, so this work is done twice.
  double gpu_hours_redone = 0;
};

// Annotation on every pod of a Trace workload: the trace's task name (the
// first run of a task is also named after it; reruns are <task>-retry-<n>).
inline constexpr std::string_view kTraceTaskAnnotation = "adze.dev/trace-task";

class WorkloadDriver {
 public:
  // traces: the tasks of each scenario Trace, in the same order.
  WorkloadDriver(EventQueue& events, SimulatedCluster& cluster, const Scenario& scenario,
                 std::vector<std::vector<AlibabaTask>> traces);

  // Schedules every workload's arrivals.
  void Start();
  void OnPodRunning(const std::string& pod);
  void OnPodEnd(const ports::PodInfo& pod, PodEndReason reason);
  // Counts GPU time of pods still running at the end of the run.
  void Finish();
  // The pod was created to replace one evicted or lost with its node (a
  // Deployment's new replica, a rerun, a restarted gang), not by the
  // workload's own arrivals.
  bool Recreated(const std::string& pod) const;

  const WorkloadStats& stats() const { return stats_; }
  // Training jobs that were submitted and have not completed.
  int64_t training_jobs_running() const;

 private:
  enum class Kind { kTraining, kInference, kBatch, kTrace };
  struct Owned {
    Kind kind;
    size_t workload;
    model::Duration lifetime = -1;  // -1: runs until its owner ends it
    model::Duration running_since = -1;
    int64_t gpus = 0;
    std::string task;  // Trace: the task's name
    int32_t attempt = 0;
    bool recreated = false;  // see Recreated()
  };
  struct Training {
    const TrainingJob* spec = nullptr;
    std::vector<std::string> pods;
    int32_t running = 0;
    model::Duration progress = 0;
    std::optional<model::Duration> segment_start;
    uint64_t token = 0;  // invalidates a scheduled completion
    bool done = false;
    bool submitted = false;
  };
  struct Inference {
    const InferenceService* spec = nullptr;
    std::vector<std::string> pods;  // oldest first
  };

  std::string AddPod(const model::Pod& pod_template, const std::string& workload, Kind kind, size_t index,
                     model::Duration lifetime, int64_t weights_bytes, bool do_not_disrupt,
                     const std::string& name = {});
  void SubmitGang(size_t job);
  void RestartGang(size_t job, const std::string& lost_pod);
  void CompleteTraining(size_t job, uint64_t token);
  void ReconcileInference(size_t service);
  int32_t TargetReplicas(const InferenceService& s, model::Duration now) const;
  void NextBatchArrival(size_t batch);
  // redone: the run is lost (restarted from scratch), not useful work.
  void AccountGpuTime(Owned& owned, bool redone = false);
  // Ends a pod its owner no longer wants (scale-down, gang restart).
  void Retire(const std::string& pod);

  EventQueue& events_;
  SimulatedCluster& cluster_;
  const Scenario& scenario_;
  std::vector<std::vector<AlibabaTask>> traces_;
  std::vector<Training> training_;
  std::vector<Inference> inference_;
  std::vector<ports::RandomStream> batch_random_;
  std::map<std::string, Owned> owned_;
  std::map<std::string, int64_t> name_counters_;
  bool recreating_ = false;  // pods added now replace one that ended (OnPodEnd)
  WorkloadStats stats_;
};

}  // namespace adze::sim
