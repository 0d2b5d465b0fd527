#include "sim/invariant_monitor.h"

#include <cstdio>

#include "controllers/disruption/budget.h"
#include "model/labels.h"

namespace adze::sim {

namespace {

std::string At(model::Duration now) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "t=%.0fs: ", static_cast<double>(now) / model::kSecond);
  return buf;
}

bool Annotated(const model::Annotations& a) {
  auto it = a.find(model::label::kDoNotDisrupt);
  return it != a.end() && it->second == "true";
}

std::optional<model::DisruptionReason> ReasonOf(const std::string& name) {
  for (auto r : {model::DisruptionReason::kEmpty, model::DisruptionReason::kUnderutilized,
                 model::DisruptionReason::kDrifted}) {
    if (model::DisruptionReasonName(r) == name) return r;
  }
  return std::nullopt;
}

}  // namespace

bool IsVoluntaryReason(const std::string& deletion_reason) { return ReasonOf(deletion_reason).has_value(); }

void InvariantMonitor::Violation(model::Duration now, std::string what) { violations_.push_back(At(now) + what); }

void InvariantMonitor::OnPodEnd(const ports::PodInfo& pod, PodEndReason reason, model::Duration now) {
  if (reason != PodEndReason::kEvicted || pod.pod.node_name.empty()) return;
  const ports::NodeInfo* node = cluster_.GetNode(pod.pod.node_name);
  if (node == nullptr) return;
  const ports::NodeClaimInfo* claim = cluster_.GetNodeClaim(node->node_claim);
  if (claim == nullptr || !IsVoluntaryReason(claim->deletion_reason)) return;
  if (pod.pod.DoNotDisruptActive(now)) {
    Violation(now, "pod " + pod.pod.meta.name + " with do-not-disrupt evicted by " + claim->deletion_reason);
  }
}

void InvariantMonitor::OnExecuted(const controllers::disruption::Command& command, model::Duration now) {
  for (const std::string& name : command.candidates) {
    const ports::NodeClaimInfo* claim = cluster_.GetNodeClaim(name);
    if (claim == nullptr) continue;
    const ports::NodeInfo* node = cluster_.GetNode(claim->claim.node_name);
    if (Annotated(claim->claim.meta.annotations) || (node != nullptr && Annotated(node->node.meta.annotations))) {
      Violation(now, "node " + name + " annotated do-not-disrupt was disrupted");
    }
  }
  if (command.method == controllers::disruption::Method::kDrift) return;  // no price rule for drift
  double before = 0, after = 0;
  for (const std::string& name : command.candidates) {
    if (const ports::NodeClaimInfo* claim = cluster_.GetNodeClaim(name)) before += claim->price_per_hour;
  }
  for (const std::string& name : command.replacement_claims) {
    if (const ports::NodeClaimInfo* claim = cluster_.GetNodeClaim(name)) after += claim->price_per_hour;
  }
  if (after > before + 1e-9) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "consolidation raised the price: %.4f $/h for nodes costing %.4f $/h", after, before);
    Violation(now, buf);
  }
}

void InvariantMonitor::Check(model::Duration now) {
  // Budgets: voluntary disruptions in progress per pool and reason.
  std::map<std::string, int32_t> total;
  std::map<std::pair<std::string, std::string>, int32_t> disrupting;
  for (const ports::NodeClaimInfo* claim : cluster_.NodeClaims()) {
    if (!claim->initialized_at) continue;
    ++total[claim->node_pool];
    if (claim->deletion_requested_at && IsVoluntaryReason(claim->deletion_reason)) {
      ++disrupting[{claim->node_pool, claim->deletion_reason}];
    }
  }
  for (const auto& [key, count] : disrupting) {
    for (const model::NodePool& pool : cluster_.NodePools()) {
      if (pool.meta.name != key.first) continue;
      const auto eval = controllers::disruption::EvaluateBudgets(pool, *ReasonOf(key.second), now, total[key.first], 0);
      if (count > eval.limit) {
        Violation(now, "pool " + key.first + " has " + std::to_string(count) + " nodes in " + key.second +
                           " disruption, budget " + std::to_string(eval.limit));
      }
    }
  }
  // Instances and claims pair up within the garbage-collection interval.
  std::set<std::string> live;
  for (const ports::Instance& instance : cloud_.List()) {
    live.insert(instance.provider_id);
    bool claimed = false;
    for (const ports::NodeClaimInfo* claim : cluster_.NodeClaims()) claimed = claimed || claim->claim.provider_id == instance.provider_id;
    const std::string key = "instance " + instance.id;
    if (claimed) {
      unpaired_since_.erase(key);
    } else if (auto [it, fresh] = unpaired_since_.emplace(key, now); !fresh && now - it->second > 2 * model::kMinute) {
      Violation(now, key + " has run without a NodeClaim for over 2 minutes");
      unpaired_since_.erase(it);
    }
  }
  for (const ports::NodeClaimInfo* claim : cluster_.NodeClaims()) {
    if (!claim->launched_at) continue;
    const std::string key = "claim " + claim->claim.meta.name;
    if (live.contains(claim->claim.provider_id)) {
      unpaired_since_.erase(key);
    } else if (auto [it, fresh] = unpaired_since_.emplace(key, now); !fresh && now - it->second > 2 * model::kMinute) {
      Violation(now, key + " has had no instance for over 2 minutes");
      unpaired_since_.erase(it);
    }
  }
}

}  // namespace adze::sim

namespace adze::sim {

void InvariantMonitor::CheckFinal(model::Duration now, model::Duration max_wait) {
  for (const ports::PodInfo* pod : cluster_.PendingPods()) {
    if (now - pod->created_at > max_wait) {
      Violation(now, "pod " + pod->pod.meta.name + " has been pending since t=" +
                         std::to_string(pod->created_at / model::kSecond) + "s");
    }
  }
}

}  // namespace adze::sim
