// AutoScalingGroups: the EC2 Auto Scaling groups behind Cluster Autoscaler's
// node groups and the fixed fleets, run on the simulator's EC2. A launch
// creates the node's NodeClaim at once (the "upcoming node" CA counts) and
// calls CreateFleet after the ASG's own latency, with one override per
// instance type × zone (spot: price-capacity-optimized, the strategy AWS
// recommends for ASGs; on-demand: lowest-price); the instance then boots
// through the simulated kubelet like any other. Draining cordons the node,
// evicts its pods (respecting PDBs) and terminates the instance when they are
// gone or after max_graceful_termination.
//
// Spot: EC2's messages come from the same interruption queue adze reads.
// With capacity_rebalance (ASG Capacity Rebalancing, as EKS managed node
// groups set it), a rebalance recommendation launches a replacement in the
// same group, and the old node is drained once the replacement is Ready. A
// two-minute warning does nothing by itself (no termination handler); when
// EC2 terminates the instance its node and pods are lost, and the group
// launches a replacement to keep its desired size.
// Sources: data/sim-calibration.md "Auto Scaling groups".
// Thread-safety: none.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/instance_type.h"
#include "model/duration.h"
#include "model/resource_list.h"
#include "ports/cluster_objects.h"
#include "ports/interruption_queue.h"
#include "sim/autoscaler.h"
#include "sim/baselines/node_group.h"

namespace adze::sim::baselines {

struct AsgOptions {
  // From SetDesiredCapacity to the CreateFleet call (assumption: the ASG
  // starts a scaling activity within seconds; sim-calibration.md).
  model::Duration launch_latency = 10 * model::kSecond;
  bool capacity_rebalance = true;
  // Pods still on a draining node after this are killed with it (CA's
  // --max-graceful-termination-sec default, 600 s).
  model::Duration max_graceful_termination = 10 * model::kMinute;
};

class AutoScalingGroups {
 public:
  struct Member {
    size_t group = 0;
    std::string instance_id;  // empty until launched
    model::Duration created = 0;
    bool draining = false;
    model::Duration drain_started = 0;
    std::string drain_reason;
    std::string replacement;  // capacity rebalancing: the claim replacing this one
  };

  // REQUIRES: world outlives this object.
  AutoScalingGroups(const AutoscalerWorld& world, std::vector<NodeGroup> groups, AsgOptions options);

  const std::vector<NodeGroup>& groups() const { return groups_; }
  // The template type of the group (its first instance type).
  const catalog::InstanceType& TemplateType(size_t group) const { return types_[group].front(); }
  // What a new node of the group offers pods: allocatable less DaemonSet overhead.
  const model::ResourceList& TemplateAllocatable(size_t group) const { return allocatable_[group]; }
  const model::Labels& TemplateLabels(size_t group) const { return labels_[group]; }

  // Adds one instance to the group; returns the node's (and claim's) name.
  std::string Launch(size_t group, const std::string& reason);
  // Cordons and drains the node, then terminates it.
  void Drain(const std::string& claim, const std::string& reason);
  // Reads the interruption queue, advances drains and rebalancing. Once a second.
  void Tick();

  const std::map<std::string, Member>& members() const { return members_; }
  // Members of the group not being drained (the group's desired size).
  int32_t Size(size_t group) const;
  // Called when a launch failed (no capacity in any override).
  std::function<void(size_t group)> on_launch_failed;

 private:
  void Launched(const std::string& claim, const std::string& instance_id, const std::string& type,
                const std::string& zone, const std::string& capacity_type, double price);
  void Remove(const std::string& claim, const std::string& reason);
  void OnMessage(const ports::InterruptionMessage& m);

  AutoscalerWorld world_;
  std::vector<NodeGroup> groups_;
  AsgOptions options_;
  std::vector<std::vector<catalog::InstanceType>> types_;
  std::vector<model::ResourceList> allocatable_;
  std::vector<model::Labels> labels_;
  std::vector<std::string> launch_templates_;
  std::vector<std::vector<std::pair<std::string, std::string>>> subnets_;  // per group: (zone, subnet id)
  std::map<std::string, Member> members_;               // by claim name
  std::map<std::string, std::string> claim_by_instance_;
  uint64_t next_ = 1;
};

}  // namespace adze::sim::baselines
