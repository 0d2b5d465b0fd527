// InvariantMonitor: checks, while a simulation runs, the promises adze makes
// about disruption (issue 5), and records every violation with the time:
//   - no pod with an active karpenter.sh/do-not-disrupt is evicted by a
//     voluntary method (emptiness, drift, consolidation), and no node or
//     claim annotated do-not-disrupt is voluntarily disrupted;
//   - the nodes a pool has in voluntary disruption for a reason never exceed
//     its budget for that reason;
//   - a consolidation never raises the cluster's price per hour;
//   - every evicted pod runs again (its replacement is not left pending);
//   - no instance runs without a claim, and no launched claim lacks its
//     instance, for longer than the garbage-collection interval (2 min).
// PodDisruptionBudgets are enforced by the simulated Eviction API itself; a
// voluntary eviction past one would need DeletePod, which the monitor flags.
// Thread-safety: none.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "controllers/disruption/disruption_controller.h"
#include "ports/cloud_provider.h"
#include "sim/simulated_cluster.h"

namespace adze::sim {

class InvariantMonitor {
 public:
  InvariantMonitor(const SimulatedCluster& cluster, const ports::CloudProvider& cloud) : cluster_(cluster), cloud_(cloud) {}

  void OnPodEnd(const ports::PodInfo& pod, PodEndReason reason, model::Duration now);
  void OnExecuted(const controllers::disruption::Command& command, model::Duration now);
  // Budgets and instance/claim pairing, every tick.
  void Check(model::Duration now);
  // At the end of the run: every pod (an evicted pod's replacement included)
  // is running or has been waiting less than max_wait.
  void CheckFinal(model::Duration now, model::Duration max_wait);

  const std::vector<std::string>& violations() const { return violations_; }

 private:
  void Violation(model::Duration now, std::string what);

  const SimulatedCluster& cluster_;
  const ports::CloudProvider& cloud_;
  std::vector<std::string> violations_;
  std::map<std::string, model::Duration> unpaired_since_;  // instance or claim → first seen unpaired
};

// Reasons a claim is deleted by a voluntary method.
bool IsVoluntaryReason(const std::string& deletion_reason);

}  // namespace adze::sim
