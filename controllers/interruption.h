// Interruption: acts on EC2's messages about instances (spec §7). A spot
// interruption warning marks the offering unavailable (3 min) and deletes the
// claim, so termination drains the node while provisioning replaces it in
// parallel; scheduled changes, stops and terminations delete the claim; a
// rebalance recommendation is only counted, as Karpenter does. Each message
// is deleted from the queue once handled; a receive error is retried on the
// next Reconcile. Receive never waits: the controllers' loop must not block
// (Karpenter long-polls 20 s on a goroutine of its own).
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
  size_t receive_errors = 0;
  size_t delete_errors = 0;
  // Deletion requests the cluster refused; their messages stay in the queue.
  size_t request_errors = 0;
  std::vector<std::pair<std::string, std::string>> deletion_requested;  // claim, reason
};

class Interruption {
 public:
  Interruption(ports::Cluster& cluster, ports::CloudProvider& cloud, ports::InterruptionQueue& queue)
      : cluster_(cluster), cloud_(cloud), queue_(queue) {}

  // Messages per Receive (SQS's maximum, as Karpenter asks).
  static constexpr int kMaxMessages = 10;

  InterruptionResult Reconcile();

 private:
  void Handle(const std::vector<ports::InterruptionMessage>& messages, InterruptionResult& result);

  ports::Cluster& cluster_;
  ports::CloudProvider& cloud_;
  ports::InterruptionQueue& queue_;
};

}  // namespace adze::controllers
