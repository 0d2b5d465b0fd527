#include "sim/simulation.h"

#include <chrono>
#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "controllers/daemon_overhead.h"
#include "controllers/disruption/disruption_controller.h"
#include "controllers/expiration.h"
#include "controllers/interruption.h"
#include "controllers/nodeclaim_lifecycle.h"
#include "controllers/provisioner.h"
#include "controllers/termination.h"
#include "providers/aws/aws_cloud_provider.h"
#include "sim/alibaba_trace.h"
#include "sim/ec2/simulated_ec2.h"
#include "sim/embedded_trace.h"
#include "sim/event_queue.h"
#include "sim/invariant_monitor.h"
#include "sim/kube_scheduler.h"
#include "sim/kubelet.h"
#include "sim/simulated_cluster.h"
#include "sim/workload_driver.h"

namespace adze::sim {
namespace {

using model::Duration;
using model::kHour;
using model::kMinute;
using model::kSecond;
using Clock = std::chrono::steady_clock;

double ToSeconds(Duration d) { return static_cast<double>(d) / kSecond; }

Result<std::vector<std::vector<AlibabaTask>>> LoadTraces(const Scenario& scenario) {
  std::vector<std::vector<AlibabaTask>> traces;
  for (const TraceReplay& replay : scenario.traces) {
    auto tasks = replay.path.empty()
                     ? ParseAlibabaPodList(EmbeddedDefaultTraceCsv(), kEmbeddedDefaultTraceName)
                     : LoadAlibabaPodList(replay.path);
    if (!tasks.ok()) return tasks.error();
    if (replay.limit && static_cast<int64_t>(tasks->size()) > *replay.limit) tasks->resize(*replay.limit);
    traces.push_back(std::move(tasks).value());
  }
  return traces;
}

catalog::CapacityOptions CapacityOptionsOf(const Scenario& s) {
  catalog::CapacityOptions options;
  options.prefix_delegation = s.cluster.prefix_delegation;
  options.region = s.region;
  options.zones = s.zones;
  return options;
}

// The simulated world and the controllers running on it.
class World {
 public:
  World(const Scenario& scenario, const catalog::Catalog& catalog, const SimulationOptions& options,
        std::vector<std::vector<AlibabaTask>> traces)
      : scenario_(scenario),
        options_(options),
        ec2_(catalog, scenario.ec2, CapacityOptionsOf(scenario), events_, scenario.seed),
        cloud_(ec2_, events_, [this](std::function<void()> task) { events_.After(0, std::move(task)); },
               scenario.node_classes, CapacityOptionsOf(scenario)),
        cluster_(events_, scenario.node_pools, scenario.cluster.daemon_sets, scenario.pdbs),
        kubelet_(events_, cluster_, scenario,
                 [this](const std::string& pod, const StartupPhases& p) { OnPodRunning(pod, p); }),
        scheduler_(cluster_, kubelet_),
        workloads_(events_, cluster_, scenario, std::move(traces)),
        provisioner_(cluster_, cloud_, events_,
                     controllers::ProvisionerOptions{
                         scenario.controllers.batch_idle, scenario.controllers.batch_max,
                         scheduling::SolverOptions{
                             .packer = options.karpenter_packer ? scheduling::Packer::kKarpenter
                                                                : scheduling::Packer::kAdze,
                             .compute_lower_bound = false}}),
        lifecycle_(cluster_, cloud_, events_,
                   controllers::LifecycleOptions{.launch_timeout = scenario.controllers.launch_timeout,
                                                 .registration_timeout = scenario.controllers.registration_timeout,
                                                 .gpu_initialization_timeout =
                                                     scenario.controllers.gpu_initialization_timeout,
                                                 .on_launch_completed = [this] { RunLifecycle(); }}),
        termination_(cluster_, cloud_, events_),
        interruption_(cluster_, cloud_, ec2_),
        expiration_(cluster_, events_),
        disruption_(cluster_, cloud_, events_, DisruptionOptionsOf(scenario, options)),
        monitor_(cluster_, cloud_) {
    cluster_.SetPodEndListener([this](const ports::PodInfo& pod, PodEndReason reason) {
      if (options_.check_invariants) monitor_.OnPodEnd(pod, reason, events_.Now());
      if (reason == PodEndReason::kEvicted || reason == PodEndReason::kNodeLost) {
        Record({{"type", reason == PodEndReason::kEvicted ? "pod_evicted" : "pod_lost"},
                {"pod", pod.pod.meta.name},
                {"node", pod.pod.node_name}});
      }
      workloads_.OnPodEnd(pod, reason);
    });
  }

  RunResult Run() {
    const auto wall_start = Clock::now();
    workloads_.Start();
    for (const ManifestChange& change : scenario_.changes) {
      events_.At(change.at, [this, &change] {
        for (const model::NodePool& pool : change.node_pools) cluster_.UpdateNodePool(pool);
        for (const model::EC2NodeClass& nc : change.node_classes) cloud_.UpdateNodeClass(nc);
        std::vector<std::string> names;
        for (const auto& p : change.node_pools) names.push_back("NodePool/" + p.meta.name);
        for (const auto& c : change.node_classes) names.push_back("EC2NodeClass/" + c.meta.name);
        Record({{"type", "manifests_changed"}, {"objects", names}});
      });
    }
    Every(kSecond, [this] { Tick(); });
    Every(kMinute, [this] { Sample(); });
    if (options_.on_progress) {
      Every(kHour, [this, wall_start] {
        options_.on_progress(Progress{events_.Now(), scenario_.duration, events_.events_run(),
                                      std::chrono::duration<double>(Clock::now() - wall_start).count()});
      });
    }
    events_.RunUntil(scenario_.duration);
    workloads_.Finish();
    // A pod still pending after 15 minutes (two GPU boots, an image pull) was not placed again.
    if (options_.check_invariants) monitor_.CheckFinal(events_.Now(), 15 * kMinute);
    result_.violations = monitor_.violations();
    Summarize(std::chrono::duration<double>(Clock::now() - wall_start).count());
    return std::move(result_);
  }

 private:
  // Runs action every period of simulated time until the end of the run.
  void Every(Duration period, std::function<void()> action) {
    events_.After(period, [this, period, action = std::move(action)]() mutable {
      action();
      if (events_.Now() + period <= scenario_.duration) Every(period, std::move(action));
    });
  }

  void Record(nlohmann::json event) {
    if (!options_.record_events) return;
    event["t"] = ToSeconds(events_.Now());
    result_.events.push_back(event.dump());
  }

  void Tick() {
    const controllers::InterruptionResult interrupted = interruption_.Reconcile();
    spot_warnings_ += static_cast<int64_t>(interrupted.spot_warnings);
    rebalances_ += static_cast<int64_t>(interrupted.rebalance_recommendations);
    for (const auto& [claim, reason] : interrupted.deletion_requested) {
      Record({{"type", "claim_deletion_requested"}, {"claim", claim}, {"reason", reason}});
      deletions_pending_ = true;
    }
    const bool periodic = events_.Now() % (10 * kSecond) == 0;
    if ((cluster_.claims_in_flight() > 0 && cluster_.generation() != reconciled_generation_) || periodic) {
      RunLifecycle();
      reconciled_generation_ = cluster_.generation();
    }
    if (events_.Now() % (2 * kMinute) == 0) Apply(lifecycle_.CollectGarbage());
    if (events_.Now() % (10 * kSecond) == 0) RunDisruption();
    if (deletions_pending_) RunTermination();
    if (options_.check_invariants) monitor_.Check(events_.Now());
    if (cluster_.generation() != scheduled_generation_) {
      const KubeScheduler::PassResult pass = scheduler_.Pass();
      scheduled_generation_ = cluster_.generation();
      TriggerProvisioning(pass.unschedulable);
    }
  }

  void TriggerProvisioning(const std::vector<std::string>& unschedulable) {
    for (const std::string& name : unschedulable) {
      const ports::PodInfo* pod = cluster_.GetPod(name);
      if (pod == nullptr) continue;
      const ports::NodeClaimInfo* claim =
          pod->nominated_node_claim.empty() ? nullptr : cluster_.GetNodeClaim(pod->nominated_node_claim);
      // A pod waiting for the claim made for it needs nothing new.
      if (claim != nullptr && !claim->deletion_requested_at && !claim->initialized_at) continue;
      provisioner_.Trigger(name);
    }
    const auto closes = provisioner_.NextBatchAt();
    if (closes && !provisioning_scheduled_) {
      provisioning_scheduled_ = true;
      events_.At(*closes, [this] { MaybeProvision(); });
    }
  }

  void MaybeProvision() {
    const auto closes = provisioner_.NextBatchAt();
    if (closes && *closes > events_.Now()) {
      events_.At(*closes, [this] { MaybeProvision(); });
      return;
    }
    provisioning_scheduled_ = false;
    const controllers::ProvisioningResult r = provisioner_.Provision();
    ++provisioning_passes_;
    decision_ms_.push_back(r.solve_wall_seconds * 1000);
    claims_created_ += static_cast<int64_t>(r.created_claims.size());
    Record({{"type", "provisioning"},
            {"pods", r.pods},
            {"nominated_existing", r.nominated_existing},
            {"claims", r.created_claims},
            {"unschedulable", r.unschedulable_reasons},
            {"cost_per_hour", r.cost_per_hour}});
    RunLifecycle();  // start the launches at once; each completion runs RunLifecycle again
  }

  void RunLifecycle() { Apply(lifecycle_.Reconcile()); }

  void Apply(const controllers::LifecycleResult& r) {
    for (const std::string& name : r.launched) {
      const ports::NodeClaimInfo* claim = cluster_.GetNodeClaim(name);
      if (claim == nullptr) continue;
      ++nodes_launched_;
      ++launched_by_capacity_type_[claim->capacity_type];
      Record({{"type", "claim_launched"},
              {"claim", name},
              {"instance_type", claim->instance_type},
              {"zone", claim->zone},
              {"capacity_type", claim->capacity_type},
              {"price_per_hour", claim->price_per_hour}});
      const model::NodePool* pool = nullptr;
      for (const auto& p : scenario_.node_pools) {
        if (p.meta.name == claim->node_pool) pool = &p;
      }
      const model::ResourceList overhead =
          pool == nullptr ? model::ResourceList{}
                          : controllers::DaemonOverhead(scenario_.cluster.daemon_sets, *pool, claim->claim.meta.labels);
      const int32_t gpus = static_cast<int32_t>(claim->claim.capacity.Get(model::resource::kNvidiaGpu).Value());
      kubelet_.Boot(*claim, gpus, overhead);
    }
    for (const std::string& name : r.deleted_insufficient_capacity) {
      ++insufficient_capacity_;
      Record({{"type", "insufficient_capacity"}, {"claim", name}});
    }
    for (const std::string& name : r.initialized) Record({{"type", "claim_initialized"}, {"claim", name}});
    for (const auto& [name, reason] : r.deletion_requested) {
      Record({{"type", "claim_deletion_requested"}, {"claim", name}, {"reason", reason}});
      deletions_pending_ = true;
    }
    for (const std::string& name : r.garbage_collected) {
      ++terminated_by_reason_["instance_terminated"];
      Record({{"type", "claim_terminated"}, {"claim", name}, {"reason", "instance_terminated"}});
    }
  }

  static controllers::disruption::DisruptionOptions DisruptionOptionsOf(const Scenario& scenario,
                                                                        const SimulationOptions& options) {
    controllers::disruption::DisruptionOptions d;
    d.mode = options.disruption == SimulationOptions::Disruption::kKarpenter ? controllers::disruption::Mode::kKarpenter
                                                                             : controllers::disruption::Mode::kAdze;
    d.consolidation = scenario.controllers.consolidation;
    d.headroom = options.headroom;
    d.spot_to_spot = scenario.controllers.spot_to_spot_consolidation;
    return d;
  }

  // Expiration (forceful) and the voluntary disruption loop, every 10 s.
  void RunDisruption() {
    for (const std::string& claim : expiration_.Reconcile()) {
      ++nodes_expired_;
      deletions_pending_ = true;
      Record({{"type", "claim_deletion_requested"}, {"claim", claim}, {"reason", "Expired"}});
    }
    if (options_.disruption == SimulationOptions::Disruption::kOff) return;
    // Karpenter's "consolidated" memo: after a pass that found nothing, wait
    // for the cluster to change or for 5 minutes.
    if (disruption_.in_flight() == 0 && cluster_.generation() == disrupted_generation_ &&
        events_.Now() - disrupted_at_ < 5 * kMinute) {
      return;
    }
    const controllers::disruption::DisruptionResult r = disruption_.Reconcile();
    if (r.decided.empty() && r.executed.empty() && disruption_.in_flight() == 0) {
      disrupted_generation_ = cluster_.generation();
      disrupted_at_ = events_.Now();
    } else {
      disrupted_generation_ = ~uint64_t{0};
    }
    disruption_ms_.push_back(r.decision_wall_seconds * 1000);
    for (const auto& c : r.decided) {
      Record({{"type", "disruption_decided"},
              {"method", controllers::disruption::MethodName(c.method)},
              {"reason", model::DisruptionReasonName(c.reason)},
              {"candidates", c.candidates},
              {"replacements", c.replacements.size()},
              {"savings_per_hour", c.savings_per_hour}});
    }
    for (const auto& [c, why] : r.abandoned) {
      ++disruption_abandoned_;
      Record({{"type", "disruption_abandoned"}, {"candidates", c.candidates}, {"why", why}});
    }
    for (const auto& c : r.executed) {
      if (options_.check_invariants) monitor_.OnExecuted(c, events_.Now());
      ++disruption_commands_;
      disruptions_by_reason_[std::string(model::DisruptionReasonName(c.reason))] +=
          static_cast<int64_t>(c.candidates.size());
      savings_per_hour_ += c.savings_per_hour;
      savings_usd_ += c.savings_per_hour * ToSeconds(scenario_.duration - events_.Now()) / 3600.0;
      deletions_pending_ = true;
      Record({{"type", "disruption_executed"},
              {"method", controllers::disruption::MethodName(c.method)},
              {"reason", model::DisruptionReasonName(c.reason)},
              {"candidates", c.candidates},
              {"replacements", c.replacement_claims},
              {"savings_per_hour", c.savings_per_hour}});
    }
  }

  void RunTermination() {
    const controllers::TerminationResult r = termination_.Reconcile();
    for (const auto& [claim, reason] : r.terminated) {
      ++terminated_by_reason_[reason.empty() ? "deleted" : reason];
      Record({{"type", "claim_terminated"}, {"claim", claim}, {"reason", reason}});
    }
    deletions_pending_ = false;
    for (const ports::NodeClaimInfo* c : cluster_.NodeClaims()) {
      if (c->deletion_requested_at) deletions_pending_ = true;
    }
  }

  void OnPodRunning(const std::string& pod, const StartupPhases& p) {
    ttr_.push_back(ToSeconds(p.Total()));
    phases_["decision"].push_back(ToSeconds(p.decision));
    phases_["launch"].push_back(ToSeconds(p.launch));
    phases_["boot_registration"].push_back(ToSeconds(p.boot));
    phases_["gpu_initialization"].push_back(ToSeconds(p.gpu_init));
    phases_["binding"].push_back(ToSeconds(p.binding));
    phases_["image"].push_back(ToSeconds(p.image));
    phases_["model_weights"].push_back(ToSeconds(p.weights));
    Record({{"type", "pod_running"}, {"pod", pod}, {"time_to_running", ToSeconds(p.Total())}});
    workloads_.OnPodRunning(pod);
  }

  void Sample() {
    TimeseriesRow row;
    row.minute = events_.Now() / kMinute;
    for (const ports::NodeInfo* node : cluster_.Nodes()) {
      ++row.nodes;
      row.nodes_ready += node->node.ready;
      row.gpus_requested += node->requested.Get(model::resource::kNvidiaGpu).Value();
    }
    for (const ports::NodeClaimInfo* claim : cluster_.NodeClaims()) {
      if (!claim->launched_at) continue;
      row.cost_per_hour += claim->price_per_hour;
      row.gpus_provisioned += claim->claim.capacity.Get(model::resource::kNvidiaGpu).Value();
    }
    row.pods_pending = static_cast<int64_t>(cluster_.PendingPods().size());
    row.pods_running = static_cast<int64_t>(cluster_.pod_count()) - row.pods_pending;
    result_.timeseries.push_back(row);
  }

  void Summarize(double wall_seconds) {
    RunSummary& s = result_.summary;
    s.scenario = scenario_.name;
    s.seed = scenario_.seed;
    s.duration = scenario_.duration;
    const auto bill = ec2_.Bill();
    s.cost_usd = bill.total_usd;
    s.cost_usd_by_capacity_type = bill.usd_by_capacity_type;
    s.instance_hours = bill.instance_hours;
    s.gpu_hours_provisioned = bill.gpu_hours;
    const WorkloadStats& w = workloads_.stats();
    s.gpu_hours_requested = w.gpu_hours_requested;
    s.pods_created = w.pods_created;
    s.pods_completed = w.pods_completed;
    s.pods_evicted = w.pods_evicted;
    s.pods_lost_with_node = w.pods_lost;
    s.pods_pending_at_end = static_cast<int64_t>(cluster_.PendingPods().size());
    s.pods_running_at_end = static_cast<int64_t>(cluster_.pod_count()) - s.pods_pending_at_end;
    s.time_to_running = ComputePercentiles(std::move(ttr_));
    for (auto& [phase, values] : phases_) s.time_to_running_by_phase[phase] = ComputePercentiles(std::move(values));
    s.nodes_launched = nodes_launched_;
    s.nodes_launched_by_capacity_type = launched_by_capacity_type_;
    s.nodes_terminated_by_reason = terminated_by_reason_;
    s.nodes_at_end = static_cast<int64_t>(cluster_.Nodes().size());
    s.spot_interruption_warnings = spot_warnings_;
    s.rebalance_recommendations = rebalances_;
    s.insufficient_capacity_errors = insufficient_capacity_;
    s.training_jobs_completed = w.training_jobs_completed;
    s.training_jobs_unfinished = workloads_.training_jobs_running();
    s.training_restarts = w.training_restarts;
    s.training_gpu_hours_lost = w.training_gpu_hours_lost;
    s.provisioning_passes = provisioning_passes_;
    s.node_claims_created = claims_created_;
    s.decision_wall_ms = ComputePercentiles(std::move(decision_ms_));
    s.disruption_decision_wall_ms = ComputePercentiles(std::move(disruption_ms_));
    s.disruptions_by_reason = disruptions_by_reason_;
    s.disruption_commands = disruption_commands_;
    s.disruption_commands_abandoned = disruption_abandoned_;
    s.disruption_savings_per_hour = savings_per_hour_;
    s.disruption_savings_usd = savings_usd_;
    s.nodes_expired = nodes_expired_;
    s.events_processed = events_.events_run();
    s.wall_seconds = wall_seconds;
  }

  const Scenario& scenario_;
  const SimulationOptions& options_;
  EventQueue events_;
  SimulatedEc2 ec2_;
  providers::aws::AwsCloudProvider cloud_;
  SimulatedCluster cluster_;
  Kubelet kubelet_;
  KubeScheduler scheduler_;
  WorkloadDriver workloads_;
  controllers::Provisioner provisioner_;
  controllers::NodeClaimLifecycle lifecycle_;
  controllers::Termination termination_;
  controllers::Interruption interruption_;
  controllers::Expiration expiration_;
  controllers::disruption::DisruptionController disruption_;
  InvariantMonitor monitor_;

  RunResult result_;
  uint64_t reconciled_generation_ = ~uint64_t{0};
  uint64_t scheduled_generation_ = ~uint64_t{0};
  bool provisioning_scheduled_ = false;
  uint64_t disrupted_generation_ = ~uint64_t{0};
  Duration disrupted_at_ = 0;
  bool deletions_pending_ = false;
  std::vector<double> ttr_;
  std::map<std::string, std::vector<double>> phases_;
  std::vector<double> decision_ms_;
  std::vector<double> disruption_ms_;
  std::map<std::string, int64_t> disruptions_by_reason_;
  int64_t disruption_commands_ = 0, disruption_abandoned_ = 0, nodes_expired_ = 0;
  double savings_per_hour_ = 0, savings_usd_ = 0;
  int64_t provisioning_passes_ = 0, claims_created_ = 0, nodes_launched_ = 0;
  int64_t spot_warnings_ = 0, rebalances_ = 0, insufficient_capacity_ = 0;
  std::map<std::string, int64_t> launched_by_capacity_type_;
  std::map<std::string, int64_t> terminated_by_reason_;
};

}  // namespace

Result<RunResult> RunSimulation(const Scenario& scenario, const catalog::Catalog& catalog,
                                const SimulationOptions& options) {
  for (const model::NodePool& pool : scenario.node_pools) {
    bool found = false;
    for (const auto& nc : scenario.node_classes) found = found || nc.meta.name == pool.node_class_ref.name;
    if (!found) {
      return Error::InvalidArgument("NodePool " + pool.meta.name + ": EC2NodeClass \"" + pool.node_class_ref.name +
                                    "\" is not in the scenario");
    }
  }
  auto traces = LoadTraces(scenario);
  if (!traces.ok()) return traces.error();
  World world(scenario, catalog, options, std::move(traces).value());
  return world.Run();
}

}  // namespace adze::sim
