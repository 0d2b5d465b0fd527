#include "controllers/nodeclaim_lifecycle.h"

#include "model/labels.h"

namespace adze::controllers {

namespace label = model::label;

bool ExtendedResourcesRegistered(const model::ResourceList& requests, const model::ResourceList& allocatable) {
  for (const auto& [name, q] : requests) {
    if (name == "cpu" || name == "memory" || name == "pods" || name == "ephemeral-storage") continue;
    if (q.milli() > 0 && allocatable.Get(name).milli() <= 0) return false;
  }
  return true;
}

void NodeClaimLifecycle::Launch(const ports::NodeClaimInfo& info, LifecycleResult& result) {
  const std::string& name = info.claim.meta.name;
  Result<ports::Instance> instance = cloud_.Create(info.claim);
  if (!instance.ok()) {
    if (instance.error().code == ErrorCode::kInsufficientCapacity) {
      result.deleted_insufficient_capacity.push_back(name);
      cluster_.RemoveNodeClaim(name);
    } else if (clock_.Now() - info.created_at >= options_.launch_timeout) {
      result.deletion_requested.emplace_back(name, "launch_timeout");
      cluster_.RemoveNodeClaim(name);
    }
    return;
  }
  ports::NodeClaimInfo updated = info;
  updated.launched_at = clock_.Now();
  updated.instance_type = instance->instance_type;
  updated.zone = instance->zone;
  updated.capacity_type = instance->capacity_type;
  updated.price_per_hour = instance->price_per_hour;
  updated.claim.launched = true;
  updated.claim.provider_id = instance->provider_id;
  updated.claim.image_id = instance->image_id;
  // Labels: the launched type's single-valued labels; the pool's own labels win.
  auto types = cloud_.GetInstanceTypes([&] {
    for (const auto& pool : cluster_.NodePools()) {
      if (pool.meta.name == info.node_pool) return pool;
    }
    return model::NodePool{};
  }());
  if (types.ok()) {
    for (const catalog::InstanceType& t : *types) {
      if (t.name != instance->instance_type) continue;
      updated.claim.capacity = t.capacity;
      updated.claim.allocatable = t.Allocatable();
      for (const auto& [key, value] : t.requirements.SingleValuedLabels()) {
        updated.claim.meta.labels.emplace(key, value);
      }
      break;
    }
  }
  updated.claim.meta.labels[std::string(label::kInstanceType)] = instance->instance_type;
  updated.claim.meta.labels[std::string(label::kZone)] = instance->zone;
  updated.claim.meta.labels[std::string(label::kCapacityType)] = instance->capacity_type;
  cluster_.UpdateNodeClaim(updated);
  result.launched.push_back(name);
}

LifecycleResult NodeClaimLifecycle::Reconcile() {
  LifecycleResult result;
  const model::Duration now = clock_.Now();
  std::vector<ports::NodeClaimInfo> claims;
  for (const ports::NodeClaimInfo* c : cluster_.NodeClaims()) claims.push_back(*c);
  for (const ports::NodeClaimInfo& claim : claims) {
    const std::string& name = claim.claim.meta.name;
    if (claim.deletion_requested_at) continue;  // termination's job
    if (!claim.launched_at) {
      Launch(claim, result);
      continue;
    }
    // GC: the instance is gone (spot reclaimed it, or someone terminated it).
    auto instance = cloud_.Get(claim.claim.provider_id);
    if (!instance || instance->terminated) {
      result.garbage_collected.push_back(name);
      cluster_.RemoveNodeClaim(name);
      continue;
    }
    if (!claim.registered_at) {
      if (now - *claim.launched_at >= options_.registration_timeout) {
        result.deletion_requested.emplace_back(name, "registration_timeout");
        cluster_.RequestNodeClaimDeletion(name, "registration_timeout");
      }
      continue;
    }
    if (claim.initialized_at) continue;
    const ports::NodeInfo* node = cluster_.GetNode(claim.claim.node_name);
    if (node == nullptr) continue;
    if (node->node.ready && ExtendedResourcesRegistered(claim.claim.requests, node->node.allocatable)) {
      ports::NodeClaimInfo updated = claim;
      updated.claim.initialized = true;
      updated.initialized_at = now;
      cluster_.UpdateNodeClaim(updated);
      result.initialized.push_back(name);
    } else if (!ExtendedResourcesRegistered(claim.claim.requests, node->node.allocatable) &&
               now - *claim.registered_at >= options_.gpu_initialization_timeout) {
      result.deletion_requested.emplace_back(name, "gpu_initialization_timeout");
      cluster_.RequestNodeClaimDeletion(name, "gpu_initialization_timeout");
    }
  }
  return result;
}

}  // namespace adze::controllers
