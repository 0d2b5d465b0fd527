// TwinCluster with an InstanceDirectory: a claim on an EC2 instance gets its
// Node only while the instance runs, after the calibrated delays from the
// instance's launch (÷ speed), GPUs after the device plugin's delay; the Node
// (and its pods) go when the instance is terminated. kwok:// claims keep
// their old behaviour.
#include <map>

#include <gtest/gtest.h>

#include "adapters/kube/object_codec.h"
#include "adapters/twin/instance_directory.h"
#include "adapters/twin/object_store.h"
#include "adapters/twin/twin_cluster.h"
#include "model/resource_list.h"

namespace adze::twin {
namespace {

using nlohmann::json;
constexpr int64_t kSecondUs = 1'000'000;
constexpr int64_t kT0 = 1'780'000'000LL * kSecondUs;
constexpr double kSpeed = 10;

class FakeDirectory : public InstanceDirectory {
 public:
  std::optional<InstanceState> Find(const std::string& id) const override {
    auto it = instances.find(id);
    if (it == instances.end()) return std::nullopt;
    return it->second;
  }
  std::map<std::string, InstanceState> instances;
};

class TwinClusterAwsTest : public ::testing::Test {
 protected:
  TwinClusterAwsTest() : store_([this] { return now_; }, 1000), cluster_(store_, kSpeed, &directory_) {
    cluster_.Bootstrap();
  }

  void Claim(const std::string& name, const std::string& provider_id, int gpus) {
    ports::NodeClaimInfo info;
    info.claim.meta.name = name;
    info.claim.meta.uid = "uid-" + name;
    info.claim.provider_id = provider_id;
    info.claim.capacity.Set(model::resource::kCpu, model::Quantity::FromUnits(8));
    info.claim.capacity.Set(model::resource::kMemory, *model::Quantity::Parse("32Gi"));
    if (gpus > 0) info.claim.capacity.Set(model::resource::kNvidiaGpu, model::Quantity::FromUnits(gpus));
    info.claim.launched = true;
    info.node_pool = "default";
    ASSERT_TRUE(store_.Create("nodeclaims.karpenter.sh", "", kube::EncodeNodeClaim(info)).ok());
  }

  std::optional<json> Node(const std::string& name) {
    auto n = store_.Get("nodes", "", name);
    if (!n.ok()) return std::nullopt;
    return *n;
  }

  static bool Ready(const json& node) {
    for (const json& c : node["status"].value("conditions", json::array())) {
      if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
    }
    return false;
  }

  void Step(double seconds_after_t0) {
    now_ = kT0 + static_cast<int64_t>(seconds_after_t0 * kSecondUs);
    cluster_.Step(now_);
  }

  int64_t now_ = kT0;
  FakeDirectory directory_;
  ObjectStore store_;
  TwinCluster cluster_;
};

TEST_F(TwinClusterAwsTest, NodeOnlyForARunningInstanceAfterTheBootDelaysFromItsLaunch) {
  Claim("cpu-1", "aws:///us-east-1a/i-1", 0);
  Step(100);  // the instance is unknown: no Node, however long
  EXPECT_FALSE(Node("cpu-1"));
  directory_.instances["i-1"] = InstanceState{false, kT0, "m5.2xlarge", 0};
  Step(101);  // known but not running
  EXPECT_FALSE(Node("cpu-1"));

  // Launched at t0 + 200 s: registered 19.5 s ÷ 10 later, Ready 27 s ÷ 10 later.
  directory_.instances["i-1"] = InstanceState{true, kT0 + 200 * kSecondUs, "m5.2xlarge", 0};
  Step(201.9);
  EXPECT_FALSE(Node("cpu-1"));
  Step(202.0);
  auto node = Node("cpu-1");
  ASSERT_TRUE(node);
  EXPECT_EQ(node->at("spec").value("providerID", ""), "aws:///us-east-1a/i-1");
  EXPECT_FALSE(Ready(*node));
  Step(202.8);
  ASSERT_TRUE(Node("cpu-1"));
  EXPECT_TRUE(Ready(*Node("cpu-1")));
}

TEST_F(TwinClusterAwsTest, GpusAppearOnlyAfterTheDevicePluginDelay) {
  Claim("gpu-1", "aws:///us-east-1a/i-2", 8);
  directory_.instances["i-2"] = InstanceState{true, kT0, "p5.48xlarge", 8};
  Step(10.1);  // registered at 100 s ÷ 10
  auto node = Node("gpu-1");
  ASSERT_TRUE(node);
  EXPECT_EQ(node->at("status")["allocatable"].value("nvidia.com/gpu", ""), "0");
  Step(11);  // Ready at 107.5 s ÷ 10, GPUs not yet
  EXPECT_TRUE(Ready(*Node("gpu-1")));
  EXPECT_EQ(Node("gpu-1")->at("status")["allocatable"].value("nvidia.com/gpu", ""), "0");
  Step(12.8);  // device plugin 20 s ÷ 10 after Ready
  EXPECT_EQ(Node("gpu-1")->at("status")["allocatable"].value("nvidia.com/gpu", ""), "8");
  EXPECT_EQ(Node("gpu-1")->at("status")["capacity"].value("nvidia.com/gpu", ""), "8");
}

TEST_F(TwinClusterAwsTest, TerminatedInstanceTakesItsNodeAndPodsWithIt) {
  Claim("cpu-2", "aws:///us-east-1b/i-3", 0);
  directory_.instances["i-3"] = InstanceState{true, kT0, "m5.2xlarge", 0};
  Step(5);
  ASSERT_TRUE(Node("cpu-2"));
  json pod{{"apiVersion", "v1"},
           {"kind", "Pod"},
           {"metadata", {{"name", "web"}, {"namespace", "default"}}},
           {"spec", {{"nodeName", "cpu-2"}, {"containers", json::array({json{{"name", "c"}, {"image", "nginx"}}})}}}};
  ASSERT_TRUE(store_.Create("pods", "default", pod).ok());
  Step(6);
  ASSERT_TRUE(store_.Get("pods", "default", "web").ok());

  directory_.instances["i-3"].running = false;  // EC2 terminated it (spot interruption)
  Step(7);
  EXPECT_FALSE(Node("cpu-2"));
  EXPECT_FALSE(store_.Get("pods", "default", "web").ok());
  Step(60);  // the claim is still there: the Node does not come back
  EXPECT_FALSE(Node("cpu-2"));
}

TEST_F(TwinClusterAwsTest, KwokClaimsIgnoreTheDirectory) {
  Claim("kwok-1", "kwok://kwok-1", 0);
  Step(0);  // first seen now: registered 1.95 s later
  EXPECT_FALSE(Node("kwok-1"));
  Step(2);
  ASSERT_TRUE(Node("kwok-1"));
}

// kube-scheduler's nominator: room a pending pod is nominated to is its own
// against pods of the same or a lower priority, whoever is older.
class TwinSchedulerTest : public TwinClusterAwsTest {
 protected:
  void AddPod(const std::string& name, const std::string& nominated, int priority = 0) {
    now_ += kSecondUs;  // created in this order
    json pod{{"metadata", {{"name", name}}},
             {"spec",
              {{"priority", priority},
               {"containers",
                json::array({json{{"name", "c"}, {"image", "i"}, {"resources", {{"requests", {{"cpu", "5"}}}}}}})}}},
             {"status", {{"phase", "Pending"}}}};
    if (!nominated.empty()) pod["status"]["nominatedNodeName"] = nominated;
    ASSERT_TRUE(store_.Create("pods", "default", pod).ok());
  }
  std::string NodeOf(const std::string& pod) {
    auto p = store_.Get("pods", "default", pod);
    return p.ok() ? (*p)["spec"].value("nodeName", "") : "?";
  }
  // A Ready node of 8 CPUs: room for one 5-CPU pod.
  void ReadyNode(const std::string& name) {
    Claim(name, "kwok://" + name, 0);
    Step((now_ - kT0) / static_cast<double>(kSecondUs));
    Step((now_ - kT0) / static_cast<double>(kSecondUs) + 10);
    ASSERT_TRUE(Node(name) && Ready(*Node(name)));
  }
};

TEST_F(TwinSchedulerTest, AnOlderPodDoesNotTakeTheNodeAnotherIsNominatedTo) {
  ReadyNode("n1");
  AddPod("early", "claim-still-launching");
  AddPod("late", "n1");
  Step((now_ - kT0) / static_cast<double>(kSecondUs));
  EXPECT_EQ(NodeOf("late"), "n1");
  EXPECT_EQ(NodeOf("early"), "");
}

TEST_F(TwinSchedulerTest, AHigherPriorityPodIsNotHeldBackByALowerPrioritysNomination) {
  ReadyNode("n1");
  AddPod("low", "n1", 0);
  AddPod("vip", "", 1000);
  Step((now_ - kT0) / static_cast<double>(kSecondUs));
  EXPECT_EQ(NodeOf("vip"), "n1");
  EXPECT_EQ(NodeOf("low"), "");
}

}  // namespace
}  // namespace adze::twin
