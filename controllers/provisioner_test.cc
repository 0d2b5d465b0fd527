#include "controllers/provisioner.h"

#include <gtest/gtest.h>

#include "controllers/controller_test_util.h"
#include "scheduling/solver_test_util.h"

namespace adze::controllers {
namespace {

class ZeroStopwatch : public ports::Stopwatch {
 public:
  double Seconds() const override { return 0; }
};

struct ProvisionerTest : ::testing::Test {
  testing::World w;
  ZeroStopwatch stopwatch;
  Provisioner provisioner{w.cluster, w.cloud, w.clock, stopwatch, ProvisionerOptions{}};

  void SetUp() override { w.cloud.SetInstanceTypes({scheduling::test_util::Type("m6i.large", 2, 8, 29, 0.096)}); }

  void AddPendingPod(const std::string& name) {
    ports::PodInfo p;
    p.pod.meta.name = name;
    model::Container c;
    c.requests = {{"cpu", model::Quantity::FromUnits(1)}};
    p.pod.containers = {c};
    p.unschedulable = true;
    w.cluster.AddPod(p);
    provisioner.Trigger(name);
  }
};

TEST_F(ProvisionerTest, CreatesAClaimAndNominatesItsPods) {
  AddPendingPod("a");
  const ProvisioningResult r = provisioner.Provision();
  ASSERT_EQ(r.created_claims.size(), 1u);
  EXPECT_EQ(w.cluster.Snapshot()->GetPod("a")->nominated_node_claim, r.created_claims[0]);
}

TEST_F(ProvisionerTest, AClaimTheClusterRefusesLeavesItsPodsForTheNextBatch) {
  AddPendingPod("a");
  w.cluster.FailNext("CreateNodeClaim", Error::Unavailable("apiserver down"));
  ProvisioningResult r = provisioner.Provision();
  EXPECT_TRUE(r.created_claims.empty());
  ASSERT_EQ(r.create_errors.size(), 1u);
  EXPECT_EQ(r.create_errors[0].code, ErrorCode::kUnavailable);
  EXPECT_TRUE(w.cluster.Snapshot()->GetPod("a")->nominated_node_claim.empty());
  EXPECT_EQ(w.cluster.CountCalls("NominatePod"), 0u);
  r = provisioner.Provision();  // the next batch
  EXPECT_EQ(r.created_claims.size(), 1u);
}

TEST_F(ProvisionerTest, APodGoneBeforeItsNominationDoesNotStopTheOthers) {
  AddPendingPod("a");
  AddPendingPod("b");
  w.cluster.FailNext("NominatePod", Error::NotFound("pod a"));
  const ProvisioningResult r = provisioner.Provision();
  ASSERT_EQ(r.created_claims.size(), 1u);
  EXPECT_EQ(w.cluster.CountCalls("NominatePod"), 2u);
  EXPECT_EQ(w.cluster.Snapshot()->GetPod("b")->nominated_node_claim, r.created_claims[0]);
}

// A restarted controller counts from 1 again: the names earlier processes'
// claims still hold are skipped, not refused by the API one batch at a time.
TEST_F(ProvisionerTest, ANewClaimSkipsTheNamesOfClaimsThatExist) {
  w.AddPendingClaim("default-00001");
  w.AddPendingClaim("default-00002");
  AddPendingPod("a");
  const ProvisioningResult r = provisioner.Provision();
  ASSERT_EQ(r.created_claims.size(), 1u);
  EXPECT_EQ(r.created_claims[0], "default-00003");
  EXPECT_TRUE(r.create_errors.empty());
}

// Pods nominated to a launched claim are packed again with the new ones, as
// Karpenter does (issue 16 measured the alternative, leaving them where they
// were, at 2-16 % dearer on the Alibaba trace: re-packing lets new and
// waiting pods share in-flight claims).
TEST_F(ProvisionerTest, PodsNominatedToALaunchedClaimArePackedAgainWithTheNewOnes) {
  AddPendingPod("a");
  ProvisioningResult r = provisioner.Provision();
  ASSERT_EQ(r.created_claims.size(), 1u);
  const std::string claim = r.created_claims[0];
  // CreateFleet answered: the claim is launched with room for two 1-CPU pods.
  ports::NodeClaimInfo& launched = w.cluster.claim(claim);
  launched.launched_at = w.clock.Now();
  launched.claim.allocatable = {{"cpu", model::Quantity::FromUnits(2)},
                                {"memory", model::Quantity::MiB(8192)},
                                {"pods", model::Quantity::FromUnits(29)}};
  auto nominated = [&](const std::string& pod) { return w.cluster.Snapshot()->GetPod(pod)->nominated_node_claim; };

  AddPendingPod("b");
  r = provisioner.Provision();
  EXPECT_EQ(r.pods, 2u);
  EXPECT_EQ(r.nominated_existing, 2u);
  EXPECT_TRUE(r.created_claims.empty());
  EXPECT_EQ(nominated("a"), claim);
  EXPECT_EQ(nominated("b"), claim);

  AddPendingPod("c");  // the claim is full
  r = provisioner.Provision();
  EXPECT_EQ(r.pods, 3u);
  ASSERT_EQ(r.created_claims.size(), 1u);
  EXPECT_NE(nominated("c"), claim);
}

}  // namespace
}  // namespace adze::controllers
