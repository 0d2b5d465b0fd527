#include "sim/simulation.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "controllers/daemon_overhead.h"
#include "controllers/operator.h"
#include "providers/aws/aws_cloud_provider.h"
#include "ports/metrics_registry.h"
#include "ports/stopwatch.h"
#include "sim/alibaba_trace.h"
#include "sim/ec2/simulated_ec2.h"
#include "sim/embedded_trace.h"
#include "sim/event_queue.h"
#include "sim/invariant_monitor.h"
#include "sim/kube_scheduler.h"
#include "sim/kubelet.h"
#include "sim/run_lower_bound.h"
#include "sim/sim_clock.h"
#include "sim/simulated_cluster.h"
#include "sim/workload_driver.h"

namespace adze::sim {
namespace {

using model::Duration;
using model::kHour;
using model::kMinute;
using model::kSecond;
using WallClock = std::chrono::steady_clock;

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

controllers::OperatorOptions OperatorOptionsOf(const Scenario& scenario, const SimulationOptions& options) {
  controllers::OperatorOptions o;
  o.controllers = scenario.controllers;
  o.packer = options.karpenter_packer ? scheduling::Packer::kKarpenter : scheduling::Packer::kAdze;
  o.disruption = options.disruption == SimulationOptions::Disruption::kKarpenter ? controllers::DisruptionMode::kKarpenter
                 : options.disruption == SimulationOptions::Disruption::kOff   ? controllers::DisruptionMode::kOff
                                                                               : controllers::DisruptionMode::kAdze;
  o.headroom = options.headroom;
  o.max_replacements = options.max_replacements;
  o.lost_work_payback = options.lost_work_payback;
  o.size_for_arrivals = options.size_for_arrivals;
  o.fewer_nodes_premium = options.fewer_nodes_premium;
  return o;
}

// The simulated world, and adze's operator running on it through the ports.
// The world reacts to what the operator decides (a launched claim boots a
// simulated kubelet) and records it.
class World : private controllers::OperatorListener {
 public:
  World(const Scenario& scenario, const catalog::Catalog& catalog, const SimulationOptions& options,
        std::vector<std::vector<AlibabaTask>> traces)
      : scenario_(scenario),
        options_(options),
        clock_(events_, scenario.start_unix_micros),
        ec2_(catalog, scenario.ec2, CapacityOptionsOf(scenario), events_, scenario.seed),
        // Results reach the controllers as events of their own, never inside the call.
        cloud_(ec2_, clock_, [this](std::function<void()> task) { events_.After(0, std::move(task)); },
               scenario.node_classes, CapacityOptionsOf(scenario)),
        cluster_(clock_, scenario.node_pools, scenario.cluster.daemon_sets, scenario.pdbs),
        kubelet_(clock_, cluster_, scenario,
                 [this](const std::string& pod, const StartupPhases& p) { OnPodRunning(pod, p); }),
        // Karpenter's provisioner does not publish nominatedNodeName.
        scheduler_(cluster_, kubelet_, /*sees_nominations=*/!options.karpenter_packer),
        workloads_(events_, cluster_, scenario, std::move(traces)),
        monitor_(cluster_, cloud_) {
    if (options_.autoscaler) {
      autoscaler_ = options_.autoscaler(AutoscalerWorld{scenario_, catalog, events_, clock_, cluster_, ec2_, kubelet_,
                                                        metrics_, [this](nlohmann::json e) { Record(std::move(e)); }});
    } else {
      operator_ = std::make_unique<controllers::Operator>(
          controllers::OperatorPorts{cluster_, cloud_, ec2_, clock_, metrics_, stopwatch_},
          OperatorOptionsOf(scenario, options), static_cast<controllers::OperatorListener*>(this));
    }
    cluster_.SetPodEndListener([this](const ports::PodInfo& pod, PodEndReason reason) {
      if (options_.check_invariants) monitor_.OnPodEnd(pod, reason, clock_.Now());
      if (pod.bound_at < 0) ++ended_unscheduled_;
      if (reason == PodEndReason::kEvicted || reason == PodEndReason::kNodeLost) {
        Record({{"type", reason == PodEndReason::kEvicted ? "pod_evicted" : "pod_lost"},
                {"pod", pod.pod.meta.name},
                {"node", pod.pod.node_name}});
      }
      workloads_.OnPodEnd(pod, reason);
    });
  }

  RunResult Run() {
    const auto wall_start = WallClock::now();
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
    run_lower_bound_.Prime(cluster_.NodePools());  // offerings before any capacity error
    Every(kSecond, [this] { Tick(); });
    Every(kMinute, [this] { Sample(); });
    if (options_.on_progress) {
      Every(kHour, [this, wall_start] {
        options_.on_progress(Progress{events_.Now(), scenario_.duration, events_.events_run(),
                                      std::chrono::duration<double>(WallClock::now() - wall_start).count()});
      });
    }
    events_.RunUntil(scenario_.duration);
    workloads_.Finish();
    // A pod still pending after 15 minutes (two GPU boots, an image pull) was not placed again.
    if (options_.check_invariants) monitor_.CheckFinal(clock_.Now(), 15 * kMinute);
    result_.violations = monitor_.violations();
    Summarize(std::chrono::duration<double>(WallClock::now() - wall_start).count());
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
    if (autoscaler_) {
      autoscaler_->Tick();
    } else {
      operator_->Tick();
    }
    if (options_.check_invariants) monitor_.Check(clock_.Now());
    if (cluster_.generation() != scheduled_generation_) {
      const KubeScheduler::PassResult pass = scheduler_.Pass();
      scheduled_generation_ = cluster_.generation();
      if (autoscaler_) {
        autoscaler_->OnUnschedulable(pass.unschedulable);
      } else {
        operator_->OnUnschedulable(pass.unschedulable);
      }
    }
  }

  // --- controllers::OperatorListener
  void OnProvisioned(const controllers::ProvisioningResult& r) override {
    for (const std::string& why : r.unschedulable_reasons) {
      const size_t colon = why.find(": ");
      if (colon != std::string::npos) unplaced_reason_[why.substr(0, colon)] = why.substr(colon + 2);
    }
    Record({{"type", "provisioning"},
            {"pods", r.pods},
            {"nominated_existing", r.nominated_existing},
            {"claims", r.created_claims},
            {"unschedulable", r.unschedulable_reasons},
            {"cost_per_hour", r.cost_per_hour}});
  }

  void OnClaimLaunched(const ports::NodeClaimInfo& claim) override {
    Record({{"type", "claim_launched"},
            {"claim", claim.claim.meta.name},
            {"instance_type", claim.instance_type},
            {"zone", claim.zone},
            {"capacity_type", claim.capacity_type},
            {"price_per_hour", claim.price_per_hour}});
    // The instance boots: a simulated kubelet registers its node.
    const model::NodePool* pool = nullptr;
    for (const auto& p : scenario_.node_pools) {
      if (p.meta.name == claim.node_pool) pool = &p;
    }
    const model::ResourceList overhead =
        pool == nullptr ? model::ResourceList{}
                        : controllers::DaemonOverhead(scenario_.cluster.daemon_sets, *pool, claim.claim.meta.labels);
    const int32_t gpus = static_cast<int32_t>(claim.claim.capacity.Get(model::resource::kNvidiaGpu).Value());
    kubelet_.Boot(claim, gpus, overhead);
  }

  void OnInsufficientCapacity(const std::string& claim) override {
    Record({{"type", "insufficient_capacity"}, {"claim", claim}});
  }

  void OnClaimInitialized(const std::string& claim) override {
    Record({{"type", "claim_initialized"}, {"claim", claim}});
  }

  void OnDeletionRequested(const std::string& claim, const std::string& reason) override {
    Record({{"type", "claim_deletion_requested"}, {"claim", claim}, {"reason", reason}});
  }

  void OnClaimTerminated(const std::string& claim, const std::string& reason) override {
    Record({{"type", "claim_terminated"}, {"claim", claim}, {"reason", reason}});
  }

  void OnDisruption(const controllers::disruption::DisruptionResult& r) override {
    for (const auto& c : r.decided) {
      Record({{"type", "disruption_decided"},
              {"method", controllers::disruption::MethodName(c.method)},
              {"reason", model::DisruptionReasonName(c.reason)},
              {"candidates", c.candidates},
              {"replacements", c.replacements.size()},
              {"savings_per_hour", c.savings_per_hour},
              {"lost_work_usd", c.lost_work_usd}});
    }
    for (const auto& [c, why] : r.abandoned) {
      Record({{"type", "disruption_abandoned"}, {"candidates", c.candidates}, {"why", why}});
    }
    for (const auto& c : r.executed) {
      if (options_.check_invariants) monitor_.OnExecuted(c, clock_.Now());
      // What the command saves over the rest of the run.
      savings_usd_ += c.savings_per_hour * ToSeconds(scenario_.duration - events_.Now()) / 3600.0;
      Record({{"type", "disruption_executed"},
              {"method", controllers::disruption::MethodName(c.method)},
              {"reason", model::DisruptionReasonName(c.reason)},
              {"candidates", c.candidates},
              {"replacements", c.replacement_claims},
              {"savings_per_hour", c.savings_per_hour}});
    }
  }

  void OnPodRunning(const std::string& pod, const StartupPhases& p) {
    ttr_.push_back(ToSeconds(p.Total()));
    if (!workloads_.Recreated(pod)) arrivals_ttr_.push_back(ToSeconds(p.Total()));
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
    // The run-level lower bound, one minute at a time (issue 16).
    std::vector<const model::Pod*> requested;
    for (const ports::PodInfo* pod : cluster_.PendingPods()) requested.push_back(&pod->pod);
    for (const ports::NodeInfo* node : cluster_.Nodes()) {
      for (const std::string& name : node->pods) {
        if (const ports::PodInfo* pod = cluster_.GetPod(name)) requested.push_back(&pod->pod);
      }
    }
    run_lower_bound_.Sample(requested, cluster_.NodePools(), scenario_.cluster.daemon_sets, kMinute);
  }

  int64_t Count(std::string_view counter, const ports::MetricLabels& labels = {}) const {
    return static_cast<int64_t>(metrics_.Counter(counter, labels));
  }
  std::map<std::string, int64_t> CountBy(std::string_view counter, const std::string& label) const {
    std::map<std::string, int64_t> out;
    for (const auto& [value, n] : metrics_.CounterBy(counter, label)) out[value] = static_cast<int64_t>(n);
    return out;
  }
  std::vector<double> Milliseconds(std::string_view histogram) const {
    std::vector<double> ms;
    for (double seconds : metrics_.Observations(histogram)) ms.push_back(seconds * 1000);
    return ms;
  }

  // The summary: the world's own measurements, and the operator's metrics.
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
    s.gpu_hours_redone = w.gpu_hours_redone;
    s.lower_bound_usd = run_lower_bound_.usd();
    for (const ports::PodInfo* pod : cluster_.PendingPods()) {
      std::string why;
      if (auto it = unplaced_reason_.find(pod->pod.meta.name); it != unplaced_reason_.end() && pod->unschedulable) {
        why = it->second;
      } else if (!pod->nominated_node_claim.empty()) {
        why = "waiting for its node (nominated to a NodeClaim)";
      } else if (pod->unschedulable) {
        why = "unschedulable, not yet provisioned for";
      } else {
        why = "not yet tried by the scheduler";
      }
      ++s.pending_at_end_by_reason[why];
      if (s.pending_at_end_pods.size() < RunSummary::kPendingListed) s.pending_at_end_pods.emplace_back(pod->pod.meta.name, why);
    }
    s.pods_created = w.pods_created;
    s.pods_completed = w.pods_completed;
    s.pods_evicted = w.pods_evicted;
    s.pods_lost_with_node = w.pods_lost;
    s.pods_pending_at_end = static_cast<int64_t>(cluster_.PendingPods().size());
    s.pods_running_at_end = static_cast<int64_t>(cluster_.pod_count()) - s.pods_pending_at_end;
    s.pods_never_scheduled = s.pods_pending_at_end + ended_unscheduled_;
    s.time_to_running = ComputePercentiles(std::move(ttr_));
    s.time_to_running_of_arrivals = ComputePercentiles(std::move(arrivals_ttr_));
    for (auto& [phase, values] : phases_) s.time_to_running_by_phase[phase] = ComputePercentiles(std::move(values));
    s.nodes_launched_by_capacity_type = CountBy("adze_nodes_launched_total", "capacity_type");
    s.nodes_launched = 0;
    for (const auto& [type, n] : s.nodes_launched_by_capacity_type) s.nodes_launched += n;
    s.nodes_terminated_by_reason = CountBy("adze_nodeclaims_terminated_total", "reason");
    s.nodes_at_end = static_cast<int64_t>(cluster_.Nodes().size());
    s.spot_interruption_warnings = Count("adze_interruption_messages_total", {{"kind", "spot_interrupted"}});
    s.rebalance_recommendations = Count("adze_interruption_messages_total", {{"kind", "rebalance"}});
    s.insufficient_capacity_errors = Count("adze_insufficient_capacity_total");
    s.training_jobs_completed = w.training_jobs_completed;
    s.training_jobs_unfinished = workloads_.training_jobs_running();
    s.training_restarts = w.training_restarts;
    s.training_gpu_hours_lost = w.training_gpu_hours_lost;
    s.provisioning_passes = Count("adze_provisioning_passes_total");
    s.node_claims_created = Count("adze_nodeclaims_created_total");
    s.decision_wall_ms = ComputePercentiles(Milliseconds("adze_provisioning_decision_seconds"));
    s.disruption_decision_wall_ms = ComputePercentiles(Milliseconds("adze_disruption_decision_seconds"));
    s.disruptions_by_reason = CountBy("adze_nodes_disrupted_total", "reason");
    s.disruption_commands = Count("adze_disruption_commands_total");
    s.disruption_commands_abandoned = Count("adze_disruption_commands_abandoned_total");
    s.disruption_savings_per_hour = metrics_.Counter("adze_disruption_savings_per_hour_total");
    s.disruption_savings_usd = savings_usd_;
    s.nodes_expired = Count("adze_nodes_expired_total");
    s.events_processed = events_.events_run();
    s.wall_seconds = wall_seconds;
  }

  const Scenario& scenario_;
  const SimulationOptions& options_;
  EventQueue events_;
  SimClock clock_;
  ports::MetricsRegistry metrics_;
  ports::SteadyStopwatch stopwatch_;
  SimulatedEc2 ec2_;
  providers::aws::AwsCloudProvider cloud_;
  SimulatedCluster cluster_;
  Kubelet kubelet_;
  KubeScheduler scheduler_;
  WorkloadDriver workloads_;
  std::unique_ptr<controllers::Operator> operator_;  // or:
  std::unique_ptr<Autoscaler> autoscaler_;           // a baseline (SimulationOptions::autoscaler)
  InvariantMonitor monitor_;

  RunResult result_;
  uint64_t scheduled_generation_ = ~uint64_t{0};
  std::map<std::string, std::string> unplaced_reason_;  // pod -> the provisioner's last reason
  RunLowerBound run_lower_bound_{cloud_};
  std::vector<double> ttr_;
  std::vector<double> arrivals_ttr_;  // pods not re-created after an eviction
  std::map<std::string, std::vector<double>> phases_;
  double savings_usd_ = 0;
  int64_t ended_unscheduled_ = 0;  // pods that left the cluster without ever being bound
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
