#include "controllers/disruption/candidate.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <unordered_set>

#include "controllers/disruption/lost_work.h"
#include "model/labels.h"

namespace adze::controllers::disruption {

namespace label = model::label;

double PodEvictionCost(const model::Pod& pod) {
  double deletion_cost = 0;
  if (auto it = pod.meta.annotations.find("controller.kubernetes.io/pod-deletion-cost");
      it != pod.meta.annotations.end()) {
    deletion_cost = std::atof(it->second.c_str());
  }
  const double cost = 1 + deletion_cost / std::ldexp(1.0, 27) + pod.priority / std::ldexp(1.0, 25);
  return std::clamp(cost, -10.0, 10.0);
}

namespace {

bool AnnotatedDoNotDisrupt(const model::Annotations& annotations) {
  auto it = annotations.find(label::kDoNotDisrupt);
  return it != annotations.end() && it->second == "true";
}

// disruptionsAllowed per PDB over the pods bound to nodes (healthy = running).
std::vector<int32_t> PdbAllowances(const ports::ClusterSnapshot& cluster) {
  const auto& pdbs = cluster.PodDisruptionBudgets();
  std::vector<int32_t> expected(pdbs.size(), 0), healthy(pdbs.size(), 0), allowed(pdbs.size(), 0);
  if (pdbs.empty()) return allowed;
  for (const ports::NodeInfo* node : cluster.Nodes()) {
    for (const std::string& name : node->pods) {
      const ports::PodInfo* pod = cluster.GetPod(name);
      if (pod == nullptr) continue;
      for (size_t i = 0; i < pdbs.size(); ++i) {
        if (!pdbs[i].Selects(pod->pod)) continue;
        ++expected[i];
        healthy[i] += pod->phase == ports::PodPhase::kRunning;
      }
    }
  }
  for (size_t i = 0; i < pdbs.size(); ++i) allowed[i] = pdbs[i].DisruptionsAllowed(expected[i], healthy[i]);
  return allowed;
}

bool BlockedByPdb(const ports::ClusterSnapshot& cluster, const model::Pod& pod, const std::vector<int32_t>& allowed) {
  const auto& pdbs = cluster.PodDisruptionBudgets();
  int matching = 0;
  for (size_t i = 0; i < pdbs.size(); ++i) {
    if (!pdbs[i].Selects(pod)) continue;
    if (++matching > 1 || allowed[i] == 0) return true;
  }
  return false;
}

// RequirementsDrifted (spec §6.5): the claim's labels no longer satisfy the
// pool's requirements. A label the claim does not carry fails only a
// requirement that needs it present, on a key that is not well known.
bool RequirementsDrifted(const model::NodePool& pool, const model::Labels& labels) {
  for (const model::Requirement& r : pool.requirements) {
    auto it = labels.find(r.key());
    if (it != labels.end()) {
      if (!r.Has(it->second)) return true;
      continue;
    }
    const model::Operator op = r.op();
    const bool needs_label = op != model::Operator::kNotIn && op != model::Operator::kDoesNotExist;
    if (needs_label && !model::IsWellKnownLabel(r.key())) return true;
  }
  return false;
}

}  // namespace

std::vector<Candidate> BuildCandidates(const ports::ClusterSnapshot& cluster, const ports::CloudProvider& cloud,
                                       model::Duration now, const std::set<std::string>* only) {
  std::vector<Candidate> out;
  std::map<std::string, const model::NodePool*> pools;
  std::map<std::string, std::string> pool_hashes;
  for (const model::NodePool& pool : cluster.NodePools()) {
    pools[pool.meta.name] = &pool;
    pool_hashes[pool.meta.name] = NodePoolHash(pool);
  }
  std::unordered_set<std::string_view> nominated;  // names live in the snapshot
  for (const ports::PodInfo* pod : cluster.PendingPods()) {
    if (!pod->nominated_node_claim.empty()) nominated.insert(pod->nominated_node_claim);
  }
  const std::vector<int32_t> allowed = PdbAllowances(cluster);

  for (const ports::NodeInfo* node : cluster.Nodes()) {
    if (only != nullptr && !only->contains(node->node_claim)) continue;
    const ports::NodeClaimInfo* claim = cluster.GetNodeClaim(node->node_claim);
    if (claim == nullptr || !claim->initialized_at || claim->deletion_requested_at || node->deleting) continue;
    auto pool = pools.find(claim->node_pool);
    if (pool == pools.end()) continue;
    if (nominated.contains(std::string_view(claim->claim.meta.name))) continue;
    if (AnnotatedDoNotDisrupt(node->node.meta.annotations) || AnnotatedDoNotDisrupt(claim->claim.meta.annotations)) {
      continue;
    }
    const bool tainted = std::any_of(node->node.taints.begin(), node->node.taints.end(),
                                     [](const model::Taint& t) { return t.key == kDisruptedTaintKey; });
    if (tainted) continue;

    Candidate c;
    c.claim = claim;
    c.node = node;
    c.pool = pool->second;
    c.price = claim->price_per_hour;
    bool blocked = false;
    double pod_cost = 0;
    for (const std::string& name : node->pods) {
      const ports::PodInfo* pod = cluster.GetPod(name);
      if (pod == nullptr || pod->pod.OwnedByDaemonSet()) continue;
      if (pod->phase == ports::PodPhase::kSucceeded || pod->phase == ports::PodPhase::kFailed) continue;
      if (pod->pod.DoNotDisruptActive(now) || BlockedByPdb(cluster, pod->pod, allowed)) {
        blocked = true;
        break;
      }
      c.pods.push_back(pod);
      pod_cost += PodEvictionCost(pod->pod);
      c.lost_work_usd += LostWorkUsd(*pod, node->node, c.price, now);
    }
    if (blocked) continue;
    // Cost shrinks as the node nears expiry: it would be replaced soon anyway.
    double lifetime = 1;
    if (c.pool->expire_after && *c.pool->expire_after > 0) {
      const double age = static_cast<double>(now - claim->created_at);
      lifetime = std::clamp((static_cast<double>(*c.pool->expire_after) - age) / static_cast<double>(*c.pool->expire_after), 0.0, 1.0);
    }
    c.disruption_cost = pod_cost * lifetime;
    const model::Duration quiet_since = std::max(node->last_pod_event, *claim->initialized_at);
    c.consolidatable = c.pool->consolidate_after.has_value() && now - quiet_since >= *c.pool->consolidate_after;
    auto hash = claim->claim.meta.annotations.find(std::string(kNodePoolHashAnnotation));
    if (hash != claim->claim.meta.annotations.end() && hash->second != pool_hashes[claim->node_pool]) {
      c.drifted = "NodePoolDrifted";
    } else if (RequirementsDrifted(*c.pool, claim->claim.meta.labels)) {
      c.drifted = "RequirementsDrifted";
    } else if (auto why = cloud.IsDrifted(claim->claim)) {
      c.drifted = *why;
    }
    out.push_back(std::move(c));
  }
  return out;
}

void SortForConsolidation(std::vector<Candidate>& candidates) {
  auto score = [](const Candidate& c) {
    double positive = 0;
    for (const auto* p : c.pods) positive += std::max(0.0, PodEvictionCost(p->pod));
    return c.price / (1 + positive);
  };
  std::vector<std::pair<double, size_t>> keyed;
  for (size_t i = 0; i < candidates.size(); ++i) keyed.emplace_back(score(candidates[i]), i);
  std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return candidates[a.second].claim->claim.meta.name < candidates[b.second].claim->claim.meta.name;
  });
  std::vector<Candidate> sorted;
  sorted.reserve(candidates.size());
  for (const auto& [s, i] : keyed) sorted.push_back(std::move(candidates[i]));
  candidates = std::move(sorted);
}

}  // namespace adze::controllers::disruption
