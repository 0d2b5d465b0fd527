#include "controllers/disruption/headroom.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "controllers/disruption/fake_cluster_test_util.h"

namespace adze::controllers::disruption {
namespace {

using testing::FakeCluster;
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

// The candidates held back, as the controller marks them: those whose node
// has kept room.
std::set<std::string> Held(const Headroom::KeptRoom& kept, const std::vector<Candidate>& candidates) {
  std::set<std::string> out;
  for (const Candidate& c : candidates) {
    if (kept.contains(c.node->node.meta.name)) out.insert(c.claim->claim.meta.name);
  }
  return out;
}

// Headroom for pools without the annotation (off by default).
HeadroomOptions On() {
  HeadroomOptions o;
  o.by_default = true;
  return o;
}

// Four one-pod batch jobs always running, each replaced by a new job every
// 15 minutes for an hour (L = 4), plus `idle` empty nodes.
FakeCluster SteadyBatchPool(int idle, model::Duration consolidate_after = 0, model::Annotations annotations = {}) {
  FakeCluster cluster;
  cluster.AddPool("batch", consolidate_after, std::move(annotations));
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
  Headroom headroom(On());
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
  const std::vector<Candidate> candidates = cluster.Candidates(prices);
  const Headroom::KeptRoom kept = headroom.Keep(cluster, candidates, now);
  EXPECT_EQ(kept.size(), 6u);
  EXPECT_EQ(Held(kept, candidates), (std::set<std::string>{"node-0", "node-1", "node-2", "node-3", "node-4", "node-5"}));
  // The room itself, which consolidation may not fill: a job's worth on
  // each busy node, two on each empty one.
  EXPECT_EQ(kept.at("node-0").Get("cpu"), Quantity::FromUnits(2));
  EXPECT_EQ(kept.at("node-4").Get("cpu"), Quantity::FromUnits(4));
  EXPECT_EQ(kept.at("node-4").Get("pods"), Quantity::FromUnits(2));
}

TEST(HeadroomTest, RoomOnNodesThatStayAnywayIsUsedFirst) {
  FakeCluster cluster = SteadyBatchPool(/*idle=*/10);
  Headroom headroom(On());
  RunSteadyHour(cluster, headroom);
  const model::Duration now = kHour + 2 * kMinute;
  // Only the empty nodes are up for disruption; the busy ones stay anyway
  // and their room counts first.
  std::vector<Candidate> candidates = cluster.Candidates();
  std::erase_if(candidates, [](const Candidate& c) { return !c.empty(); });
  const std::set<std::string> held = Held(headroom.Keep(cluster, candidates, now), candidates);
  EXPECT_EQ(held, (std::set<std::string>{"node-10", "node-11"}))
      << "4 jobs fit beside the busy ones, 4 more on two empty nodes (equal prices: ties by name)";
}

// Room missing and nodes held two hours after the last arrival (like a
// training job that has finished), for a pool with that consolidateAfter.
std::pair<size_t, size_t> TwoHoursAfterTheLastArrival(model::Duration consolidate_after) {
  FakeCluster cluster = SteadyBatchPool(/*idle=*/3, consolidate_after);
  Headroom headroom(On());
  RunSteadyHour(cluster, headroom);
  const model::Duration later = 3 * kHour + 3 * kMinute;
  headroom.Observe(cluster, later);
  const std::vector<Candidate> candidates = cluster.Candidates();
  return {headroom.MissingRoom("batch", later), Held(headroom.Keep(cluster, candidates, later), candidates).size()};
}

TEST(HeadroomTest, APoolWithoutArrivalsInItsWindowKeepsNothing) {
  EXPECT_EQ(TwoHoursAfterTheLastArrival(0), std::make_pair(size_t{0}, size_t{0}));
}

TEST(HeadroomTest, TheWindowStretchesToThePoolsConsolidateAfter) {
  const auto [missing, held] = TwoHoursAfterTheLastArrival(4 * kHour);
  EXPECT_GT(missing, 0u);
  EXPECT_GT(held, 0u);
}

// The knob: headroom costs idle capacity, so a pool keeps it only when asked,
// by its annotation or by the default (`--headroom`).
size_t MissingAfterASteadyHour(HeadroomOptions options, model::Annotations annotations) {
  FakeCluster cluster = SteadyBatchPool(/*idle=*/4, 0, std::move(annotations));
  Headroom headroom(options);
  RunSteadyHour(cluster, headroom);
  return headroom.MissingRoom("batch", kHour + 2 * kMinute);
}

TEST(HeadroomTest, OffByDefault) { EXPECT_EQ(MissingAfterASteadyHour({}, {}), 0u); }

TEST(HeadroomTest, ThePoolsAnnotationOverridesTheDefault) {
  const std::string key(model::label::kHeadroom);
  EXPECT_EQ(MissingAfterASteadyHour({}, {{key, "true"}}), 8u);
  EXPECT_EQ(MissingAfterASteadyHour(On(), {{key, "false"}}), 0u);
  EXPECT_EQ(MissingAfterASteadyHour(On(), {}), 8u);
}

TEST(HeadroomTest, AnUnknownPoolNeedsNoRoom) {
  Headroom headroom(On());
  EXPECT_EQ(headroom.MissingRoom("nope", kHour), 0u);
}

}  // namespace
}  // namespace adze::controllers::disruption
