// ClusterAutoscaler: a model of the Kubernetes Cluster Autoscaler (CA) on AWS
// Auto Scaling groups, the baseline `adze compare` runs against adze. It
// follows CA's documented rules and defaults (cluster-autoscaler FAQ,
// "What are the parameters to CA?"), each an option below:
//
// - Every scan_interval (10 s) it looks at the pods the scheduler marked
//   unschedulable. Pods that fit on nodes still coming up (launched, not
//   Ready) wait for them. For the rest, each node group that is below its
//   max and not backing off is an option: its template node (the group's
//   first type, its labels and taints, allocatable less DaemonSets) is
//   filled first-fit with the pods it can take, giving a node count and the
//   pods helped. The expander picks one option and the group grows by that
//   many nodes (capped at max). One group per scan, as CA does without
//   balancing.
// - Expanders: least-waste (the default since CA 1.33: least idle CPU, then
//   memory, share of the added nodes), price (cheapest per pod helped),
//   priority (highest NodeGroup::priority), random, most-pods.
// - A node is unneeded when the requests of its pods are under
//   scale_down_utilization_threshold (0.5) of its allocatable — CPU or
//   memory, whichever is higher; GPU nodes by GPUs, under
//   scale_down_gpu_utilization_threshold (0.5) — and every pod on it can
//   move to another node. It is removed after scale_down_unneeded_time
//   (10 min), but not within scale_down_delay_after_add (10 min) of a scale
//   up, at most max_scale_down_parallelism (10) at once, and never below
//   the group's min. Nodes with a pod that has no controller, a kube-system
//   pod that is not a DaemonSet's, or a pod marked not safe to evict
//   (cluster-autoscaler.kubernetes.io/safe-to-evict: "false"; Karpenter's
//   do-not-disrupt annotation is read the same way, as a team migrating
//   would set both) are skipped.
// - A node not Ready max_node_provision_time (15 min) after the scale-up is
//   removed and its group backs off (5 min, doubling to 30 min); a launch
//   that EC2 refuses (no capacity) backs the group off at once, as CA's AWS
//   provider reports failed scaling activities.
// Thread-safety: none.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ports/random_stream.h"
#include "sim/autoscaler.h"
#include "sim/baselines/auto_scaling_groups.h"
#include "sim/baselines/node_group.h"

namespace adze::sim::baselines {

enum class Expander { kLeastWaste, kPrice, kPriority, kRandom, kMostPods };
// "least-waste", "price", "priority", "random", "most-pods"; nullopt otherwise.
std::optional<Expander> ParseExpander(std::string_view name);
std::string_view ExpanderName(Expander e);

struct ClusterAutoscalerOptions {
  model::Duration scan_interval = 10 * model::kSecond;
  Expander expander = Expander::kLeastWaste;
  double scale_down_utilization_threshold = 0.5;
  double scale_down_gpu_utilization_threshold = 0.5;
  model::Duration scale_down_unneeded_time = 10 * model::kMinute;
  model::Duration scale_down_delay_after_add = 10 * model::kMinute;
  int32_t max_scale_down_parallelism = 10;
  bool skip_nodes_with_local_storage = true;  // the pod model has no emptyDir: no effect (docs/compare.md)
  bool skip_nodes_with_system_pods = true;
  model::Duration max_node_provision_time = 15 * model::kMinute;
  model::Duration initial_backoff = 5 * model::kMinute;
  model::Duration max_backoff = 30 * model::kMinute;
  AsgOptions asg;
};

// The options a scenario's `baselines.clusterAutoscaler` sets.
ClusterAutoscalerOptions OptionsFor(const ClusterAutoscalerSpec& spec);

// What a CA run did, for the fixed fleets sized after it.
struct ClusterAutoscalerStats {
  std::vector<NodeGroup> groups;
  // Per group: the most nodes up at once, and node-minutes (sampled each scan).
  std::vector<int32_t> peak_nodes;
  std::vector<double> node_seconds;
  model::Duration observed = 0;
};

class ClusterAutoscaler : public Autoscaler {
 public:
  // stats, when not null, is filled as the run goes.
  ClusterAutoscaler(const AutoscalerWorld& world, std::vector<NodeGroup> groups, ClusterAutoscalerOptions options,
                    std::shared_ptr<ClusterAutoscalerStats> stats = nullptr);

  void Tick() override;
  void OnUnschedulable(const std::vector<std::string>& pods) override;

 private:
  struct Option {
    size_t group = 0;
    int32_t nodes = 0;
    int32_t pods = 0;
    double waste = 0;  // idle share of the added CPU and memory
    double price = 0;  // $/h of the added nodes
  };
  void Scan();
  void ScaleUp();
  void ScaleDown();
  void RemoveStuck();
  bool Fits(const ports::PodInfo& pod, size_t group) const;
  const Option* Pick(const std::vector<Option>& options);
  bool Movable(const ports::NodeInfo& node, std::map<std::string, model::ResourceList>& free) const;
  double Utilization(const ports::NodeInfo& node) const;

  AutoscalerWorld world_;
  ClusterAutoscalerOptions options_;
  AutoScalingGroups asgs_;
  std::shared_ptr<ClusterAutoscalerStats> stats_;
  ports::RandomStream random_;
  ports::Time next_scan_ = 0;
  ports::Time last_scale_up_ = -1;
  std::map<std::string, ports::Time> unneeded_since_;  // by node
  std::vector<ports::Time> backoff_until_;
  std::vector<model::Duration> backoff_;
};

}  // namespace adze::sim::baselines
