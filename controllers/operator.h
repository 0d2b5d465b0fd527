// Operator: owns adze's controllers — provisioner, NodeClaim lifecycle and
// garbage collection, termination, interruption, expiration, disruption —
// their options and cadences, and the metrics they emit (Karpenter's
// pkg/operator is the model). The shell drives it: the simulator with
// virtual time, `adze controller` with the real clock. It is the one place
// the controllers' loop is written.
//
//   Tick()            once a second: interruption messages; the lifecycle when
//                     a launching claim may have moved (or every 10 s);
//                     garbage collection every 2 min (orphaned instances
//                     every 10 s for the first 20 passes); expiration and
//                     disruption every 10 s; termination while claims are
//                     being deleted
//   ApplyCompletedLaunches  (coalesce_launch_completions) CreateFleet answers
//                     that arrived together, in one lifecycle pass
//   OnUnschedulable   pods the kube-scheduler could not place: they open or
//                     extend a provisioning batch (1 s idle, 10 s max); the
//                     batch closes on a Clock timer, and new claims launch
//                     at once
//
// What it decided is reported to an OperatorListener (the simulator records
// events and boots simulated kubelets from it; `adze controller` writes
// Kubernetes Events) and counted in ports::Metrics:
//   adze_provisioning_passes_total, adze_nodeclaims_created_total,
//   adze_nodes_launched_total{capacity_type}, adze_insufficient_capacity_total,
//   adze_nodeclaims_terminated_total{reason}, adze_interruption_messages_total{kind},
//   adze_nodes_expired_total, adze_disruption_commands_total,
//   adze_disruption_commands_abandoned_total, adze_nodes_disrupted_total{reason},
//   adze_disruption_savings_per_hour_total, adze_controller_errors_total{controller,code},
//   adze_provisioning_decision_seconds, adze_disruption_decision_seconds (histograms).
// Thread-safety: none; call from the one thread that runs the controllers.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "controllers/disruption/disruption_controller.h"
#include "controllers/expiration.h"
#include "controllers/interruption.h"
#include "controllers/nodeclaim_lifecycle.h"
#include "controllers/operator_options.h"
#include "controllers/provisioner.h"
#include "controllers/termination.h"
#include "ports/clock.h"
#include "ports/cloud_provider.h"
#include "ports/cluster.h"
#include "ports/interruption_queue.h"
#include "ports/metrics.h"
#include "ports/stopwatch.h"

namespace adze::controllers {

// Decisions as they are made; every method has a no-op default.
class OperatorListener {
 public:
  virtual ~OperatorListener() = default;
  virtual void OnProvisioned(const ProvisioningResult&) {}
  // The claim as the cluster holds it once launched.
  virtual void OnClaimLaunched(const ports::NodeClaimInfo&) {}
  virtual void OnInsufficientCapacity(const std::string& /*claim*/) {}
  virtual void OnClaimInitialized(const std::string& /*claim*/) {}
  virtual void OnDeletionRequested(const std::string& /*claim*/, const std::string& /*reason*/) {}
  virtual void OnClaimTerminated(const std::string& /*claim*/, const std::string& /*reason*/) {}
  // An instance no claim recorded was terminated (garbage collection).
  virtual void OnOrphanInstanceTerminated(const ports::Instance&) {}
  virtual void OnDisruption(const disruption::DisruptionResult&) {}
};

struct OperatorPorts {
  ports::Cluster& cluster;
  ports::CloudProvider& cloud;
  ports::InterruptionQueue& queue;
  ports::Clock& clock;
  ports::Metrics& metrics;
  const ports::Stopwatch& stopwatch;
};

class Operator {
 public:
  // REQUIRES: every port outlives the operator; listener may be null.
  Operator(OperatorPorts ports, OperatorOptions options, OperatorListener* listener = nullptr);
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;

  void Tick();
  void OnUnschedulable(const std::vector<std::string>& pods);
  // With coalesce_launch_completions: applies, in one lifecycle pass, every
  // launch that finished since the last call (none: nothing to do).
  void ApplyCompletedLaunches();

  const OperatorOptions& options() const { return options_; }

 private:
  enum class Cadence { kLifecycleResync, kGarbageCollection, kOrphanedInstances, kDisruption, kCount };
  // True at the first call at or past the cadence's next instant (started_ +
  // k × period), which then moves on.
  bool Due(Cadence cadence, model::Duration period);
  void CloseBatch();
  void RunLifecycle();
  void Apply(const LifecycleResult& r);
  void RunDisruption();
  void RunTermination();
  void RequestedDeletion(const std::string& claim, const std::string& reason);
  void CountErrors(const char* controller, const std::vector<std::pair<std::string, Error>>& errors);

  OperatorPorts ports_;
  OperatorOptions options_;
  OperatorListener* listener_;
  OperatorListener no_listener_;

  Provisioner provisioner_;
  NodeClaimLifecycle lifecycle_;
  Termination termination_;
  Interruption interruption_;
  Expiration expiration_;
  disruption::DisruptionController disruption_;

  ports::Time started_;  // cadences count from construction
  std::array<model::Duration, static_cast<size_t>(Cadence::kCount)> next_due_{};
  uint64_t reconciled_generation_ = ~uint64_t{0};
  bool batch_timer_set_ = false;
  uint64_t disrupted_generation_ = ~uint64_t{0};
  ports::Time disrupted_at_ = 0;
  bool deletions_pending_ = false;
  bool launches_completed_ = false;  // waiting for ApplyCompletedLaunches
};

}  // namespace adze::controllers
