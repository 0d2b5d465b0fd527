#include "controllers/disruption/headroom.h"

#include <gtest/gtest.h>

#include <map>

#include "model/check.h"

namespace adze::controllers::disruption {
namespace {

using model::kHour;
using model::kMinute;
using model::Quantity;

TEST(PoissonQuantileTest, MatchesTheDistribution) {
  EXPECT_EQ(PoissonQuantile(0, 0.999, 100), 0u);
  EXPECT_EQ(PoissonQuantile(0.5, 0.95, 100), 2u);   // P(≤1) = 0.910, P(≤2) = 0.986
  EXPECT_EQ(PoissonQuantile(4.0, 0.999, 100), 11u);
  EXPECT_EQ(PoissonQuantile(20.7, 0.999, 100), 36u);
  EXPECT_EQ(PoissonQuantile(500, 0.999, 100), 100u);  // capped
  EXPECT_EQ(PoissonQuantile(900, 0.5, 2000), 900u);   // no underflow at large means
  // 50,000 + 3.09 σ (σ = 224): the normal approximation gives 50,691.
  EXPECT_NEAR(static_cast<double>(PoissonQuantile(50000, 0.999, 100000)), 50691, 3);
}

// Reads only: Headroom never mutates the cluster.
class FakeCluster : public ports::Cluster {
 public:
  void AddPool(const std::string& name, model::Duration consolidate_after = 0) {
    model::NodePool pool;
    pool.meta.name = name;
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

  std::vector<const ports::PodInfo*> PendingPods() const override { return {}; }
  const ports::PodInfo* GetPod(const std::string& name) const override { return Find(pods_, name); }
  std::vector<const ports::NodeInfo*> Nodes() const override { return All(nodes_); }
  const ports::NodeInfo* GetNode(const std::string& name) const override { return Find(nodes_, name); }
  std::vector<const ports::NodeClaimInfo*> NodeClaims() const override { return All(claims_); }
  const ports::NodeClaimInfo* GetNodeClaim(const std::string& name) const override { return Find(claims_, name); }
  const std::vector<model::NodePool>& NodePools() const override { return pools_; }
  const std::vector<model::DaemonSet>& DaemonSets() const override { return daemon_sets_; }
  const std::vector<model::PodDisruptionBudget>& PodDisruptionBudgets() const override { return pdbs_; }

  std::string CreateNodeClaim(model::NodeClaim, const std::string&) override { ADZE_CHECK(false); }
  void UpdateNodeClaim(const ports::NodeClaimInfo&) override { ADZE_CHECK(false); }
  void RequestNodeClaimDeletion(const std::string&, const std::string&) override { ADZE_CHECK(false); }
  void RemoveNodeClaim(const std::string&) override { ADZE_CHECK(false); }
  void NominatePod(const std::string&, const std::string&) override { ADZE_CHECK(false); }
  void TaintNode(const std::string&, const model::Taint&) override { ADZE_CHECK(false); }
  void RemoveTaint(const std::string&, const std::string&) override { ADZE_CHECK(false); }
  Status EvictPod(const std::string&) override { ADZE_CHECK(false); }
  void DeletePod(const std::string&) override { ADZE_CHECK(false); }

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
  template <typename T>
  static const T* Find(const std::map<std::string, T>& m, const std::string& name) {
    auto it = m.find(name);
    return it == m.end() ? nullptr : &it->second;
  }
  template <typename T>
  static std::vector<const T*> All(const std::map<std::string, T>& m) {
    std::vector<const T*> out;
    for (const auto& [name, v] : m) out.push_back(&v);
    return out;
  }

  std::map<std::string, ports::PodInfo> pods_;
  std::map<std::string, ports::NodeInfo> nodes_;
  std::map<std::string, ports::NodeClaimInfo> claims_;
  std::vector<model::NodePool> pools_;
  std::vector<model::DaemonSet> daemon_sets_;
  std::vector<model::PodDisruptionBudget> pdbs_;
};

// Four one-pod batch jobs always running, each replaced by a new job every
// 15 minutes for an hour (L = 4), plus `idle` empty nodes.
FakeCluster SteadyBatchPool(int idle, model::Duration consolidate_after = 0) {
  FakeCluster cluster;
  cluster.AddPool("batch", consolidate_after);
  for (int n = 0; n < 4 + idle; ++n) cluster.AddNode("node-" + std::to_string(n), "batch", 0);
  return cluster;
}

void RunSteadyHour(FakeCluster& cluster, Headroom& headroom) {
  int job = 0;
  for (model::Duration t = 2 * kMinute; t <= kHour + 2 * kMinute; t += 15 * kMinute) {
    for (int n = 0; n < 4; ++n) {
      const std::string node = "node-" + std::to_string(n);
      if (job >= 4) cluster.Finish("job-" + std::to_string(job - 4));
      cluster.Bind("job-" + std::to_string(job++), node, t);
    }
    headroom.Observe(cluster, t);
  }
}

TEST(HeadroomTest, SteadyArrivalsHoldTheRoomTheirUpperTailNeeds) {
  FakeCluster cluster = SteadyBatchPool(/*idle=*/10);
  Headroom headroom;
  RunSteadyHour(cluster, headroom);
  const model::Duration now = kHour + 2 * kMinute;
  // L = 4; 20 arrivals in the hour × 1 min cold start adds 0.33: Poisson(4.33)
  // at 0.999 is 12, so room for 8 more pods.
  EXPECT_EQ(headroom.MissingRoom("batch", now), 8u);
  // Each busy node has 2 spare CPUs, room for one more job: the four busy
  // candidates are held first (keeping them costs nothing extra), then the
  // two cheapest empty ones, two jobs each.
  std::map<std::string, double> prices;
  for (int n = 4; n < 14; ++n) prices["node-" + std::to_string(n)] = 1.0 + n / 100.0;
  const std::set<std::string> held = headroom.Held(cluster, cluster.Candidates(prices), now);
  EXPECT_EQ(held, (std::set<std::string>{"node-0", "node-1", "node-2", "node-3", "node-4", "node-5"}));
}

TEST(HeadroomTest, RoomOnNodesThatStayAnywayIsUsedFirst) {
  FakeCluster cluster = SteadyBatchPool(/*idle=*/10);
  Headroom headroom;
  RunSteadyHour(cluster, headroom);
  const model::Duration now = kHour + 2 * kMinute;
  // Only the empty nodes are up for disruption; the busy ones stay anyway
  // and their room counts first.
  std::vector<Candidate> candidates = cluster.Candidates();
  std::erase_if(candidates, [](const Candidate& c) { return !c.empty(); });
  const std::set<std::string> held = headroom.Held(cluster, candidates, now);
  EXPECT_EQ(held, (std::set<std::string>{"node-10", "node-11"}))
      << "4 jobs fit beside the busy ones, 4 more on two empty nodes (equal prices: ties by name)";
}

TEST(HeadroomTest, APoolWithoutArrivalsInItsWindowKeepsNothing) {
  FakeCluster cluster = SteadyBatchPool(/*idle=*/3);
  Headroom headroom;
  RunSteadyHour(cluster, headroom);
  // Two hours after the last arrival: like a training job that has finished.
  const model::Duration later = 3 * kHour + 3 * kMinute;
  headroom.Observe(cluster, later);
  EXPECT_EQ(headroom.MissingRoom("batch", later), 0u);
  EXPECT_TRUE(headroom.Held(cluster, cluster.Candidates(), later).empty());
}

TEST(HeadroomTest, TheWindowStretchesToThePoolsConsolidateAfter) {
  FakeCluster cluster = SteadyBatchPool(/*idle=*/3, /*consolidate_after=*/4 * kHour);
  Headroom headroom;
  RunSteadyHour(cluster, headroom);
  const model::Duration later = 3 * kHour + 3 * kMinute;
  headroom.Observe(cluster, later);
  EXPECT_GT(headroom.MissingRoom("batch", later), 0u);
  EXPECT_FALSE(headroom.Held(cluster, cluster.Candidates(), later).empty());
}

TEST(HeadroomTest, AnUnknownPoolNeedsNoRoom) {
  Headroom headroom;
  EXPECT_EQ(headroom.MissingRoom("nope", kHour), 0u);
}

}  // namespace
}  // namespace adze::controllers::disruption
