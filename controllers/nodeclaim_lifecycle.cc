#include "controllers/nodeclaim_lifecycle.h"

#include <string_view>
#include <unordered_set>

#include "model/labels.h"

namespace adze::controllers {

namespace label = model::label;

bool IsExtendedResource(std::string_view name) {
  return name != model::resource::kCpu && name != model::resource::kMemory && name != model::resource::kPods &&
         name != model::resource::kEphemeralStorage;
}

bool ExtendedResourcesRegistered(const model::ResourceList& requests, const model::ResourceList& allocatable) {
  for (const auto& [name, q] : requests) {
    if (!IsExtendedResource(name)) continue;
    if (q.milli() > 0 && allocatable.Get(name).milli() <= 0) return false;
  }
  return true;
}

void NodeClaimLifecycle::Launch(const ports::NodeClaimInfo& info) {
  const std::string name = info.claim.meta.name;
  in_flight_.insert(name);
  std::weak_ptr<bool> alive = alive_;
  cloud_.Create(info.claim, clock_.Now() + options_.launch_attempt_timeout,
                [this, alive, name](Result<ports::Instance> instance) {
                  if (alive.expired()) return;
                  completed_.emplace_back(name, std::move(instance));
                  if (options_.on_launch_completed) options_.on_launch_completed();
                });
}

void NodeClaimLifecycle::ApplyLaunches(LifecycleResult& result) {
  if (completed_.empty()) return;
  std::vector<std::pair<std::string, Result<ports::Instance>>> completed;
  completed.swap(completed_);
  // Re-read: the claim may have changed or gone while the launch ran. One
  // read serves the batch: each launch writes only its own claim.
  const auto snapshot = cluster_.Snapshot();
  for (auto& [name, instance] : completed) {
    in_flight_.erase(name);
    const ports::NodeClaimInfo* info = snapshot->GetNodeClaim(name);
    if (info == nullptr || info->deletion_requested_at || info->launched_at) {
      // Nobody waits for this instance any more: do not leak it.
      if (instance.ok()) (void)cloud_.Delete(instance->provider_id);
      failed_at_.erase(name);
      continue;
    }
    if (instance.ok()) {
      failed_at_.erase(name);
      Launched(*info, *instance, result);
    } else if (instance.error().code == ErrorCode::kInsufficientCapacity) {
      // The claim goes at once; its pods are provisioned again without the
      // offerings that failed.
      failed_at_.erase(name);
      if (cluster_.RemoveNodeClaim(name).ok()) result.deleted_insufficient_capacity.push_back(name);
    } else if (clock_.Now() - info->created_at >= options_.launch_timeout) {
      failed_at_.erase(name);
      if (cluster_.RemoveNodeClaim(name).ok()) result.deletion_requested.emplace_back(name, "launch_timeout");
    } else {
      // Throttled, unavailable, a missed deadline: retried on a later pass.
      failed_at_[name] = clock_.Now();
      result.launch_errors.emplace_back(name, instance.error());
    }
  }
}

void NodeClaimLifecycle::Launched(const ports::NodeClaimInfo& info, const ports::Instance& instance,
                                  LifecycleResult& result) {
  const std::string name = info.claim.meta.name;
  ports::NodeClaimInfo updated = info;
  updated.launched_at = clock_.Now();
  updated.instance_type = instance.instance_type;
  updated.zone = instance.zone;
  updated.capacity_type = instance.capacity_type;
  updated.price_per_hour = instance.price_per_hour;
  updated.claim.launched = true;
  updated.claim.provider_id = instance.provider_id;
  updated.claim.image_id = instance.image_id;
  // Labels: the launched type's single-valued labels; the pool's own labels win.
  if (const catalog::InstanceType* t = FindType(info.node_pool, instance.instance_type)) {
    updated.claim.capacity = t->capacity;
    updated.claim.allocatable = t->Allocatable();
    for (const auto& [key, value] : t->requirements.SingleValuedLabels()) updated.claim.meta.labels.emplace(key, value);
  }
  updated.claim.meta.labels[std::string(label::kInstanceType)] = instance.instance_type;
  updated.claim.meta.labels[std::string(label::kZone)] = instance.zone;
  updated.claim.meta.labels[std::string(label::kCapacityType)] = instance.capacity_type;
  if (Status written = cluster_.UpdateNodeClaim(updated); !written.ok()) {
    // The instance runs but the claim could not say so (a conflict with a
    // stale cache, the API down): keep the launch and write it again on a
    // later pass, as Karpenter's launch cache does. Terminating it and
    // launching again would pay for a second instance on every failed write.
    unwritten_.insert_or_assign(name, instance);
    result.launch_errors.emplace_back(name, written.error());
    return;
  }
  unwritten_.erase(name);
  recorded_.insert(name);
  result.launched.push_back(name);
}

const catalog::InstanceType* NodeClaimLifecycle::FindType(const std::string& pool_name, const std::string& type) {
  auto it = types_by_pool_.find(pool_name);
  if (it == types_by_pool_.end()) {
    catalog::InstanceTypes types;
    const auto snapshot = cluster_.Snapshot();
    if (const model::NodePool* pool = snapshot->GetNodePool(pool_name)) {
      if (auto r = cloud_.GetInstanceTypes(*pool); r.ok()) types = std::move(r).value();
    }
    it = types_by_pool_.emplace(pool_name, std::move(types)).first;
  }
  for (const catalog::InstanceType& t : it->second) {
    if (t.name == type) return &t;
  }
  return nullptr;
}

LifecycleResult NodeClaimLifecycle::Reconcile() {
  LifecycleResult result;
  types_by_pool_.clear();  // capacity and labels only: availability does not matter here
  // Launches whose claim write failed on an earlier pass: written again;
  // an instance whose claim went (or records another instance) is terminated.
  // (Nothing to do, and no snapshot to take, on the usual pass.)
  if (!unwritten_.empty()) {
    const auto before = cluster_.Snapshot();
    for (auto it = unwritten_.begin(); it != unwritten_.end();) {
      const ports::NodeClaimInfo* c = before->GetNodeClaim(it->first);
      const ports::Instance instance = it->second;
      if (c != nullptr && !c->deletion_requested_at && !c->launched_at) {
        ++it;
        Launched(*c, instance, result);  // erases the entry once written
        continue;
      }
      if (c == nullptr || c->claim.provider_id != instance.provider_id) (void)cloud_.Delete(instance.provider_id);
      it = unwritten_.erase(it);
    }
  }
  ApplyLaunches(result);
  const model::Duration now = clock_.Now();
  const auto snapshot = cluster_.Snapshot();
  std::erase_if(recorded_, [&](const std::string& n) {
    const ports::NodeClaimInfo* c = snapshot->GetNodeClaim(n);
    return c == nullptr || c->launched_at;
  });
  // Only claims still on their way up need work.
  for (const ports::NodeClaimInfo* c : snapshot->NodeClaims()) {
    if (c->deletion_requested_at || c->initialized_at) continue;
    const ports::NodeClaimInfo& claim = *c;
    const std::string& name = claim.claim.meta.name;
    if (!claim.launched_at && recorded_.contains(name)) continue;  // launched; the snapshot is behind
    if (!claim.launched_at && unwritten_.contains(name)) continue;  // written again on the next pass
    if (!claim.launched_at) {
      // One launch at a time per claim; a failed one is retried on a later
      // Reconcile (not at the instant it failed, so a shell that reconciles
      // on every completion cannot spin).
      auto failed = failed_at_.find(name);
      if (!in_flight_.contains(name) && (failed == failed_at_.end() || now > failed->second)) Launch(claim);
      continue;
    }
    if (!claim.registered_at) {
      if (now - *claim.launched_at >= options_.registration_timeout) {
        RequestDeletion(name, "registration_timeout", result);
      }
      continue;
    }
    const ports::NodeInfo* node = snapshot->GetNode(claim.claim.node_name);
    if (node == nullptr) continue;
    const bool extended = ExtendedResourcesRegistered(claim.claim.requests, node->node.allocatable);
    if (node->node.ready && extended) {
      ports::NodeClaimInfo updated = claim;
      updated.claim.initialized = true;
      updated.initialized_at = now;
      // A conflict (the claim changed since the snapshot) retries next pass.
      if (cluster_.UpdateNodeClaim(updated).ok()) result.initialized.push_back(name);
    } else if (!extended && now - *claim.registered_at >= options_.gpu_initialization_timeout) {
      RequestDeletion(name, "gpu_initialization_timeout", result);
    }
  }
  return result;
}

void NodeClaimLifecycle::RequestDeletion(const std::string& claim, const std::string& reason,
                                         LifecycleResult& result) {
  if (cluster_.RequestNodeClaimDeletion(claim, reason).ok()) result.deletion_requested.emplace_back(claim, reason);
}

LifecycleResult NodeClaimLifecycle::CollectGarbage(const std::vector<ports::Instance>& listed) {
  LifecycleResult result;
  std::unordered_set<std::string_view> running;
  for (const ports::Instance& i : listed) {
    if (!i.terminated) running.insert(i.provider_id);
  }
  const auto snapshot = cluster_.Snapshot();
  for (const ports::NodeClaimInfo* c : snapshot->NodeClaims()) {
    if (!c->launched_at || c->deletion_requested_at || running.contains(c->claim.provider_id)) continue;
    auto instance = cloud_.Get(c->claim.provider_id);
    if (instance && !instance->terminated) continue;
    if (cluster_.RemoveNodeClaim(c->claim.meta.name).ok()) result.garbage_collected.push_back(c->claim.meta.name);
  }
  return result;
}

LifecycleResult NodeClaimLifecycle::CollectOrphanInstances(const std::vector<ports::Instance>& instances) {
  LifecycleResult result;
  // Instances first, claims after (as Karpenter): an instance whose claim is
  // recorded while the list is read is then seen as recorded.
  const auto snapshot = cluster_.Snapshot();
  std::set<std::string> recorded;
  for (const ports::NodeClaimInfo* c : snapshot->NodeClaims()) {
    if (!c->claim.provider_id.empty()) recorded.insert(c->claim.provider_id);
  }
  const model::Duration now = clock_.Now();
  for (const ports::Instance& i : instances) {
    if (i.terminated || recorded.count(i.provider_id) > 0 || now - i.launched_at <= kOrphanGrace) continue;
    if (!i.node_claim.empty() && in_flight_.count(i.node_claim) > 0) continue;  // its answer is on the way
    if (auto kept = unwritten_.find(i.node_claim); kept != unwritten_.end() && kept->second.provider_id == i.provider_id) {
      continue;  // its claim is written again on the next pass
    }
    if (cloud_.Delete(i.provider_id).ok()) result.orphans_terminated.push_back(i);
  }
  return result;
}

}  // namespace adze::controllers
