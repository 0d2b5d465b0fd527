// Termination: finishes the deletion of NodeClaims (spec §6.9). The node is
// tainted karpenter.sh/disrupted:NoSchedule, its pods evicted through the
// Eviction API (PodDisruptionBudgets respected, do-not-disrupt pods waited
// for), pods still there past the claim's terminationGracePeriod deadline are
// deleted outright; then the instance is terminated and the claim removed.
// Simplification: evictions are not split into the critical/DaemonSet waves
// (the simulator runs no critical pods).
// Thread-safety: none.
#pragma once

#include <string>
#include <vector>

#include "ports/clock.h"
#include "ports/cloud_provider.h"
#include "ports/cluster.h"

namespace adze::controllers {

struct TerminationResult {
  std::vector<std::string> evicted;          // pods
  std::vector<std::string> deleted;          // pods past the deadline
  size_t eviction_blocked = 0;               // PDB or do-not-disrupt waits
  std::vector<std::pair<std::string, std::string>> terminated;  // claim, reason
  // Terminations EC2 did not accept yet (retried next pass).
  std::vector<std::pair<std::string, Error>> cloud_errors;
};

class Termination {
 public:
  Termination(ports::Cluster& cluster, ports::CloudProvider& cloud, const ports::Clock& clock)
      : cluster_(cluster), cloud_(cloud), clock_(clock) {}

  TerminationResult Reconcile();

 private:
  // True when the node has no pods left to wait for.
  bool Drain(const ports::ClusterSnapshot& snapshot, const ports::NodeClaimInfo& claim, const ports::NodeInfo& node,
             TerminationResult& result);

  ports::Cluster& cluster_;
  ports::CloudProvider& cloud_;
  const ports::Clock& clock_;
};

// karpenter.sh/disrupted:NoSchedule.
model::Taint DisruptedTaint();

}  // namespace adze::controllers
