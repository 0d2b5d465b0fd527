// Candidate: a node the disruption methods may remove or replace, with what
// it costs to run and to disrupt (spec §6.2, §6.4).
//
// BuildCandidates keeps the nodes every method may consider: managed (its
// NodePool exists), initialised, not being deleted or already disrupted, no
// pod nominated to it, neither node nor claim annotated
// karpenter.sh/do-not-disrupt=true, no pod with an active do-not-disrupt, no
// pod fully blocked by a PodDisruptionBudget (disruptionsAllowed 0, or more
// than one PDB). Which candidates a method then uses (empty, drifted,
// consolidatable) is the method's business.
// Thread-safety: pure functions over a snapshot.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controllers/claim_factory.h"
#include "model/nodepool.h"
#include "ports/cloud_provider.h"
#include "ports/cluster.h"

namespace adze::controllers::disruption {

struct Candidate {
  const ports::NodeClaimInfo* claim = nullptr;
  const ports::NodeInfo* node = nullptr;
  const model::NodePool* pool = nullptr;
  std::vector<const ports::PodInfo*> pods;  // reschedulable: not DaemonSet-owned, not finished
  double price = 0;                         // $/h of its offering
  double disruption_cost = 0;               // spec §6.4
  double lost_work_usd = 0;                 // what its pods would redo if evicted now (lost_work.h)
  // now − (last pod event, or initialisation) ≥ the pool's consolidateAfter.
  bool consolidatable = false;
  std::optional<std::string> drifted;       // why, when drifted
  // Kept as room for arriving pods (adze headroom): emptiness and
  // consolidation pass it over; drift does not.
  bool held = false;
  bool empty() const { return pods.empty(); }
};

// Pod eviction cost: clamp(1 + deletionCost/2^27 + priority/2^25, −10, 10).
double PodEvictionCost(const model::Pod& pod);

inline constexpr std::string_view kDisruptedTaintKey = "karpenter.sh/disrupted";

// With `only`, just the nodes of those NodeClaims are examined (validation
// needs a command's few candidates, not the whole cluster's); each candidate
// comes out as it would from the full call.
std::vector<Candidate> BuildCandidates(const ports::ClusterSnapshot& cluster, const ports::CloudProvider& cloud,
                                       model::Duration now, const std::set<std::string>* only = nullptr);

// Orders candidates as Karpenter (HEAD) does for consolidation: by
// price / (1 + Σ max(0, pod eviction cost)) descending, ties by name.
void SortForConsolidation(std::vector<Candidate>& candidates);

}  // namespace adze::controllers::disruption
