// FakeCluster: a small in-memory cluster for the disruption unit tests —
// 4-CPU nodes, 2-CPU pods — read as a ports::ClusterSnapshot.
#pragma once

#include <map>
#include <memory>
#include <type_traits>
#include <string>
#include <vector>

#include "controllers/disruption/candidate.h"
#include "model/check.h"
#include "ports/cloud_provider.h"
#include "ports/cluster.h"

namespace adze::controllers::disruption::testing {

using model::kMinute;
using model::Quantity;

class FakeCluster {
 public:
  void AddPool(const std::string& name, model::Duration consolidate_after = 0, model::Annotations annotations = {}) {
    model::NodePool pool;
    pool.meta.name = name;
    pool.meta.annotations = std::move(annotations);
    pool.consolidate_after = consolidate_after;
    pools_.push_back(pool);
  }
  // A 4-CPU node of the pool, initialised `cold_start` after its claim was created.
  void AddNode(const std::string& name, const std::string& pool, model::Duration created,
               model::Duration cold_start = kMinute) {
    ports::NodeClaimInfo& claim = claims_[name];
    claim.claim.meta.name = name;
    claim.claim.node_name = name;
    claim.node_pool = pool;
    claim.created_at = created;
    claim.initialized_at = created + cold_start;
    ports::NodeInfo& node = nodes_[name];
    node.node.meta.name = name;
    node.node_claim = name;
    node.node.allocatable = {{"cpu", Quantity::FromUnits(4)}, {"memory", Quantity::MiB(16384)},
                             {"pods", Quantity::FromUnits(110)}};
    node.initialized = true;
  }
  // A 2-CPU pod bound to the node at `at`.
  void Bind(const std::string& pod_name, const std::string& node_name, model::Duration at) {
    ports::PodInfo& pod = pods_[pod_name];
    pod.pod.meta.name = pod_name;
    model::Container c;
    c.requests = {{"cpu", Quantity::FromUnits(2)}, {"memory", Quantity::MiB(4096)}};
    pod.pod.containers = {c};
    pod.pod.node_name = node_name;
    pod.phase = ports::PodPhase::kRunning;
    pod.created_at = pod.bound_at = pod.running_at = at;
    ports::NodeInfo& node = nodes_.at(node_name);
    node.pods.push_back(pod_name);
    node.requested.Add(pod.pod.EffectiveRequests());
  }
  void Finish(const std::string& pod_name) {
    ports::PodInfo& pod = pods_.at(pod_name);
    ports::NodeInfo& node = nodes_.at(pod.pod.node_name);
    std::erase(node.pods, pod_name);
    node.requested.Subtract(pod.pod.EffectiveRequests());
    pods_.erase(pod_name);
  }

  // The state as a snapshot, for the functions under test. Every snapshot
  // made is kept, so references handed out stay valid for the test.
  operator const ports::ClusterSnapshot&() const {  // NOLINT: implicit by design
    ports::ClusterSnapshot::Tables t;
    auto values = [](const auto& m) {
      std::vector<typename std::decay_t<decltype(m)>::mapped_type> out;
      for (const auto& [name, v] : m) out.push_back(v);
      return out;
    };
    auto name = [](const auto& o) { return ports::NameOf(o); };
    t.pods = ports::ClusterSnapshot::MakeTable(values(pods_), name);
    t.nodes = ports::ClusterSnapshot::MakeTable(values(nodes_), name);
    t.claims = ports::ClusterSnapshot::MakeTable(values(claims_), name);
    t.pools = std::make_shared<const std::vector<model::NodePool>>(pools_);
    t.daemon_sets = std::make_shared<const std::vector<model::DaemonSet>>(daemon_sets_);
    t.pdbs = std::make_shared<const std::vector<model::PodDisruptionBudget>>(pdbs_);
    snapshots_.push_back(std::make_shared<const ports::ClusterSnapshot>(std::move(t)));
    return *snapshots_.back();
  }

  // Candidates as BuildCandidates would make them for these plain nodes,
  // priced by the table (default $1/h).
  std::vector<Candidate> Candidates(const std::map<std::string, double>& prices = {}) const {
    std::vector<Candidate> out;
    for (const auto& [name, node] : nodes_) {
      Candidate c;
      c.claim = &claims_.at(name);
      c.node = &node;
      c.pool = &pools_.front();
      c.price = prices.contains(name) ? prices.at(name) : 1.0;
      for (const std::string& pod : node.pods) c.pods.push_back(&pods_.at(pod));
      out.push_back(c);
    }
    return out;
  }

 private:
  std::map<std::string, ports::PodInfo> pods_;
  std::map<std::string, ports::NodeInfo> nodes_;
  std::map<std::string, ports::NodeClaimInfo> claims_;
  std::vector<model::NodePool> pools_;
  std::vector<model::DaemonSet> daemon_sets_;
  std::vector<model::PodDisruptionBudget> pdbs_;
  mutable std::vector<std::shared_ptr<const ports::ClusterSnapshot>> snapshots_;
};

// A cloud with no instance types: any move that needs new capacity fails.
class NoCapacityCloud : public ports::CloudProvider {
 public:
  void Create(const model::NodeClaim&, model::Duration, ports::LaunchDone) override { ADZE_CHECK(false); }
  Status Delete(const std::string&) override { ADZE_CHECK(false); }
  std::optional<ports::Instance> Get(const std::string&) const override { return std::nullopt; }
  std::vector<ports::Instance> List() const override { return {}; }
  Result<catalog::InstanceTypes> GetInstanceTypes(const model::NodePool&) override {
    return catalog::InstanceTypes{};
  }
  void MarkUnavailable(const ports::OfferingKey&) override {}
  std::optional<std::string> IsDrifted(const model::NodeClaim&) const override { return std::nullopt; }
};

}  // namespace adze::controllers::disruption::testing
