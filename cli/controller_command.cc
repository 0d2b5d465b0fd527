#include "cli/controller_command.h"

#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/aws/aws_session.h"
#include "adapters/aws/completion_queue.h"
#include "adapters/aws/http_ec2_api.h"
#include "adapters/aws/sqs_interruption_queue.h"
#include "adapters/kube/kube_cluster.h"
#include "adapters/kube/leader_elector.h"
#include "adapters/kube/object_codec.h"
#include "adapters/kube/prometheus_metrics.h"
#include "adapters/kube/rest_client.h"
#include "adapters/kube/rest_config.h"
#include "adapters/kube/wall_clock.h"
#include "adapters/twin/kwok_cloud_provider.h"
#include "catalog/catalog.h"
#include "cli/disruption_flags.h"
#include "cli/packer_flags.h"
#include "controllers/operator.h"
#include "providers/aws/aws_cloud_provider.h"
#include "providers/aws/node_class_hash.h"
#include "model/duration.h"

namespace adze::cli {
namespace aws = adapters::aws;

namespace {

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }

// Structured logs, one JSON object a line, as Karpenter's zap logger writes.
class Logger {
 public:
  Logger(std::ostream& out, std::string level) : out_(out), debug_(level == "debug") {}
  void Log(const std::string& level, const std::string& message, nlohmann::json fields = nlohmann::json::object()) {
    if (level == "DEBUG" && !debug_) return;
    fields["level"] = level;
    fields["time"] = kube::FormatTimestamp(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    fields["logger"] = "controller";
    fields["message"] = message;
    std::lock_guard lock(mu_);
    out_ << fields.dump() << std::endl;
  }

 private:
  std::ostream& out_;
  bool debug_;
  std::mutex mu_;
};

// Decisions become log lines and Kubernetes Events.
class EventListener : public controllers::OperatorListener {
 public:
  EventListener(kube::KubeCluster& cluster, Logger& log) : cluster_(cluster), log_(log) {}
  void OnProvisioned(const controllers::ProvisioningResult& r) override {
    if (r.created_claims.empty() && r.unschedulable == 0) return;
    log_.Log("INFO", "computed new nodeclaim(s) to fit pod(s)",
             {{"nodeclaims", r.created_claims.size()}, {"pods", r.pods}, {"unschedulable", r.unschedulable}});
    for (const std::string& reason : r.unschedulable_reasons) {
      size_t colon = reason.find(": ");
      std::string pod = reason.substr(0, colon);
      size_t slash = pod.find('/');
      if (colon == std::string::npos || slash == std::string::npos) continue;
      // One event per pod and reason a minute, as the recorder's dedup would.
      auto now = std::chrono::steady_clock::now();
      auto [it, fresh] = recorded_.try_emplace(reason, now);
      if (!fresh && now - it->second < std::chrono::minutes(1)) continue;
      it->second = now;
      cluster_.RecordEvent("Pod", pod.substr(0, slash), pod.substr(slash + 1), "FailedScheduling",
                           "Failed to schedule pod, " + reason.substr(colon + 2), true);
    }
  }
  void OnClaimLaunched(const ports::NodeClaimInfo& c) override {
    log_.Log("INFO", "launched nodeclaim",
             {{"NodeClaim", c.claim.meta.name},
              {"provider-id", c.claim.provider_id},
              {"instance-type", c.instance_type},
              {"zone", c.zone},
              {"capacity-type", c.capacity_type}});
  }
  void OnInsufficientCapacity(const std::string& claim) override {
    log_.Log("ERROR", "insufficient capacity", {{"NodeClaim", claim}});
    cluster_.RecordEvent("NodeClaim", "", claim, "InsufficientCapacityError", "no offering had capacity", true);
  }
  void OnClaimInitialized(const std::string& claim) override {
    log_.Log("INFO", "initialized nodeclaim", {{"NodeClaim", claim}});
  }
  void OnDeletionRequested(const std::string& claim, const std::string& reason) override {
    log_.Log("INFO", "disrupting nodeclaim", {{"NodeClaim", claim}, {"reason", reason}});
  }
  void OnClaimTerminated(const std::string& claim, const std::string& reason) override {
    log_.Log("INFO", "deleted nodeclaim", {{"NodeClaim", claim}, {"reason", reason}});
  }
  // Voluntary disruptions: one line per candidate when the command is
  // decided (from then on it counts against the pool's budget), and when a
  // command is abandoned (the node stays).
  void OnDisruption(const controllers::disruption::DisruptionResult& r) override {
    for (const controllers::disruption::Command& c : r.decided) {
      for (const std::string& claim : c.candidates) {
        log_.Log("INFO", "disrupting nodeclaim",
                 {{"NodeClaim", claim},
                  {"reason", std::string(model::DisruptionReasonName(c.reason))},
                  {"replacements", c.replacements.size()},
                  {"savings-per-hour", c.savings_per_hour},
                  {"lost-work-usd", c.lost_work_usd}});
      }
    }
    for (const auto& [c, why] : r.abandoned) {
      for (const std::string& claim : c.candidates) {
        log_.Log("INFO", "abandoned disruption", {{"NodeClaim", claim}, {"why", why}});
      }
    }
  }
  void OnOrphanInstanceTerminated(const ports::Instance& i) override {
    log_.Log("INFO", "garbage collected instance without a nodeclaim",
             {{"instance", i.id}, {"instance-type", i.instance_type}, {"NodeClaim", i.node_claim}});
  }

 private:
  kube::KubeCluster& cluster_;
  Logger& log_;
  std::map<std::string, std::chrono::steady_clock::time_point> recorded_;
};

// No interruption queue configured (the KWOK provider has none).
class NoQueue final : public ports::InterruptionQueue {
 public:
  Result<std::vector<ports::InterruptionMessage>> Receive(int, model::Duration) override {
    return std::vector<ports::InterruptionMessage>{};
  }
  Status Delete(const std::string& h) override { return Error::NotFound(h); }
};

// What the AWS provider resolved an EC2NodeClass from: its static hash and
// its selector terms. A change (or a new class) is handed to the provider.
uint64_t NodeClassVersion(const model::EC2NodeClass& nc) {
  return providers::aws::Hasher()
      .AddU64(providers::aws::StaticHash(nc))
      .AddTerms(nc.ami_selector_terms)
      .AddTerms(nc.subnet_selector_terms)
      .AddTerms(nc.security_group_selector_terms)
      .AddTerms(nc.capacity_reservation_selector_terms)
      .value();
}

Result<model::Duration> ParseFlagDuration(const std::string& flag, const std::string& text) {
  auto d = model::ParseDuration(text);
  if (!d.ok() || *d <= 0)
    return Error::InvalidArgument(flag + " " + text + ": expected a positive duration such as 1s");
  return *d;
}

}  // namespace

int RunController(const ControllerOptions& options, std::ostream& err) {
  Logger log(err, options.log_level);
  // The AWS side (--cloud-provider aws): one session (region, endpoints,
  // credentials chain, retries) for EC2, SSM, Pricing and SQS. CreateFleet
  // answers come back through `completions`, drained by the loop below, so
  // the operator only ever runs on this thread.
  aws::CompletionQueue completions;
  std::unique_ptr<aws::AwsSession> aws_session;
  std::unique_ptr<aws::HttpEc2Api> ec2;
  std::unique_ptr<aws::SqsInterruptionQueue> sqs;
  auto aws_log = [&log](std::string_view line) { log.Log("INFO", std::string(line), {}); };
  if (options.cloud_provider == "aws") {
    auto session = aws::AwsSession::Create(
        aws::AwsConfigFlags{.region = options.region, .endpoint_url = options.endpoint_url},
        [](std::string_view name) -> std::optional<std::string> {
          const char* v = std::getenv(std::string(name).c_str());
          return v ? std::optional<std::string>(v) : std::nullopt;
        },
        aws_log);
    if (!session.ok()) {
      err << "adze controller: " << session.error().message << "\n";
      return 2;
    }
    aws_session = std::move(*session);
    if (!options.interruption_queue.empty()) {
      // A queue that does not exist (or may not be read) is a configuration
      // error; throttling and server errors at start-up are waited out.
      for (auto wait = std::chrono::seconds(1);; wait = std::min(wait * 2, std::chrono::seconds(30))) {
        auto q = aws::SqsInterruptionQueue::Open(aws_session->sqs(), options.interruption_queue, aws_log);
        if (q.ok()) {
          sqs = std::move(*q);
          break;
        }
        const ErrorCode code = q.error().code;
        if (code != ErrorCode::kThrottled && code != ErrorCode::kUnavailable && code != ErrorCode::kInternal &&
            code != ErrorCode::kDeadlineExceeded) {
          err << "adze controller: --interruption-queue " << options.interruption_queue << ": " << q.error().message
              << "\n";
          return 2;
        }
        log.Log("ERROR", "interruption queue not reachable, retrying",
                {{"queue", options.interruption_queue}, {"error", q.error().message}, {"retry-in-seconds", wait.count()}});
        std::this_thread::sleep_for(wait);
      }
    }
  }
  auto batch_idle = ParseFlagDuration("--batch-idle-duration", options.batch_idle);
  auto batch_max = ParseFlagDuration("--batch-max-duration", options.batch_max);
  if (!batch_idle.ok() || !batch_max.ok()) {
    err << "adze controller: " << (!batch_idle.ok() ? batch_idle.error().message : batch_max.error().message) << "\n";
    return 2;
  }
  Result<model::Duration> lost_work_payback = ParseLostWorkPayback(options.lost_work_payback);
  if (!lost_work_payback.ok()) {
    err << "adze controller: --lost-work-payback: " << lost_work_payback.error().message << "\n";
    return 2;
  }
  Result<double> fewer_nodes_premium = ParseFewerNodesPremium(options.fewer_nodes_premium);
  if (!fewer_nodes_premium.ok()) {
    err << "adze controller: --fewer-nodes-premium: " << fewer_nodes_premium.error().message << "\n";
    return 2;
  }
  if (options.packer != "adze" && options.packer != "karpenter") {
    err << "adze controller: --packer " << options.packer << ": expected adze or karpenter\n";
    return 2;
  }
  if (options.disruption != "adze" && options.disruption != "karpenter" && options.disruption != "off") {
    err << "adze controller: --disruption " << options.disruption << ": expected adze, karpenter or off\n";
    return 2;
  }
  if (options.headroom && options.disruption != "adze") {
    err << "adze controller: warning: --headroom has no effect with --disruption " << options.disruption << "\n";
  }
  if (!options.size_for_arrivals && options.packer != "adze") {
    err << "adze controller: warning: --no-arrival-sizing has no effect with --packer " << options.packer << "\n";
  }
  if (*fewer_nodes_premium > 0 && options.packer != "adze") {
    err << "adze controller: warning: --fewer-nodes-premium has no effect with --packer " << options.packer << "\n";
  }
  controllers::OperatorOptions op_options;
  op_options.packer = options.packer == "karpenter" ? scheduling::Packer::kKarpenter : scheduling::Packer::kAdze;
  op_options.disruption = options.disruption == "karpenter" ? controllers::DisruptionMode::kKarpenter
                          : options.disruption == "off"     ? controllers::DisruptionMode::kOff
                                                            : controllers::DisruptionMode::kAdze;
  op_options.headroom = options.headroom;
  op_options.max_replacements = options.max_replacements;
  op_options.lost_work_payback = *lost_work_payback;
  op_options.size_for_arrivals = options.size_for_arrivals;
  op_options.fewer_nodes_premium = *fewer_nodes_premium;
  op_options.coalesce_launch_completions = true;
  op_options.controllers.batch_idle = *batch_idle;
  op_options.controllers.batch_max = *batch_max;
  if (options.feature_gates.find("SpotToSpotConsolidation=true") != std::string::npos) {
    op_options.controllers.spot_to_spot_consolidation = true;
  }

  Result<kube::RestConfig> config = Error::NotFound("");
  if (options.kubeconfig.empty() && std::getenv("KUBERNETES_SERVICE_HOST") != nullptr) {
    config = kube::InClusterConfig();
  } else {
    config = kube::LoadKubeconfig(options.kubeconfig, options.context);
  }
  if (!config.ok()) {
    err << "adze controller: " << config.error().message << "\n";
    return 2;
  }
  kube::ClientOptions client_options;
  client_options.qps = options.kube_client_qps;
  client_options.burst = options.kube_client_burst;
  kube::RestClient client(*config, client_options);
  kube::WallClock clock;
  kube::KubeCluster cluster(client, [&clock] { return clock.Now(); });
  kube::PrometheusMetrics metrics;
  metrics.Declare("karpenter_nodeclaims_created_total", "counter", "Number of nodeclaims created.");
  metrics.Declare("karpenter_nodeclaims_terminated_total", "counter", "Number of nodeclaims terminated.");
  metrics.Declare("karpenter_nodeclaims_disrupted_total", "counter", "Number of nodeclaims disrupted.");
  metrics.Declare("karpenter_scheduler_scheduling_duration_seconds", "histogram",
                  "Duration of scheduling simulations used for deprovisioning and provisioning in seconds.");
  metrics.Declare("karpenter_scheduler_queue_depth", "gauge", "The number of pods waiting to be scheduled.");
  metrics.Declare("karpenter_cloudprovider_errors_total", "counter",
                  "Total number of errors returned from CloudProvider calls.");
  metrics.Declare("adze_controller_leader", "gauge", "1 when this replica holds the leader lease.");
  metrics.Declare("adze_kube_informer_relists_total", "counter", "Watches that expired (410) and were relisted.");

  std::string identity = options.identity;
  if (identity.empty()) {
    char host[256] = {0};
    gethostname(host, sizeof host - 1);
    identity = std::string(host) + "_" + std::to_string(getpid());
  }

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  std::atomic<bool> ready{false};
  httplib::Server metrics_server;
  metrics_server.Get("/metrics", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  httplib::Server health_server;
  health_server.Get("/healthz",
                    [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  health_server.Get("/readyz", [&](const httplib::Request&, httplib::Response& res) {
    res.status = ready.load() ? 200 : 503;
    res.set_content(ready.load() ? "ok" : "caches not synced or CRDs missing", "text/plain");
  });
  if (!metrics_server.bind_to_port(options.bind_address, options.metrics_port) ||
      !health_server.bind_to_port(options.bind_address, options.health_probe_port)) {
    err << "adze controller: cannot listen on " << options.bind_address << ":" << options.metrics_port
        << " and :" << options.health_probe_port << "\n";
    return 1;
  }
  std::thread metrics_thread([&] { metrics_server.listen_after_bind(); });
  std::thread health_thread([&] { health_server.listen_after_bind(); });

  cluster.Start();
  log.Log("INFO", "starting controller",
          {{"identity", identity},
           {"server", config->server},
           {"cloud-provider", options.cloud_provider},
           {"cluster-name", options.cluster_name},
           {"metrics-port", options.metrics_port},
           {"health-probe-port", options.health_probe_port}});

  const catalog::Catalog& catalog = catalog::Catalog::Embedded();
  twin::KwokCloudProvider cloud(
      catalog, clock, [&](const std::string& n) { return cluster.GetNodeClass(n); },
      [&] {
        std::vector<ports::NodeClaimInfo> out;
        const auto snapshot = cluster.Snapshot();  // held: the claims point into it
        for (const ports::NodeClaimInfo* c : snapshot->NodeClaims()) out.push_back(*c);
        return out;
      });
  NoQueue no_queue;
  ports::InterruptionQueue& queue = sqs ? static_cast<ports::InterruptionQueue&>(*sqs) : no_queue;
  // The AWS provider is built once the caches hold the EC2NodeClasses.
  std::unique_ptr<providers::aws::AwsCloudProvider> aws_cloud;
  std::map<std::string, uint64_t> node_class_versions;  // what aws_cloud was given, by name
  ports::SteadyStopwatch stopwatch;
  EventListener listener(cluster, log);
  std::unique_ptr<controllers::Operator> op;

  kube::LeaderElectionOptions le;
  le.name = options.leader_election_name;
  le.namespace_ = options.leader_election_namespace;
  le.identity = identity;
  kube::LeaderElector elector(client, le);
  std::atomic<bool> stop_election{false};
  std::thread election;
  if (!options.disable_leader_election) election = std::thread([&] { elector.Run(stop_election); });
  auto next_tick = std::chrono::steady_clock::now();
  bool crds_ok = false;
  bool was_leader = false;
  uint64_t scanned_generation = ~uint64_t{0};
  auto last_scan = std::chrono::steady_clock::time_point{};
  int exit_code = 0;
  while (!g_stop.load()) {
    auto now = std::chrono::steady_clock::now();
    if (!crds_ok && cluster.Synced()) {
      std::vector<std::string> missing = cluster.MissingCrds();
      crds_ok = missing.empty();
      if (!crds_ok) log.Log("ERROR", "CustomResourceDefinitions missing", {{"crds", missing}});
    }
    ready.store(crds_ok && cluster.Synced());
    const bool leader = options.disable_leader_election || elector.leading();
    metrics.Set("adze_controller_leader", leader ? 1 : 0);
    if (was_leader && !leader) {
      // As client-go's OnStoppedLeading: stop acting at once; a restarted
      // process starts over as a candidate.
      log.Log("ERROR", "leader election lost", {{"identity", identity}});
      exit_code = 1;
      break;
    }
    if (leader && !was_leader)
      log.Log("INFO", "successfully acquired lease", {{"lease", le.namespace_ + "/" + le.name}});
    was_leader = leader;
    clock.RunDue();
    completions.RunPending();  // CreateFleet answers, on this thread
    if (op) op->ApplyCompletedLaunches();  // all of them in one lifecycle pass
    // Unschedulable pods are looked for within 100 ms of the informers
    // changing something, not only once a tick: the batch window, not this
    // loop, is what a pending pod waits for, as Karpenter's pod watch
    // triggers at once (at most every 100 ms: a snapshot of a large cluster
    // is not free). Once a second regardless, so that a pod no pass could
    // place (a NodeClass not ready yet) is tried again.
    if (op && leader && ready.load() && now >= last_scan + std::chrono::milliseconds(100)) {
      auto snapshot = cluster.Snapshot();
      if (snapshot->generation() != scanned_generation || now >= last_scan + std::chrono::seconds(1)) {
        scanned_generation = snapshot->generation();
        last_scan = now;
        std::vector<std::string> unschedulable;
        for (const ports::PodInfo* p : snapshot->PendingPods()) {
          if (p->unschedulable) unschedulable.push_back(p->pod.meta.name);
        }
        metrics.Set("karpenter_scheduler_queue_depth", static_cast<double>(unschedulable.size()));
        if (!unschedulable.empty()) op->OnUnschedulable(unschedulable);
      }
    }
    if (leader && ready.load() && now >= next_tick) {
      if (!op) {
        ports::CloudProvider* provider = &cloud;
        if (aws_session) {
          aws::HttpEc2ApiOptions ec2_options;
          ec2_options.controller_now = [&clock] { return clock.Now(); };
          ec2_options.pricing_region = aws_session->config().region();
          ec2 = std::make_unique<aws::HttpEc2Api>(aws_session->ec2(), aws_session->ssm(), aws_session->pricing(),
                                                  completions.Poster(), ec2_options);
          catalog::CapacityOptions base;
          base.region = aws_session->config().region();
          providers::aws::AwsProviderOptions provider_options;
          if (!options.cluster_name.empty()) provider_options.cluster_name = options.cluster_name;
          std::vector<model::EC2NodeClass> node_classes = cluster.NodeClasses();
          for (const model::EC2NodeClass& nc : node_classes) node_class_versions[nc.meta.name] = NodeClassVersion(nc);
          aws_cloud = std::make_unique<providers::aws::AwsCloudProvider>(
              *ec2, clock, completions.Poster(), std::move(node_classes), base, provider_options);
          provider = aws_cloud.get();
        }
        op = std::make_unique<controllers::Operator>(
            controllers::OperatorPorts{cluster, *provider, queue, clock, metrics, stopwatch}, op_options, &listener);
      }
      next_tick = now + std::chrono::seconds(1);
      if (aws_cloud) {
        // EC2NodeClasses applied or changed after the start.
        for (const model::EC2NodeClass& nc : cluster.NodeClasses()) {
          const uint64_t version = NodeClassVersion(nc);
          auto [it, fresh] = node_class_versions.try_emplace(nc.meta.name, version);
          if (!fresh && it->second == version) continue;
          it->second = version;
          aws_cloud->UpdateNodeClass(nc);
        }
      }
      op->Tick();
      kube::InformerStats stats = cluster.Stats();
      metrics.Set("adze_kube_informer_watches", static_cast<double>(stats.watches));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Graceful shutdown: KWOK launches complete at once; AWS launches in flight
  // are waited for (up to 30 s) so that each instance reaches its claim (or
  // is terminated by the provider) before the process ends. Then the lease
  // is given up so a standby takes over now.
  if (exit_code == 0) clock.RunDue();  // a replica that lost the lease acts no more
  auto launching = [&cluster] {
    const auto snapshot = cluster.Snapshot();
    for (const ports::NodeClaimInfo* c : snapshot->NodeClaims()) {
      if (!c->launched_at && !c->deletion_requested_at) return true;
    }
    return false;
  };
  for (int i = 0; ec2 && i < 30 && (completions.pending() > 0 || launching()); ++i) {
    completions.WaitAndRunPending(model::kSecond);
    if (op) op->ApplyCompletedLaunches();
  }
  stop_election.store(true);
  if (election.joinable()) election.join();
  if (!options.disable_leader_election) elector.Release();
  log.Log("INFO", "stopping controller", {{"identity", identity}});
  cluster.Stop();
  metrics_server.stop();
  health_server.stop();
  metrics_thread.join();
  health_thread.join();
  return exit_code;
}

void RegisterControllerCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ControllerOptions>();
  CLI::App* cmd = app.add_subcommand("controller", "Run the autoscaler against a Kubernetes API server");
  cmd->add_option("--kubeconfig", o->kubeconfig, "Kubeconfig file (default: in-cluster, else $KUBECONFIG)")
      ->envname("KUBECONFIG");
  cmd->add_option("--context", o->context, "Kubeconfig context (default: current-context)");
  cmd->add_option("--cloud-provider", o->cloud_provider, "Cloud provider: aws (EC2 over adapters/aws) or kwok (nodes made by adze twin)")->check(CLI::IsMember({"kwok", "aws"}));
  cmd->add_option("--cluster-name", o->cluster_name, "Cluster name (tags, discovery)")->envname("CLUSTER_NAME");
  cmd->add_option("--bind-address", o->bind_address, "Address the metrics and health servers listen on");
  cmd->add_option("--metrics-port", o->metrics_port, "Port of /metrics")
      ->envname("METRICS_PORT")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--health-probe-port", o->health_probe_port, "Port of /healthz and /readyz")
      ->envname("HEALTH_PROBE_PORT")
      ->check(CLI::Range(0, 65535));
  cmd->add_flag("--disable-leader-election", o->disable_leader_election, "Act without holding the lease")
      ->envname("DISABLE_LEADER_ELECTION");
  cmd->add_option("--leader-election-name", o->leader_election_name, "Name of the Lease")
      ->envname("LEADER_ELECTION_NAME");
  cmd->add_option("--leader-election-namespace", o->leader_election_namespace, "Namespace of the Lease")
      ->envname("SYSTEM_NAMESPACE");
  cmd->add_option("--identity", o->identity, "Holder identity in the Lease (default: hostname_pid)");
  cmd->add_option("--batch-idle-duration", o->batch_idle, "Provisioning batch idle window")
      ->envname("BATCH_IDLE_DURATION");
  cmd->add_option("--batch-max-duration", o->batch_max, "Provisioning batch maximum")->envname("BATCH_MAX_DURATION");
  cmd->add_option("--feature-gates", o->feature_gates, "Feature gates, e.g. SpotToSpotConsolidation=true")
      ->envname("FEATURE_GATES");
  cmd->add_option("--packer", o->packer, "Provisioning packer: adze or karpenter")->capture_default_str();
  cmd->add_option("--disruption", o->disruption,
                  "Disruption: adze (whole-cluster consolidation), karpenter (Karpenter's reference limits) or off")
      ->capture_default_str();
  cmd->add_flag_callback("--headroom", [o] { o->headroom = true; },
                         "adze disruption: keep room for each pool's recent demand, so arrivals start without a "
                         "cold start, at the price of idle capacity (per pool: annotation adze.dev/headroom)");
  cmd->add_option("--max-replacements", o->max_replacements,
                  "adze disruption: nodes one consolidation may launch to replace the ones it removes (Karpenter: 1)")
      ->check(CLI::Range(size_t{1}, size_t{1000}))
      ->capture_default_str();
  cmd->add_option("--lost-work-payback", o->lost_work_payback, kLostWorkPaybackHelp)->capture_default_str();
  cmd->add_flag_callback("--no-headroom", [o] { o->headroom = false; },
                         "No headroom in pools without the annotation (the default; Karpenter keeps none)");
  cmd->add_flag_callback("--no-arrival-sizing", [o] { o->size_for_arrivals = false; },
                         "adze packer: size new claims for the pods of the batch only, not also for the pods their "
                         "pool expects before the claims are ready");
  cmd->add_option("--fewer-nodes-premium", o->fewer_nodes_premium, kFewerNodesPremiumHelp)->capture_default_str();
  cmd->add_option("--log-level", o->log_level, "debug, info or error")
      ->envname("LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "error"}));
  cmd->add_option("--kube-client-qps", o->kube_client_qps, "Client-side QPS limit")->envname("KUBE_CLIENT_QPS");
  cmd->add_option("--kube-client-burst", o->kube_client_burst, "Client-side burst")->envname("KUBE_CLIENT_BURST");
  cmd->add_option("--interruption-queue", o->interruption_queue, "SQS queue of interruption events (AWS provider)")
      ->envname("INTERRUPTION_QUEUE");
  cmd->add_option("--region", o->region, "AWS region (default: AWS_REGION, the profile's)");
  cmd->add_option("--endpoint-url", o->endpoint_url, "Endpoint for every AWS service (a local fake or twin)");
  cmd->callback([o, &exit_code] { exit_code = RunController(*o, std::cerr); });
}

}  // namespace adze::cli
