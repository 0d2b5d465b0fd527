// TwinCluster: the parts of a cluster behind the twin's API that are not the
// API server — what makes objects move after a client writes them:
//   - kubelets: as Karpenter's KWOK provider does, a NodeClaim that has a
//     status.providerID gets a Node after the simulator's calibrated
//     registration delay (sim::NodeTimings; CPU ~20 s, GPU ~100 s), Ready after
//     the Ready delay, both divided by --speed; the Node carries the claim's
//     labels, single-valued requirements, taints, capacity and providerID;
//   - the cloud's node lifecycle: a Node the twin made whose claim is gone is
//     deleted (its instance was terminated), and pods bound to a deleted
//     Node are deleted (pod garbage collection);
//   - Deployments keep their replicas (WorkloadController), so evicted pods
//     come back pending;
//   - instances of the twin's EC2 (an InstanceDirectory is given): a claim
//     whose providerID is aws:///<zone>/<instance-id> gets its Node only while
//     that instance runs, registered and Ready the calibrated delays after the
//     instance's launch (÷ speed); on GPU types nvidia.com/gpu appears in the
//     Node's capacity only after the device plugin's delay (GPU
//     initialisation); when EC2 terminates the instance the Node is deleted.
//     kwok:// claims behave as without a directory;
//   - kube-scheduler: pending pods, highest priority then oldest first, are
//     bound to a Ready, schedulable Node whose taints they tolerate, whose
//     labels their node selector and required affinity accept, and with room
//     for their requests (the nominated node first, else the most allocated);
//     room that pending pods of the same or a higher priority are nominated
//     to (status.nominatedNodeName) is theirs, as kube-scheduler's nominator
//     keeps it;
//     a pod that fits nowhere gets PodScheduled=False/Unschedulable, which is
//     what makes it provisionable; a bound pod becomes Running and Ready.
// Pod (anti-)affinity and topology spread are not checked here (the
// simulator's scheduler does; the twin's is the fast path only).
// Thread-safety: Step from one thread; the store is thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "adapters/twin/instance_directory.h"
#include "adapters/twin/object_store.h"
#include "adapters/twin/workload_controller.h"

namespace adze::twin {

class TwinCluster {
 public:
  // speed > 0 divides every delay. `instances` (may be null: no cloud
  // instances) must outlive this object.
  TwinCluster(ObjectStore& store, double speed, const InstanceDirectory* instances = nullptr);

  // What a fresh cluster has: the namespaces default, kube-system,
  // kube-public and kube-node-lease, and the CustomResourceDefinitions of
  // NodePool, NodeClaim and EC2NodeClass (so clients that check for them find
  // them).
  void Bootstrap();

  // One pass at wall time now (microseconds since the Unix epoch).
  void Step(int64_t now);

  // Pods bound so far (for the twin's log and tests).
  uint64_t bound() const { return bound_; }

 private:
  void Kubelets(int64_t now);
  void CollectGarbage();
  void Schedule(int64_t now);

  struct Boot {
    int64_t register_at = 0;
    int64_t ready_at = 0;
    bool registered = false;
    int64_t gpu_at = 0;  // EC2 GPU nodes: when the device plugin registers the GPUs (0: done)
  };
  // The instance id of an aws:///<zone>/<id> provider id when a directory is
  // set; "" otherwise.
  std::string Ec2InstanceId(const std::string& provider_id) const;

  ObjectStore& store_;
  double speed_;
  const InstanceDirectory* instances_;
  std::map<std::string, Boot> boots_;  // by providerID
  uint64_t bound_ = 0;
  WorkloadController workloads_{store_};
};

}  // namespace adze::twin
