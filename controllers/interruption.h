// Interruption: acts on EC2's messages about instances (spec §7). A spot
// interruption warning marks the offering unavailable (3 min) and deletes the
// claim, so termination drains the node while provisioning replaces it in
// parallel; scheduled changes, stops and terminations delete the claim; a
// rebalance recommendation is only counted, as Karpenter does.
// Thread-safety: none.
#pragma once

#include <string>
#include <vector>

#include "ports/cloud_provider.h"
#include "ports/cluster.h"
#include "ports/interruption_queue.h"

namespace adze::controllers {

struct InterruptionResult {
  size_t spot_warnings = 0;
  size_t rebalance_recommendations = 0;
  std::vector<std::pair<std::string, std::string>> deletion_requested;  // claim, reason
};

class Interruption {
 public:
  Interruption(ports::Cluster& cluster, ports::CloudProvider& cloud, ports::InterruptionQueue& queue)
      : cluster_(cluster), cloud_(cloud), queue_(queue) {}

  InterruptionResult Reconcile();

 private:
  ports::Cluster& cluster_;
  ports::CloudProvider& cloud_;
  ports::InterruptionQueue& queue_;
};

}  // namespace adze::controllers
