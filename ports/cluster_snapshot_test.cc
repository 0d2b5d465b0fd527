#include "ports/cluster_snapshot.h"

#include <gtest/gtest.h>

namespace adze::ports {
namespace {

NodeClaimInfo Claim(const std::string& name, bool initialized, bool deleting) {
  NodeClaimInfo c;
  c.claim.meta.name = name;
  if (initialized) c.initialized_at = 1;
  if (deleting) c.deletion_requested_at = 2;
  return c;
}

TEST(ClusterSnapshotTest, LooksUpByNameInSortedTables) {
  PodInfo a, b;
  a.pod.meta.name = "b-pod";
  b.pod.meta.name = "a-pod";
  ClusterSnapshot::Tables t;
  t.pods = ClusterSnapshot::MakeTable<PodInfo>({a, b}, [](const PodInfo& p) { return p.pod.meta.name; });
  ClusterSnapshot snap(t);
  ASSERT_NE(snap.GetPod("a-pod"), nullptr);
  EXPECT_EQ(snap.GetPod("b-pod")->pod.meta.name, "b-pod");
  EXPECT_EQ(snap.GetPod("c-pod"), nullptr);
  ASSERT_EQ(snap.Pods().size(), 2u);
  EXPECT_EQ(snap.Pods()[0]->pod.meta.name, "a-pod");
  EXPECT_TRUE(snap.Nodes().empty());  // missing tables read as empty
  EXPECT_TRUE(snap.NodePools().empty());
}

TEST(ClusterSnapshotTest, CountsClaimsInFlightAndDeleting) {
  ClusterSnapshot::Tables t;
  t.claims = ClusterSnapshot::MakeTable<NodeClaimInfo>(
      {Claim("a", false, false), Claim("b", true, false), Claim("c", false, true), Claim("d", true, true)},
      [](const NodeClaimInfo& c) { return c.claim.meta.name; });
  ClusterSnapshot snap(t);
  EXPECT_EQ(snap.claims_in_flight(), 1u);
  EXPECT_EQ(snap.claims_deleting(), 2u);
}

TEST(ClusterSnapshotTest, SharesTablesBetweenSnapshots) {
  ClusterSnapshot::Tables t;
  t.generation = 7;
  t.claims = ClusterSnapshot::MakeTable<NodeClaimInfo>({Claim("a", false, false)},
                                                       [](const NodeClaimInfo& c) { return c.claim.meta.name; });
  ClusterSnapshot first(t);
  t.generation = 8;
  ClusterSnapshot second(t);
  EXPECT_EQ(first.GetNodeClaim("a"), second.GetNodeClaim("a"));  // the same object, not a copy
  EXPECT_EQ(first.generation(), 7u);
  EXPECT_EQ(second.generation(), 8u);
}

}  // namespace
}  // namespace adze::ports
