// NodeClaimLifecycle: launch, registration and initialisation of NodeClaims
// (spec §5), plus garbage collection of claims whose instance is gone.
//   launch        cloud create; insufficient capacity deletes the claim at
//                 once (its pods are provisioned again without the offering);
//                 other errors retry until the launch timeout (5 min)
//   registration  not registered 15 min after launch: deleted
//   initialised   Ready, and every extended resource it was launched for
//                 (nvidia.com/gpu, ...) has non-zero allocatable
//   GPU timeout   beyond Karpenter: a node whose GPUs never register is
//                 replaced after gpu_initialization_timeout (default 10 min)
// Thread-safety: none.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ports/clock.h"
#include "ports/cloud_provider.h"
#include "ports/cluster.h"

namespace adze::controllers {

struct LifecycleOptions {
  model::Duration launch_timeout = 5 * model::kMinute;
  model::Duration registration_timeout = 15 * model::kMinute;
  model::Duration gpu_initialization_timeout = 10 * model::kMinute;
};

struct LifecycleResult {
  std::vector<std::string> launched;
  std::vector<ports::OfferingKey> insufficient_capacity;  // offerings that failed
  std::vector<std::string> deleted_insufficient_capacity;
  std::vector<std::string> initialized;
  std::vector<std::pair<std::string, std::string>> deletion_requested;  // claim, reason
  std::vector<std::string> garbage_collected;  // instance vanished
  // Launches that failed and will be retried (throttled, unavailable, a
  // deadline, or the claim could not be written).
  std::vector<std::pair<std::string, Error>> launch_errors;
};

class NodeClaimLifecycle {
 public:
  NodeClaimLifecycle(ports::Cluster& cluster, ports::CloudProvider& cloud, const ports::Clock& clock,
                     LifecycleOptions options)
      : cluster_(cluster), cloud_(cloud), clock_(clock), options_(options) {}

  // Launches, registration and initialisation checks: cheap when every
  // claim is initialised, so it can run on every change.
  LifecycleResult Reconcile();
  // Claims whose instance is gone are removed (Karpenter: every 2 min).
  LifecycleResult CollectGarbage();

 private:
  void Launch(const ports::NodeClaimInfo& claim, LifecycleResult& result);
  void RequestDeletion(const std::string& claim, const std::string& reason, LifecycleResult& result);
  // The pool's instance types, fetched once per Reconcile.
  const catalog::InstanceType* FindType(const std::string& pool, const std::string& type);

  std::map<std::string, std::vector<catalog::InstanceType>> types_by_pool_;
  std::shared_ptr<const ports::ClusterSnapshot> snapshot_;  // during Reconcile

  ports::Cluster& cluster_;
  ports::CloudProvider& cloud_;
  const ports::Clock& clock_;
  LifecycleOptions options_;
};

// Anything but cpu, memory, pods and ephemeral-storage (GPUs, EFA, Neuron, ...).
bool IsExtendedResource(std::string_view name);

// True when every extended resource the claim requests (anything but cpu,
// memory, pods, ephemeral-storage) shows non-zero allocatable on the node.
bool ExtendedResourcesRegistered(const model::ResourceList& requests, const model::ResourceList& allocatable);

}  // namespace adze::controllers
