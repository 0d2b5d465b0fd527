#include "controllers/disruption/consolidation_simulator.h"

#include <gtest/gtest.h>

#include <map>

#include "controllers/disruption/fake_cluster_test_util.h"

namespace adze::controllers::disruption {
namespace {

using model::kHour;
using testing::FakeCluster;
using testing::NoCapacityCloud;

size_t IndexOf(const std::vector<Candidate>& candidates, const std::string& claim) {
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].claim->claim.meta.name == claim) return i;
  }
  ADZE_CHECK(false);
}

// node-a runs one 2-CPU job and has 2 CPUs free; node-b runs one job too.
// Removing node-b moves its job onto node-a's free room — unless that room
// is kept for arrivals.
class KeptRoomTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_.AddPool("batch");
    cluster_.AddNode("node-a", "batch", 0);
    cluster_.AddNode("node-b", "batch", 0);
    cluster_.Bind("job-a", "node-a", kHour);
    cluster_.Bind("job-b", "node-b", kHour);
    candidates_ = cluster_.Candidates();
  }
  Move RemoveNodeB(const std::map<std::string, model::ResourceList>* kept) {
    SimulatorOptions options;
    options.kept_room = kept;
    ConsolidationSimulator simulator(cluster_, cloud_, candidates_, options);
    const size_t b[] = {IndexOf(candidates_, "node-b")};
    return simulator.Simulate(b);
  }

  FakeCluster cluster_;
  NoCapacityCloud cloud_;
  std::vector<Candidate> candidates_;
};

TEST_F(KeptRoomTest, MovedPodsUseFreeRoom) {
  const Move move = RemoveNodeB(nullptr);
  EXPECT_TRUE(move.feasible) << move.reason;
  EXPECT_TRUE(move.replacements.empty());
}

TEST_F(KeptRoomTest, MovedPodsNeverFillRoomKeptForArrivals) {
  const std::map<std::string, model::ResourceList> kept = {
      {"node-a", {{"cpu", model::Quantity::FromUnits(2)}, {"memory", model::Quantity::MiB(4096)}}}};
  const Move move = RemoveNodeB(&kept);
  EXPECT_FALSE(move.feasible) << "job-b may not take node-a's kept room, and no type can carry it";
}

TEST_F(KeptRoomTest, RoomKeptElsewhereDoesNotMatter) {
  const std::map<std::string, model::ResourceList> kept = {
      {"node-b", {{"cpu", model::Quantity::FromUnits(2)}, {"memory", model::Quantity::MiB(4096)}}}};
  EXPECT_TRUE(RemoveNodeB(&kept).feasible);
}

}  // namespace
}  // namespace adze::controllers::disruption
