// RunSummary: what one simulation run measured (issue 4 item 6), and the
// per-minute time series. Everything here is a function of the scenario and
// seed except the fields marked wall-clock.
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/duration.h"

namespace adze::sim {

// p50/p95/p99 (nearest rank) and mean of a sample, in seconds.
struct Percentiles {
  int64_t count = 0;
  double mean = 0, p50 = 0, p95 = 0, p99 = 0, max = 0;
};
Percentiles ComputePercentiles(std::vector<double> seconds);

struct RunSummary {
  std::string scenario;
  uint64_t seed = 0;
  model::Duration duration = 0;

  // Cost (per-second billing, 60 s minimum).
  double cost_usd = 0;
  std::map<std::string, double> cost_usd_by_capacity_type;
  double instance_hours = 0;
  // The run-level lower bound: spec LB of the pods requested each simulated
  // minute, integrated over the run (sim/run_lower_bound.h); cost / LB is
  // the run's gap to it.
  double lower_bound_usd = 0;
  double gpu_hours_provisioned = 0;
  double gpu_hours_requested = 0;  // by running pods, unique work (redone work excluded)
  // GPU-hours batch and trace pods had run when evicted or lost with their
  // node: redone from scratch, so lost (issue 16).
  double gpu_hours_redone = 0;

  // Pods.
  int64_t pods_created = 0;
  int64_t pods_completed = 0;
  int64_t pods_running_at_end = 0;
  int64_t pods_pending_at_end = 0;
  int64_t pods_evicted = 0;
  int64_t pods_lost_with_node = 0;
  // Pods never bound to a node: pending at the end, or deleted while pending
  // (an inference scale-down removes its newest replicas first).
  int64_t pods_never_scheduled = 0;
  // Pods pending at the end, by why they were not placed (the provisioner's
  // last reason, else the pod's state), and the first kPendingListed of them.
  static constexpr size_t kPendingListed = 50;
  std::map<std::string, int64_t> pending_at_end_by_reason;
  std::vector<std::pair<std::string, std::string>> pending_at_end_pods;  // (pod, reason)
  Percentiles time_to_running;
  // The same over the pods the workloads asked for, without those re-created
  // after an eviction or a lost node: an autoscaler that evicts more adds
  // quick restarts onto room it already has, which pulls the percentiles of
  // all pods down.
  Percentiles time_to_running_of_arrivals;
  std::map<std::string, Percentiles> time_to_running_by_phase;  // decision, launch, boot, ...

  // Nodes.
  int64_t nodes_launched = 0;
  std::map<std::string, int64_t> nodes_launched_by_capacity_type;
  std::map<std::string, int64_t> nodes_terminated_by_reason;
  int64_t nodes_at_end = 0;
  int64_t spot_interruption_warnings = 0;
  int64_t rebalance_recommendations = 0;
  int64_t insufficient_capacity_errors = 0;

  // Training.
  int64_t training_jobs_completed = 0;
  int64_t training_jobs_unfinished = 0;
  int64_t training_restarts = 0;
  double training_gpu_hours_lost = 0;

  // Disruption (voluntary): nodes removed per reason (Empty, Underutilized,
  // Drifted), and what the commands saved: $/h at decision time, and $ over
  // the rest of the run.
  std::map<std::string, int64_t> disruptions_by_reason;
  int64_t disruption_commands = 0;
  int64_t disruption_commands_abandoned = 0;
  double disruption_savings_per_hour = 0;
  double disruption_savings_usd = 0;
  int64_t nodes_expired = 0;

  // Controllers.
  int64_t provisioning_passes = 0;
  int64_t node_claims_created = 0;
  Percentiles decision_wall_ms;  // wall-clock: differs between runs
  Percentiles disruption_decision_wall_ms;  // wall-clock
  uint64_t events_processed = 0;
  double wall_seconds = 0;       // wall-clock
};

struct TimeseriesRow {
  int64_t minute = 0;
  int64_t nodes = 0;
  int64_t nodes_ready = 0;
  int64_t pods_pending = 0;
  int64_t pods_running = 0;
  double cost_per_hour = 0;  // of the nodes up at that minute
  int64_t gpus_provisioned = 0;
  int64_t gpus_requested = 0;  // by bound pods
};

}  // namespace adze::sim
