// KubeCluster: ports::Cluster over a Kubernetes API server — what
// `adze controller` hands the operator. Reads come from informers (pods,
// nodes, NodeClaims, NodePools, DaemonSets, PodDisruptionBudgets) turned into
// the ports' immutable ClusterSnapshot; objects are decoded once per
// resourceVersion and shared between snapshots. Writes go to the API:
//   CreateNodeClaim      POST, with the karpenter.sh/termination finalizer
//   UpdateNodeClaim      PUT with the claim's resourceVersion (kConflict when
//                        stale), then PUT status
//   RequestNodeClaimDeletion  the DisruptionReason condition, then DELETE
//                        (the finalizer holds the object); re-read and retry
//                        once on a conflict
//   RemoveNodeClaim      DELETE the Node, then drop the finalizer
//   NominatePod          status.nominatedNodeName (merge patch on status)
//   TaintNode/RemoveTaint  read-modify-write with resourceVersion, retried on
//                        conflict (a Node's taints are one list)
//   EvictPod             the Eviction API; 429 from a PDB -> kThrottled
//   DeletePod            DELETE
// and Events (core/v1) on pods and NodeClaims for what a user would look
// for: Nominated, Launched (claim created), DisruptionTerminating — written
// by an EventRecorder on its own thread and client, so none waits for them.
// Pods are named "namespace/name" in snapshots and mutations (the ports key
// objects by one string; pod names repeat across namespaces).
// Thread-safety: Snapshot and the mutations may be called from one thread
// (the operator's); the informers run on their own threads.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/kube/event_recorder.h"
#include "adapters/kube/informer.h"
#include "adapters/kube/rest_client.h"
#include "model/ec2nodeclass.h"
#include "ports/cluster.h"

namespace adze::kube {

class KubeCluster : public ports::Cluster {
 public:
  // now(): wall time in microseconds since the Unix epoch.
  KubeCluster(RestClient& client, std::function<int64_t()> now);
  ~KubeCluster() override;

  void Start();
  void Stop();
  // True once every informer has listed.
  bool Synced() const;
  // Counts of the informers' lists, watches, 410s and failures, summed.
  InformerStats Stats() const;

  std::shared_ptr<const ports::ClusterSnapshot> Snapshot() const override;
  Result<std::string> CreateNodeClaim(model::NodeClaim claim, const std::string& node_pool) override;
  Status UpdateNodeClaim(const ports::NodeClaimInfo& info) override;
  Status RequestNodeClaimDeletion(const std::string& claim, const std::string& reason) override;
  Status RemoveNodeClaim(const std::string& claim) override;
  Status NominatePod(const std::string& pod, const std::string& claim) override;
  Status TaintNode(const std::string& node, const model::Taint& taint) override;
  Status RemoveTaint(const std::string& node, const std::string& key) override;
  Status EvictPod(const std::string& pod) override;
  Status DeletePod(const std::string& pod) override;

  // The EC2NodeClass of that name as last seen, or nullopt.
  std::optional<model::EC2NodeClass> GetNodeClass(const std::string& name) const;
  // Every EC2NodeClass in the cache that decodes (what the AWS provider is
  // built with).
  std::vector<model::EC2NodeClass> NodeClasses() const;
  // The resources whose CustomResourceDefinitions the controller needs
  // (nodepools/nodeclaims.karpenter.sh, ec2nodeclasses.karpenter.k8s.aws),
  // missing from the server; empty when all are there.
  std::vector<std::string> MissingCrds();

  // Queues a core/v1 Event on an object (best effort: failures are ignored,
  // as client-go's recorder drops what it cannot write). Written after
  // Start(); Stop() sends what is queued, for up to 2 s.
  void RecordEvent(const std::string& kind, const std::string& ns, const std::string& name, const std::string& reason,
                   const std::string& message, bool warning = false);

 private:
  template <typename T>
  struct Decoded {
    std::string rv;
    std::shared_ptr<const T> value;  // null when the object failed to decode
  };
  Status EditNode(const std::string& node, const std::function<bool(nlohmann::json&)>& edit);

  RestClient& client_;
  std::function<int64_t()> now_;
  EventRecorder events_;
  std::atomic<uint64_t> generation_{1};
  std::vector<std::unique_ptr<Informer>> informers_;
  Informer* pods_ = nullptr;
  Informer* nodes_ = nullptr;
  Informer* claims_ = nullptr;
  Informer* pools_ = nullptr;
  Informer* daemon_sets_ = nullptr;
  Informer* pdbs_ = nullptr;
  Informer* node_classes_ = nullptr;
  mutable std::mutex mu_;
  mutable uint64_t built_generation_ = 0;
  mutable std::shared_ptr<const ports::ClusterSnapshot> last_;
  mutable std::map<std::string, Decoded<ports::PodInfo>> pod_cache_;
  mutable std::map<std::string, Decoded<ports::NodeClaimInfo>> claim_cache_;
};

}  // namespace adze::kube
