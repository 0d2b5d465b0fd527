#include "controllers/operator.h"

#include "model/nodepool.h"

namespace adze::controllers {

namespace {

disruption::DisruptionOptions DisruptionOptionsOf(const OperatorOptions& o) {
  disruption::DisruptionOptions d;
  d.mode = o.disruption == DisruptionMode::kKarpenter ? disruption::Mode::kKarpenter : disruption::Mode::kAdze;
  d.consolidation = o.controllers.consolidation;
  d.headroom = o.headroom;
  d.max_replacements = o.max_replacements;
  d.lost_work_payback = o.lost_work_payback;
  d.spot_to_spot = o.controllers.spot_to_spot_consolidation;
  return d;
}

}  // namespace

Operator::Operator(OperatorPorts ports, OperatorOptions options, OperatorListener* listener)
    : ports_(ports),
      options_(options),
      listener_(listener != nullptr ? listener : &no_listener_),
      provisioner_(ports.cluster, ports.cloud, ports.clock, ports.stopwatch,
                   ProvisionerOptions{options.controllers.batch_idle, options.controllers.batch_max,
                                      scheduling::SolverOptions{.packer = options.packer,
                                                                .compute_lower_bound = false,
                                                                .fewer_nodes_premium = options.fewer_nodes_premium},
                                      options.size_for_arrivals,
                                      ArrivalSizingOptions{.fewer_nodes_premium = options.fewer_nodes_premium}}),
      lifecycle_(ports.cluster, ports.cloud, ports.clock,
                 LifecycleOptions{.launch_timeout = options.controllers.launch_timeout,
                                  .registration_timeout = options.controllers.registration_timeout,
                                  .gpu_initialization_timeout = options.controllers.gpu_initialization_timeout,
                                  // A finished launch is applied at once (the node boots now),
                                  // or with the others that finished together.
                                  .on_launch_completed =
                                      [this] {
                                        if (options_.coalesce_launch_completions) {
                                          launches_completed_ = true;
                                        } else {
                                          RunLifecycle();
                                        }
                                      }}),
      termination_(ports.cluster, ports.cloud, ports.clock),
      interruption_(ports.cluster, ports.cloud, ports.queue),
      expiration_(ports.cluster, ports.clock),
      disruption_(ports.cluster, ports.cloud, ports.clock, ports.stopwatch, DisruptionOptionsOf(options)),
      started_(ports.clock.Now()) {
  next_due_.fill(started_);
}

bool Operator::Due(Cadence cadence, model::Duration period) {
  // Due at started_ + k × period. A real clock never ticks exactly on those
  // instants (the controller's tick drifts by milliseconds), so a cadence is
  // due at the first tick at or past its next instant, which then moves to
  // the following multiple. In the simulator ticks fall on whole seconds
  // from started_, where this is the same as (now - started_) % period == 0.
  const model::Duration now = ports_.clock.Now();
  model::Duration& next = next_due_[static_cast<size_t>(cadence)];
  if (now < next) return false;
  next = started_ + ((now - started_) / period + 1) * period;
  return true;
}

void Operator::Tick() {
  const InterruptionResult interrupted = interruption_.Reconcile();
  if (interrupted.spot_warnings > 0) {
    ports_.metrics.Add("adze_interruption_messages_total", static_cast<double>(interrupted.spot_warnings),
                       {{"kind", "spot_interrupted"}});
  }
  if (interrupted.rebalance_recommendations > 0) {
    ports_.metrics.Add("adze_interruption_messages_total",
                       static_cast<double>(interrupted.rebalance_recommendations), {{"kind", "rebalance"}});
  }
  for (const auto& [claim, reason] : interrupted.deletion_requested) RequestedDeletion(claim, reason);
  if (const size_t errors = interrupted.receive_errors + interrupted.delete_errors + interrupted.request_errors;
      errors > 0) {
    ports_.metrics.Add("adze_controller_errors_total", static_cast<double>(errors),
                       {{"controller", "interruption"}, {"code", "queue"}});
  }

  // The lifecycle runs whenever a launching claim may have moved on, and
  // every 10 s regardless (timeouts).
  const auto snapshot = ports_.cluster.Snapshot();
  const bool resync = Due(Cadence::kLifecycleResync, options_.lifecycle_resync);
  if ((snapshot->claims_in_flight() > 0 && snapshot->generation() != reconciled_generation_) || resync) {
    RunLifecycle();
    reconciled_generation_ = ports_.cluster.Snapshot()->generation();
  }
  const bool claims_due = Due(Cadence::kGarbageCollection, options_.garbage_collection);
  // Karpenter AWS looks for orphaned instances every 10 s for its first 20
  // passes (a restart is when a lost launch answer is likeliest), then every 2 min.
  const bool starting = ports_.clock.Now() - started_ < 20 * options_.orphan_collection_startup;
  const bool orphans_due =
      Due(Cadence::kOrphanedInstances, starting ? options_.orphan_collection_startup : options_.garbage_collection);
  if (claims_due || orphans_due) {
    const std::vector<ports::Instance> listed = ports_.cloud.List();
    if (claims_due) Apply(lifecycle_.CollectGarbage(listed));
    if (orphans_due) Apply(lifecycle_.CollectOrphanInstances(listed));
  }
  if (Due(Cadence::kDisruption, options_.disruption_period)) RunDisruption();
  // Deletions this operator requested, or anyone else did (kubectl delete nodeclaim).
  if (deletions_pending_ || ports_.cluster.Snapshot()->claims_deleting() > 0) RunTermination();
}

void Operator::ApplyCompletedLaunches() {
  if (!launches_completed_) return;
  launches_completed_ = false;
  RunLifecycle();
}

void Operator::OnUnschedulable(const std::vector<std::string>& pods) {
  const auto snapshot = ports_.cluster.Snapshot();
  for (const std::string& name : pods) {
    const ports::PodInfo* pod = snapshot->GetPod(name);
    if (pod == nullptr) continue;
    const ports::NodeClaimInfo* claim =
        pod->nominated_node_claim.empty() ? nullptr : snapshot->GetNodeClaim(pod->nominated_node_claim);
    // A pod waiting for the claim made for it needs nothing new.
    if (claim != nullptr && !claim->deletion_requested_at && !claim->initialized_at) continue;
    provisioner_.Trigger(name);
  }
  const auto closes = provisioner_.NextBatchAt();
  if (closes && !batch_timer_set_) {
    batch_timer_set_ = true;
    ports_.clock.At(*closes, [this] { CloseBatch(); });
  }
}

void Operator::CloseBatch() {
  // Triggers after the timer was set may have pushed the close later.
  const auto closes = provisioner_.NextBatchAt();
  if (closes && *closes > ports_.clock.Now()) {
    ports_.clock.At(*closes, [this] { CloseBatch(); });
    return;
  }
  batch_timer_set_ = false;
  const ProvisioningResult r = provisioner_.Provision();
  ports_.metrics.Add("adze_provisioning_passes_total", 1);
  ports_.metrics.Observe("adze_provisioning_decision_seconds", r.solve_wall_seconds);
  ports_.metrics.Add("adze_nodeclaims_created_total", static_cast<double>(r.created_claims.size()));
  for (const Error& e : r.create_errors) {
    ports_.metrics.Add("adze_controller_errors_total", 1, {{"controller", "provisioner"}, {"code", ErrorCodeName(e.code)}});
  }
  listener_->OnProvisioned(r);
  RunLifecycle();  // launch the new claims at once
}

void Operator::RunLifecycle() { Apply(lifecycle_.Reconcile()); }

void Operator::Apply(const LifecycleResult& r) {
  if (!r.launched.empty()) {
    const auto snapshot = ports_.cluster.Snapshot();
    for (const std::string& name : r.launched) {
      const ports::NodeClaimInfo* claim = snapshot->GetNodeClaim(name);
      if (claim == nullptr) continue;
      ports_.metrics.Add("adze_nodes_launched_total", 1, {{"capacity_type", claim->capacity_type}});
      listener_->OnClaimLaunched(*claim);
    }
  }
  for (const std::string& name : r.deleted_insufficient_capacity) {
    ports_.metrics.Add("adze_insufficient_capacity_total", 1);
    listener_->OnInsufficientCapacity(name);
  }
  for (const std::string& name : r.initialized) listener_->OnClaimInitialized(name);
  for (const auto& [name, reason] : r.deletion_requested) RequestedDeletion(name, reason);
  for (const std::string& name : r.garbage_collected) {
    ports_.metrics.Add("adze_nodeclaims_terminated_total", 1, {{"reason", "instance_terminated"}});
    listener_->OnClaimTerminated(name, "instance_terminated");
  }
  for (const ports::Instance& i : r.orphans_terminated) {
    ports_.metrics.Add("adze_instances_garbage_collected_total", 1);
    listener_->OnOrphanInstanceTerminated(i);
  }
  CountErrors("lifecycle", r.launch_errors);
}

void Operator::RequestedDeletion(const std::string& claim, const std::string& reason) {
  deletions_pending_ = true;
  listener_->OnDeletionRequested(claim, reason);
}

void Operator::CountErrors(const char* controller, const std::vector<std::pair<std::string, Error>>& errors) {
  for (const auto& [name, error] : errors) {
    ports_.metrics.Add("adze_controller_errors_total", 1,
                       {{"controller", controller}, {"code", ErrorCodeName(error.code)}});
  }
}

// Expiration (forceful) and the voluntary disruption loop.
void Operator::RunDisruption() {
  for (const std::string& claim : expiration_.Reconcile()) {
    ports_.metrics.Add("adze_nodes_expired_total", 1);
    RequestedDeletion(claim, "Expired");
  }
  if (options_.disruption == DisruptionMode::kOff) return;
  if (disruption_.in_flight() == 0 && ports_.cluster.Snapshot()->generation() == disrupted_generation_ &&
      ports_.clock.Now() - disrupted_at_ < options_.consolidated_memo) {
    return;
  }
  const disruption::DisruptionResult r = disruption_.Reconcile();
  if (r.decided.empty() && r.executed.empty() && disruption_.in_flight() == 0) {
    disrupted_generation_ = ports_.cluster.Snapshot()->generation();
    disrupted_at_ = ports_.clock.Now();
  } else {
    disrupted_generation_ = ~uint64_t{0};
  }
  ports_.metrics.Observe("adze_disruption_decision_seconds", r.decision_wall_seconds);
  ports_.metrics.Add("adze_disruption_commands_abandoned_total", static_cast<double>(r.abandoned.size()));
  for (const disruption::Command& c : r.executed) {
    ports_.metrics.Add("adze_disruption_commands_total", 1);
    ports_.metrics.Add("adze_nodes_disrupted_total", static_cast<double>(c.candidates.size()),
                       {{"reason", std::string(model::DisruptionReasonName(c.reason))}});
    ports_.metrics.Add("adze_disruption_savings_per_hour_total", c.savings_per_hour);
    deletions_pending_ = true;
  }
  listener_->OnDisruption(r);
}

void Operator::RunTermination() {
  const TerminationResult r = termination_.Reconcile();
  for (const auto& [claim, reason] : r.terminated) {
    const std::string why = reason.empty() ? "deleted" : reason;
    ports_.metrics.Add("adze_nodeclaims_terminated_total", 1, {{"reason", why}});
    listener_->OnClaimTerminated(claim, reason);
  }
  CountErrors("termination", r.cloud_errors);
  deletions_pending_ = ports_.cluster.Snapshot()->claims_deleting() > 0;
}

}  // namespace adze::controllers
