// `adze controller`: the autoscaler on a real (or twin) Kubernetes cluster —
// the operator (controllers/operator) over KubeCluster (adapters/kube), a
// cloud provider, and the wall clock. Leader election on a Lease (15 s lease,
// 10 s renew deadline, 2 s retry; released on SIGTERM), /metrics in the
// Prometheus text format, /healthz and /readyz (ready once the caches synced
// and the CRDs are present), JSON logs on stderr, settings by flag or by
// Karpenter's environment variable names.
// Cloud providers: kwok (Create picks an offering of the catalog and answers
// at once; `adze twin` registers the Node). The AWS provider over the EC2 API
// adapter is wired separately.
// Thread-safety: not thread-safe (a command runs once).
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "cli/disruption_flags.h"

namespace adze::cli {

struct ControllerOptions {
  std::string kubeconfig;  // "" : in-cluster when KUBERNETES_SERVICE_HOST is set, else $KUBECONFIG / ~/.kube/config
  std::string context;
  std::string cloud_provider = "kwok";
  std::string cluster_name;  // CLUSTER_NAME
  std::string bind_address = "0.0.0.0";
  int metrics_port = 8080;                                         // METRICS_PORT
  int health_probe_port = 8081;                                    // HEALTH_PROBE_PORT
  bool disable_leader_election = false;                            // DISABLE_LEADER_ELECTION
  std::string leader_election_name = "karpenter-leader-election";  // LEADER_ELECTION_NAME
  std::string leader_election_namespace = "kube-system";           // SYSTEM_NAMESPACE
  std::string identity;                                            // default: hostname_pid
  std::string batch_idle = "1s";                                   // BATCH_IDLE_DURATION
  std::string batch_max = "10s";                                   // BATCH_MAX_DURATION
  std::string feature_gates;                                       // FEATURE_GATES, e.g. SpotToSpotConsolidation=true
  std::string log_level = "info";                                  // LOG_LEVEL
  std::string packer = "adze";                                     // adze | karpenter (as adze simulate)
  std::string disruption = "adze";                                 // adze | karpenter | off
  bool headroom = false;                                           // --headroom: true
  size_t max_replacements = 1;                                     // --max-replacements N
  std::string lost_work_payback = DefaultLostWorkPayback();  // 0: off
  bool size_for_arrivals = true;                                   // --no-arrival-sizing: false
  std::string fewer_nodes_premium = "0";                           // --fewer-nodes-premium 50%
  double kube_client_qps = 200;                                    // KUBE_CLIENT_QPS
  int kube_client_burst = 300;                                     // KUBE_CLIENT_BURST
  std::string region;                                               // --region (AWS provider)
  std::string endpoint_url;                                         // --endpoint-url (AWS provider)
  std::string interruption_queue;                                  // INTERRUPTION_QUEUE (AWS provider only)
};

int RunController(const ControllerOptions& options, std::ostream& err);

void RegisterControllerCommand(CLI::App& app, int& exit_code);

}  // namespace adze::cli
