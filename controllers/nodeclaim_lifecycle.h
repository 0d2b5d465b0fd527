// NodeClaimLifecycle: launch, registration and initialisation of NodeClaims
// (spec §5), plus garbage collection of claims whose instance is gone.
//   launch        cloud create, started once per claim and completed later
//                 (the result is queued by the completion callback and
//                 applied by the next Reconcile); insufficient capacity
//                 deletes the claim at once (its pods are provisioned again
//                 without the offering); other errors, a missed deadline
//                 included, retry on a later Reconcile until the launch
//                 timeout (5 min); a launch whose claim write fails keeps
//                 its instance and the write is retried on the next pass
//   registration  not registered 15 min after launch: deleted
//   initialised   Ready, and every extended resource it was launched for
//                 (nvidia.com/gpu, ...) has non-zero allocatable
//   GPU timeout   beyond Karpenter: a node whose GPUs never register is
//                 replaced after gpu_initialization_timeout (default 10 min)
//   orphans       an instance no claim records (its launch answer was lost:
//                 the controller restarted mid-launch, or the claim went away
//                 while its launch was in flight) is terminated once it is
//                 older than 30 s (Karpenter AWS's instance garbage collection,
//                 pkg/controllers/nodeclaim/garbagecollection)
// Thread-safety: none.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ports/clock.h"
#include "ports/cloud_provider.h"
#include "ports/cluster.h"

namespace adze::controllers {

struct LifecycleOptions {
  model::Duration launch_timeout = 5 * model::kMinute;
  model::Duration registration_timeout = 15 * model::kMinute;
  model::Duration gpu_initialization_timeout = 10 * model::kMinute;
  // The deadline of one launch attempt (CloudProvider::Create). Default 1 min.
  model::Duration launch_attempt_timeout = 1 * model::kMinute;
  // Called after a launch completed and its result was queued (on the
  // controllers' thread, never inside Reconcile), so the shell can run
  // Reconcile() at once to apply it. Default: none (the next Reconcile applies it).
  std::function<void()> on_launch_completed;
};

struct LifecycleResult {
  std::vector<std::string> launched;
  std::vector<ports::OfferingKey> insufficient_capacity;  // offerings that failed
  std::vector<std::string> deleted_insufficient_capacity;
  std::vector<std::string> initialized;
  std::vector<std::pair<std::string, std::string>> deletion_requested;  // claim, reason
  std::vector<std::string> garbage_collected;  // instance vanished
  std::vector<ports::Instance> orphans_terminated;  // instances no claim recorded
  // Launches that failed and will be retried (throttled, unavailable, a
  // deadline, or the claim could not be written).
  std::vector<std::pair<std::string, Error>> launch_errors;
};

class NodeClaimLifecycle {
 public:
  NodeClaimLifecycle(ports::Cluster& cluster, ports::CloudProvider& cloud, const ports::Clock& clock,
                     LifecycleOptions options)
      : cluster_(cluster),
        cloud_(cloud),
        clock_(clock),
        options_(std::move(options)),
        alive_(std::make_shared<bool>(true)) {}
  NodeClaimLifecycle(const NodeClaimLifecycle&) = delete;
  NodeClaimLifecycle& operator=(const NodeClaimLifecycle&) = delete;

  // Applies the launches that completed, starts launches for claims that
  // have none in flight, and runs the registration and initialisation
  // checks: cheap when every claim is initialised, so it can run on every change.
  LifecycleResult Reconcile();
  // Both collections take the provider's List, read before the claims (one
  // List serves both when they are due together: against EC2 that is one
  // DescribeInstances, not one per claim).
  // Claims whose instance is gone are removed (Karpenter: every 2 min). A
  // launched claim missing from `listed` is asked about with Get before it
  // goes, as Karpenter does, so a List that came back short removes nothing
  // that still runs.
  LifecycleResult CollectGarbage(const std::vector<ports::Instance>& listed);
  // Instances of `listed` no claim records, older than kOrphanGrace and not
  // the answer of a launch still in flight here, are terminated.
  LifecycleResult CollectOrphanInstances(const std::vector<ports::Instance>& listed);
  static constexpr model::Duration kOrphanGrace = 30 * model::kSecond;

 private:
  void Launch(const ports::NodeClaimInfo& claim);
  // Applies the queued launch results, in completion order.
  void ApplyLaunches(LifecycleResult& result);
  void Launched(const ports::NodeClaimInfo& info, const ports::Instance& instance, LifecycleResult& result);
  void RequestDeletion(const std::string& claim, const std::string& reason, LifecycleResult& result);
  // The pool's instance types, fetched once per Reconcile.
  const catalog::InstanceType* FindType(const std::string& pool, const std::string& type);

  std::map<std::string, catalog::InstanceTypes> types_by_pool_;

  ports::Cluster& cluster_;
  ports::CloudProvider& cloud_;
  const ports::Clock& clock_;
  LifecycleOptions options_;
  // Claims with a launch in flight, and results waiting for Reconcile.
  std::set<std::string> in_flight_;
  std::vector<std::pair<std::string, Result<ports::Instance>>> completed_;
  // Claims whose launch failed, and when: retried on a later Reconcile.
  std::map<std::string, model::Duration> failed_at_;
  // Claims launched and written, until a snapshot shows the launch: a cache
  // fed by a watch (adapters/kube) lags the write, and a stale snapshot must
  // not launch the claim a second time.
  std::set<std::string> recorded_;
  // Claims launched whose status write failed, with their instance: the
  // write is retried, the instance kept (not launched a second time).
  std::map<std::string, ports::Instance> unwritten_;
  // Completion callbacks hold a weak_ptr to it and do nothing once it expires.
  std::shared_ptr<bool> alive_;
};

// Anything but cpu, memory, pods and ephemeral-storage (GPUs, EFA, Neuron, ...).
bool IsExtendedResource(std::string_view name);

// True when every extended resource the claim requests (anything but cpu,
// memory, pods, ephemeral-storage) shows non-zero allocatable on the node.
bool ExtendedResourcesRegistered(const model::ResourceList& requests, const model::ResourceList& allocatable);

}  // namespace adze::controllers
