#include "controllers/disruption/candidate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "controllers/disruption/fake_cluster_test_util.h"

namespace adze::controllers::disruption {
namespace {

using model::kHour;
using testing::FakeCluster;
using testing::NoCapacityCloud;

// Validation rebuilds only a command's candidates: each must come out as the
// whole-cluster call makes it, and no other node may.
TEST(BuildCandidatesTest, NamedClaimsOnlyComeOutAsTheWholeClusterCallMakesThem) {
  FakeCluster cluster;
  NoCapacityCloud cloud;
  cluster.AddPool("batch", 0);
  for (const char* node : {"node-a", "node-b", "node-c"}) cluster.AddNode(node, "batch", 0);
  cluster.Bind("job-a", "node-a", kHour);
  cluster.Bind("job-c1", "node-c", kHour);
  cluster.Bind("job-c2", "node-c", kHour);
  const ports::ClusterSnapshot& snapshot = cluster;
  const std::vector<Candidate> all = BuildCandidates(snapshot, cloud, 2 * kHour);
  ASSERT_EQ(all.size(), 3u);

  const std::set<std::string> named = {"node-c", "node-a", "not-a-claim"};
  const std::vector<Candidate> some = BuildCandidates(snapshot, cloud, 2 * kHour, &named);
  ASSERT_EQ(some.size(), 2u);
  for (const Candidate& c : some) {
    const std::string& name = c.claim->claim.meta.name;
    EXPECT_TRUE(name == "node-a" || name == "node-c") << name;
    const auto same = std::find_if(all.begin(), all.end(), [&](const Candidate& a) { return a.claim == c.claim; });
    ASSERT_NE(same, all.end());
    EXPECT_EQ(c.node, same->node);
    EXPECT_EQ(c.pods, same->pods);
    EXPECT_EQ(c.price, same->price);
    EXPECT_EQ(c.disruption_cost, same->disruption_cost);
    EXPECT_EQ(c.consolidatable, same->consolidatable);
    EXPECT_EQ(c.drifted, same->drifted);
  }
  const std::set<std::string> none;
  EXPECT_TRUE(BuildCandidates(snapshot, cloud, 2 * kHour, &none).empty());
}

}  // namespace
}  // namespace adze::controllers::disruption
