// KubeScheduler: the simulated kube-scheduler. Binds pending pods to Ready
// nodes, higher priority first (then oldest), preferring the node the
// provisioner nominated, else the most allocated node that fits (a
// bin-packing scoring profile, assumed: it keeps nodes emptiable). Pods
// without inter-pod constraints take a fast path (taints, node selector and
// required node affinity, resources); pods with pod (anti-)affinity,
// DoNotSchedule topology spread or host ports are placed by the solver's
// own predicates (scheduling::Solve with no NodePools). Pods that fit nowhere
// are marked Unschedulable, which makes them provisionable. Room a pending
// pod is nominated to holds against pods of the same or a lower priority,
// as kube-scheduler's nominator keeps it: an older pod does not take a node
// launched for others (who would then need another). That needs the
// provisioner to publish its nominations in status.nominatedNodeName, as
// adze does; Karpenter keeps them in memory and says them only in Events
// ("Pod should schedule on: nodeclaim/…"), so with sees_nominations off the
// scheduler neither holds room nor prefers the node a pod was nominated to.
// Speed (issue 16): fast-path pods are grouped by class (requests,
// tolerations, node selector, required node affinity); a class's node
// filters run once per pass, resources are compared as dense milli-unit
// vectors, and once a pod of a class fits nowhere the rest of the class is
// marked unschedulable without a scan (room only shrinks within a pass,
// but for nominations given up, which the next pass sees).
// Thread-safety: none.
#pragma once

#include <string>
#include <vector>

#include "sim/kubelet.h"
#include "sim/simulated_cluster.h"

namespace adze::sim {

class KubeScheduler {
 public:
  struct PassResult {
    size_t bound = 0;
    std::vector<std::string> unschedulable;  // pending after this pass
  };

  KubeScheduler(SimulatedCluster& cluster, Kubelet& kubelet, bool sees_nominations = true)
      : cluster_(cluster), kubelet_(kubelet), sees_nominations_(sees_nominations) {}

  PassResult Pass();

 private:
  void Bind(const std::string& pod, const std::string& node);
  // The claim the pod is nominated to, as this scheduler sees it.
  const std::string* NominatedClaim(const ports::PodInfo& pod) const;

  SimulatedCluster& cluster_;
  Kubelet& kubelet_;
  bool sees_nominations_;
  // Pods found unschedulable are tried again only once room may have appeared.
  uint64_t seen_capacity_generation_ = ~uint64_t{0};
};

}  // namespace adze::sim
