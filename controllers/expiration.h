// Expiration: a NodeClaim older than its expireAfter is deleted (spec §6.8)
// — forcefully: outside disruption budgets, without a replacement launched
// first (provisioning sees the deleting node's pods), pods evicted by
// termination until its terminationGracePeriod deadline.
// Thread-safety: none.
#pragma once

#include <string>
#include <vector>

#include "ports/clock.h"
#include "ports/cluster.h"

namespace adze::controllers {

class Expiration {
 public:
  Expiration(ports::Cluster& cluster, const ports::Clock& clock) : cluster_(cluster), clock_(clock) {}

  // Claims whose deletion it requested.
  std::vector<std::string> Reconcile();

 private:
  ports::Cluster& cluster_;
  const ports::Clock& clock_;
};

}  // namespace adze::controllers
