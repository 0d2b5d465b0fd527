#include "sim/baselines/auto_scaling_groups.h"

#include <fmt/format.h>

#include "controllers/daemon_overhead.h"
#include "model/labels.h"
#include "providers/aws/ec2_api.h"
#include "sim/ec2/simulated_ec2.h"
#include "sim/kubelet.h"
#include "sim/simulated_cluster.h"

namespace adze::sim::baselines {
namespace {
namespace aws = providers::aws;
namespace label = model::label;
}  // namespace

AutoScalingGroups::AutoScalingGroups(const AutoscalerWorld& world, std::vector<NodeGroup> groups, AsgOptions options)
    : world_(world), groups_(std::move(groups)), options_(options) {
  for (size_t g = 0; g < groups_.size(); ++g) {
    const NodeGroup& group = groups_[g];
    types_.push_back(ResolveGroupTypes(group, world_.scenario, world_.catalog));
    ADZE_CHECK(!types_.back().empty());
    const catalog::InstanceType& t = types_.back().front();
    model::Labels labels = t.requirements.SingleValuedLabels();
    for (const auto& [k, v] : group.pool.template_labels) labels[k] = v;
    labels[std::string(label::kCapacityType)] = group.capacity_type;
    labels["eks.amazonaws.com/nodegroup"] = group.name;
    model::ResourceList allocatable = t.Allocatable();
    allocatable.Subtract(controllers::DaemonOverhead(world_.scenario.cluster.daemon_sets, group.pool, labels));
    labels_.push_back(std::move(labels));
    allocatable_.push_back(std::move(allocatable));

    const std::string lt = "asg-" + group.name;
    aws::CreateLaunchTemplateRequest req;
    req.launch_template_name = lt;
    (void)world_.ec2.CreateLaunchTemplate(req);
    launch_templates_.push_back(lt);
    std::vector<std::pair<std::string, std::string>> subnets;
    for (const auto& nc : world_.scenario.node_classes) {
      if (nc.meta.name != group.pool.node_class_ref.name) continue;
      auto r = world_.ec2.DescribeSubnets(nc.subnet_selector_terms);
      if (r.IsSuccess()) {
        for (const auto& s : r.GetResult().subnets) subnets.emplace_back(s.availability_zone, s.subnet_id);
      }
    }
    subnets_.push_back(std::move(subnets));
  }
}

int32_t AutoScalingGroups::Size(size_t group) const {
  int32_t n = 0;
  for (const auto& [name, m] : members_) n += m.group == group && !m.draining;
  return n;
}

std::string AutoScalingGroups::Launch(size_t g, const std::string& reason) {
  const NodeGroup& group = groups_[g];
  const catalog::InstanceType& t = types_[g].front();
  const std::string name = fmt::format("{}-{}", group.name, next_++);
  model::NodeClaim claim;
  claim.meta.name = name;
  claim.meta.labels = labels_[g];
  claim.taints = group.pool.taints;
  claim.capacity = t.capacity;
  claim.allocatable = t.Allocatable();
  claim.node_class_ref = group.pool.node_class_ref;
  auto created = world_.cluster.CreateNodeClaim(std::move(claim), group.name);
  ADZE_CHECK(created.ok());
  Member member;
  member.group = g;
  member.created = world_.clock.Now();
  members_[name] = member;
  world_.metrics.Add("adze_nodeclaims_created_total", 1);
  world_.record({{"type", "asg_scale_up"}, {"group", group.name}, {"claim", name}, {"reason", reason}});

  aws::CreateFleetRequest req;
  req.launch_template_name = launch_templates_[g];
  req.default_target_capacity_type = group.capacity_type;
  req.allocation_strategy = group.capacity_type == label::kCapacityTypeSpot ? "price-capacity-optimized" : "lowest-price";
  for (const catalog::InstanceType& type : types_[g]) {
    for (const catalog::Offering& o : type.offerings) {
      if (o.capacity_type != group.capacity_type || !o.available) continue;
      for (const auto& [zone, subnet] : subnets_[g]) {
        if (zone != o.zone) continue;
        aws::FleetOverride ov;
        ov.instance_type = type.name;
        ov.subnet_id = subnet;
        ov.availability_zone = zone;
        ov.priority = o.price_per_hour;
        req.overrides.push_back(ov);
      }
    }
  }
  req.tags = {{"aws:autoscaling:groupName", group.name}, {"Name", name}};
  world_.clock.At(world_.clock.Now() + options_.launch_latency, [this, name, req, g] {
    if (!members_.contains(name)) return;
    world_.ec2.CreateFleet(req, [this, name, g](aws::Outcome<aws::CreateFleetResponse> out) {
      auto it = members_.find(name);
      const bool launched = out.IsSuccess() && !out.GetResult().instances.empty();
      if (it == members_.end()) {
        // Scaled in before the instance came: give it back.
        if (launched) {
          (void)world_.ec2.TerminateInstances({out.GetResult().instances.front().instance_ids});
        }
        return;
      }
      if (!launched) {
        world_.metrics.Add("adze_insufficient_capacity_total", 1);
        world_.record({{"type", "insufficient_capacity"}, {"claim", name}});
        Remove(name, "launch_failed");
        if (on_launch_failed) on_launch_failed(g);
        return;
      }
      const aws::FleetInstance& fi = out.GetResult().instances.front();
      const std::string ct = fi.lifecycle == label::kCapacityTypeSpot ? "spot" : "on-demand";
      double price = 0;
      for (const auto& type : types_[g]) {
        if (type.name != fi.launched_with.instance_type) continue;
        for (const auto& o : type.offerings) {
          if (o.zone == fi.launched_with.availability_zone && o.capacity_type == ct) price = o.price_per_hour;
        }
      }
      Launched(name, fi.instance_ids.front(), fi.launched_with.instance_type, fi.launched_with.availability_zone, ct,
               price);
    });
  });
  return name;
}

void AutoScalingGroups::Launched(const std::string& name, const std::string& instance_id, const std::string& type,
                                 const std::string& zone, const std::string& capacity_type, double price) {
  const ports::NodeClaimInfo* current = world_.cluster.GetNodeClaim(name);
  if (current == nullptr) return;
  ports::NodeClaimInfo info = *current;
  info.launched_at = world_.clock.Now();
  info.instance_type = type;
  info.zone = zone;
  info.capacity_type = capacity_type;
  info.price_per_hour = price;
  info.claim.provider_id = "aws:///" + zone + "/" + instance_id;
  info.claim.meta.labels[std::string(label::kZone)] = zone;
  info.claim.meta.labels[std::string(label::kInstanceType)] = type;
  info.claim.meta.labels[std::string(label::kCapacityType)] = capacity_type;
  // A mixed group's other types: the node carries its own capacity.
  const Member& m = members_.at(name);
  for (const auto& t : types_[m.group]) {
    if (t.name == type) {
      info.claim.capacity = t.capacity;
      info.claim.allocatable = t.Allocatable();
    }
  }
  ADZE_CHECK(world_.cluster.UpdateNodeClaim(info).ok());
  members_[name].instance_id = instance_id;
  claim_by_instance_[instance_id] = name;
  world_.metrics.Add("adze_nodes_launched_total", 1, {{"capacity_type", capacity_type}});
  world_.record({{"type", "claim_launched"},
                 {"claim", name},
                 {"instance_type", type},
                 {"zone", zone},
                 {"capacity_type", capacity_type},
                 {"price_per_hour", price}});
  const ports::NodeClaimInfo* launched = world_.cluster.GetNodeClaim(name);
  const NodeGroup& group = groups_[m.group];
  const model::ResourceList overhead =
      controllers::DaemonOverhead(world_.scenario.cluster.daemon_sets, group.pool, launched->claim.meta.labels);
  const int32_t gpus = static_cast<int32_t>(launched->claim.capacity.Get(model::resource::kNvidiaGpu).Value());
  world_.kubelet.Boot(*launched, gpus, overhead);
}

void AutoScalingGroups::Drain(const std::string& claim, const std::string& reason) {
  auto it = members_.find(claim);
  if (it == members_.end() || it->second.draining) return;
  it->second.draining = true;
  it->second.drain_started = world_.clock.Now();
  it->second.drain_reason = reason;
  (void)world_.cluster.RequestNodeClaimDeletion(claim, reason);
  world_.record({{"type", "claim_deletion_requested"}, {"claim", claim}, {"reason", reason}});
}

void AutoScalingGroups::Remove(const std::string& claim, const std::string& reason) {
  auto it = members_.find(claim);
  if (it == members_.end()) return;
  if (!it->second.instance_id.empty()) {
    (void)world_.ec2.TerminateInstances({{it->second.instance_id}});
    claim_by_instance_.erase(it->second.instance_id);
    world_.metrics.Add("adze_nodeclaims_terminated_total", 1, {{"reason", reason}});
  }
  if (const ports::NodeClaimInfo* info = world_.cluster.GetNodeClaim(claim); info != nullptr) {
    if (!info->claim.node_name.empty()) world_.kubelet.Forget(info->claim.node_name);
    (void)world_.cluster.RemoveNodeClaim(claim);
  }
  members_.erase(it);
  world_.record({{"type", "claim_terminated"}, {"claim", claim}, {"reason", reason}});
}

void AutoScalingGroups::OnMessage(const ports::InterruptionMessage& m) {
  using Kind = ports::InterruptionMessage::Kind;
  const char* kind = m.kind == Kind::kSpotInterrupted           ? "spot_interrupted"
                     : m.kind == Kind::kRebalanceRecommendation ? "rebalance"
                     : m.kind == Kind::kInstanceTerminated      ? "instance_terminated"
                                                                : "other";
  world_.metrics.Add("adze_interruption_messages_total", 1, {{"kind", kind}});
  auto c = claim_by_instance_.find(m.instance_id);
  if (c == claim_by_instance_.end()) return;
  const std::string claim = c->second;
  Member& member = members_.at(claim);
  if (m.kind == Kind::kSpotInterrupted) {
    world_.record({{"type", "spot_interruption_warning"}, {"claim", claim}});
  } else if (m.kind == Kind::kRebalanceRecommendation) {
    if (options_.capacity_rebalance && member.replacement.empty() && !member.draining) {
      member.replacement = Launch(member.group, "capacity_rebalance");
    }
  } else if (m.kind == Kind::kInstanceTerminated) {
    const size_t group = member.group;
    const bool replaced = !member.replacement.empty() || member.draining;
    member.instance_id.clear();  // EC2 already terminated it
    claim_by_instance_.erase(c);
    world_.metrics.Add("adze_nodeclaims_terminated_total", 1, {{"reason", "interrupted"}});
    Remove(claim, "interrupted");
    // The ASG keeps its desired size.
    if (!replaced) Launch(group, "replace_interrupted");
  }
}

void AutoScalingGroups::Tick() {
  auto messages = world_.ec2.Receive(10, 0);
  if (messages.ok()) {
    for (const auto& m : *messages) {
      OnMessage(m);
      (void)world_.ec2.Delete(m.receipt_handle);
    }
  }
  std::vector<std::pair<std::string, std::string>> done;
  for (auto& [name, m] : members_) {
    // Capacity rebalancing: drain the old node once its replacement is Ready.
    if (!m.replacement.empty() && !m.draining) {
      const ports::NodeClaimInfo* r = world_.cluster.GetNodeClaim(m.replacement);
      if (r == nullptr) {
        m.replacement.clear();
      } else if (const ports::NodeInfo* n = world_.cluster.GetNode(r->claim.node_name); n != nullptr && n->node.ready) {
        Drain(name, "rebalanced");
      }
    }
    if (!m.draining) continue;
    const ports::NodeClaimInfo* info = world_.cluster.GetNodeClaim(name);
    const ports::NodeInfo* node = info == nullptr ? nullptr : world_.cluster.GetNode(info->claim.node_name);
    bool empty = true;
    if (node != nullptr) {
      for (const std::string& pod : std::vector<std::string>(node->pods)) {
        const ports::PodInfo* p = world_.cluster.GetPod(pod);
        if (p == nullptr || p->pod.OwnedByDaemonSet()) continue;
        if (!world_.cluster.EvictPod(pod).ok()) empty = false;
      }
    }
    if (empty || world_.clock.Now() - m.drain_started >= options_.max_graceful_termination) {
      done.emplace_back(name, m.drain_reason);
    }
  }
  for (const auto& [name, reason] : done) Remove(name, reason);
}

}  // namespace adze::sim::baselines
