// Provisioner: Karpenter's provisioning loop (spec §2). Pods the
// kube-scheduler could not place trigger a batch; when the batch closes, the
// provisioner snapshots nodes and in-flight NodeClaims (before listing pending
// pods, so concurrent binds under- rather than over-provision), solves, creates
// the new NodeClaims and nominates each pod to where it will go.
// Thread-safety: none; the controller loop calls it from one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "controllers/arrival_sizing.h"
#include "controllers/batcher.h"
#include "ports/clock.h"
#include "ports/stopwatch.h"
#include "ports/cloud_provider.h"
#include "ports/cluster.h"
#include "scheduling/solver.h"

namespace adze::controllers {

struct ProvisionerOptions {
  model::Duration batch_idle = model::kSecond;
  model::Duration batch_max = 10 * model::kSecond;
  scheduling::SolverOptions solver{.compute_lower_bound = false};
  // adze packer: new claims are sized for the pods their pool expects
  // before they are ready (arrival_sizing.h); false sizes them for the batch only.
  bool size_for_arrivals = true;
  ArrivalSizingOptions arrival_sizing;
};

struct ProvisioningResult {
  size_t pods = 0;                 // provisionable pods considered
  size_t nominated_existing = 0;   // onto nodes or in-flight claims
  std::vector<std::string> created_claims;
  size_t unschedulable = 0;
  // "<pod>: <reason>" for each pod the solver could place nowhere.
  std::vector<std::string> unschedulable_reasons;
  double cost_per_hour = 0;        // of the new claims
  double solve_wall_seconds = 0;   // the controller's own decision time
  // Claims the cluster refused to create (their pods trigger the next batch).
  std::vector<Error> create_errors;
};

class Provisioner {
 public:
  Provisioner(ports::Cluster& cluster, ports::CloudProvider& cloud, const ports::Clock& clock,
              const ports::Stopwatch& stopwatch, ProvisionerOptions options);

  // A provisionable pod (or a deleting node) was seen.
  void Trigger(std::string_view uid) { batcher_.Trigger(clock_.Now(), uid); }
  std::optional<model::Duration> NextBatchAt() const { return batcher_.ClosesAt(); }

  // Runs one provisioning pass now and closes the batch.
  ProvisioningResult Provision();

 private:
  scheduling::SolverInput Snapshot(const ports::ClusterSnapshot& cluster, std::vector<std::string>& node_claim_of_input,
                                   std::vector<std::string>& pod_names);

  // Records the pass's arrivals per pool and sizes the plan's new claims for
  // the pods their pools expect (arrival_sizing.h).
  void SizeForArrivals(std::vector<scheduling::NewClaim>& claims, const std::vector<model::Pod>& pods,
                       const std::map<std::string, size_t>& arrived_on_existing,
                       const std::function<bool(size_t)>& arrived);

  // NodeLabelRequirements of the last pass's nodes, by node name, reused
  // while a node's labels are unchanged (nearly all are, pass after pass).
  std::shared_ptr<const model::Requirements> LabelRequirements(const model::Node& node);
  struct CachedLabels {
    model::Labels labels;
    std::shared_ptr<const model::Requirements> requirements;
    uint64_t pass = 0;  // the last pass that used it
  };

  ports::Cluster& cluster_;
  ports::CloudProvider& cloud_;
  const ports::Clock& clock_;
  const ports::Stopwatch& stopwatch_;
  ProvisionerOptions options_;
  Batcher batcher_;
  uint64_t claims_created_ = 0;
  uint64_t passes_ = 0;
  std::unordered_map<std::string, CachedLabels> label_cache_;
  PoolArrivals arrivals_{options_.arrival_sizing.window};
};

// Pods a provisioning pass considers (spec §2.1): pending, marked
// unschedulable by the kube-scheduler, not owned by a DaemonSet.
bool IsProvisionable(const ports::PodInfo& pod);

}  // namespace adze::controllers
