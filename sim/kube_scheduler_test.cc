// KubeScheduler: room a pending pod is nominated to is its own against
// pods of the same or a lower priority (kube-scheduler's nominator), so an
// older pod does not take a node launched for others.
#include "sim/kube_scheduler.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "sim/sim_clock.h"

namespace adze::sim {
namespace {

struct World {
  explicit World(bool sees_nominations = true) : scheduler{cluster, kubelet, sees_nominations} {}
  EventQueue events;
  SimClock clock{events, 0};
  SimulatedCluster cluster{clock, {Pool()}, {}, {}};
  Scenario scenario;
  Kubelet kubelet{clock, cluster, scenario, [](const std::string&, const StartupPhases&) {}};
  KubeScheduler scheduler;

  static model::NodePool Pool() {
    model::NodePool pool;
    pool.meta.name = "default";
    return pool;
  }
  // A claim; with `ready`, a Ready node of 8 CPUs (room for one 5-CPU pod).
  void Claim(const std::string& name, bool ready) {
    model::NodeClaim claim;
    claim.meta.name = name;
    ASSERT_TRUE(cluster.CreateNodeClaim(claim, "default").ok());
    if (!ready) return;
    model::Node node;
    node.meta.name = name;
    node.allocatable.Set(model::resource::kCpu, model::Quantity::FromUnits(8));
    node.allocatable.Set(model::resource::kPods, model::Quantity::FromUnits(110));
    cluster.RegisterNode(name, node);
    cluster.SetNodeReady(name);
  }
  void Pod(const std::string& name, const std::string& nominated, int32_t priority = 0,
           model::Labels node_selector = {}) {
    events.RunUntil(events.Now() + model::kSecond);  // created in this order
    model::Pod pod;
    pod.meta.name = name;
    pod.priority = priority;
    pod.node_selector = std::move(node_selector);
    model::Container c;
    c.requests.Set(model::resource::kCpu, model::Quantity::FromUnits(5));
    pod.containers.push_back(c);
    cluster.AddPod(pod);
    if (!nominated.empty()) {
      ASSERT_TRUE(cluster.NominatePod(name, nominated).ok());
    }
  }
  std::string NodeOf(const std::string& pod) { return cluster.GetPod(pod)->pod.node_name; }
};

// "early" is nominated to a claim still launching, "late" to the ready n1
// (room for one of them); after a pass: the nodes of early and late.
std::pair<std::string, std::string> EarlyAndLateAfterAPass(bool sees_nominations) {
  World w(sees_nominations);
  w.Claim("launching", false);
  w.Claim("n1", true);
  w.Pod("early", "launching");
  w.Pod("late", "n1");
  w.scheduler.Pass();
  return {w.NodeOf("early"), w.NodeOf("late")};
}

TEST(KubeSchedulerTest, AnOlderPodDoesNotTakeTheNodeAnotherIsNominatedTo) {
  EXPECT_EQ(EarlyAndLateAfterAPass(true), std::make_pair(std::string(), std::string("n1")));
}

TEST(KubeSchedulerTest, AHigherPriorityPodIsNotHeldBackByALowerPrioritysNomination) {
  World w;
  w.Claim("n1", true);
  w.Pod("low", "n1", 0);
  w.Pod("vip", "", 1000);
  w.scheduler.Pass();
  EXPECT_EQ(w.NodeOf("vip"), "n1");
  EXPECT_EQ(w.NodeOf("low"), "");
}

// Karpenter does not publish nominatedNodeName (its nominations are Events),
// so under its provisioner the older pod takes the node, as in a real cluster.
TEST(KubeSchedulerTest, NominationsItDoesNotSeeHoldNoRoom) {
  EXPECT_EQ(EarlyAndLateAfterAPass(false), std::make_pair(std::string("n1"), std::string()));
}

// A pass that skips pods already unschedulable (nothing freed room since)
// still counts their nominations.
TEST(KubeSchedulerTest, AnUnschedulablePodSkippedByAPassStillHoldsItsRoom) {
  World w;
  w.Claim("n1", true);
  w.Pod("held", "n1", 0, {{"disk", "ssd"}});  // n1 has no such label
  w.scheduler.Pass();
  ASSERT_TRUE(w.cluster.GetPod("held")->unschedulable);
  w.Pod("newcomer", "");
  w.scheduler.Pass();
  EXPECT_EQ(w.NodeOf("newcomer"), "");
}

}  // namespace
}  // namespace adze::sim
