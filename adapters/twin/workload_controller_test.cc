#include "adapters/twin/workload_controller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace adze::twin {
namespace {

using nlohmann::json;

class WorkloadControllerTest : public ::testing::Test {
 protected:
  int64_t now_ = 1'700'000'000'000'000;
  ObjectStore store_{[this] { return now_ += 1'000'000; }, 1000};
  WorkloadController controller_{store_};

  void CreateDeployment(const std::string& name, int replicas) {
    json d = json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{},
      "spec":{"selector":{"matchLabels":{"app":"web"}},
              "template":{"metadata":{"labels":{"app":"web"},"annotations":{"karpenter.sh/do-not-disrupt":"true"}},
                          "spec":{"containers":[{"name":"c","image":"nginx"}]}}}})");
    d["metadata"]["name"] = name;
    d["spec"]["replicas"] = replicas;
    ASSERT_TRUE(store_.Create("deployments.apps", "default", d).ok());
  }
  std::vector<json> Pods() { return store_.List("pods", "default").items; }
};

TEST_F(WorkloadControllerTest, KeepsTheReplicasFromTheTemplateWithAnOwnerReference) {
  CreateDeployment("web", 3);
  controller_.Step();
  auto pods = Pods();
  ASSERT_EQ(pods.size(), 3u);
  for (const json& p : pods) {
    EXPECT_EQ(p["metadata"]["name"].get<std::string>().rfind("web-", 0), 0u);
    EXPECT_EQ(p["metadata"]["labels"]["app"], "web");
    EXPECT_EQ(p["metadata"]["annotations"]["karpenter.sh/do-not-disrupt"], "true");
    EXPECT_EQ(p["metadata"]["ownerReferences"][0]["kind"], "Deployment");
    EXPECT_EQ(p["metadata"]["ownerReferences"][0]["controller"], true);
  }
  controller_.Step();  // steady: nothing more
  EXPECT_EQ(Pods().size(), 3u);
  auto d = store_.Get("deployments.apps", "default", "web");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)["status"]["replicas"], 3);
}

// An evicted (deleted) or failed pod is replaced: this is what lets a
// drained pod come back pending for the autoscaler to place.
TEST_F(WorkloadControllerTest, ReplacesADeletedOrFailedPod) {
  CreateDeployment("web", 2);
  controller_.Step();
  auto pods = Pods();
  ASSERT_EQ(pods.size(), 2u);
  ASSERT_TRUE(store_.Delete("pods", "default", pods[0]["metadata"]["name"]).ok());
  ASSERT_TRUE(store_
                  .Mutate("pods", "default", pods[1]["metadata"]["name"],
                          [](json& p) {
                            p["status"]["phase"] = "Failed";
                            return OkStatus();
                          })
                  .ok());
  controller_.Step();
  int live = 0;
  for (const json& p : Pods()) live += p.value("status", json::object()).value("phase", "") != "Failed";
  EXPECT_EQ(live, 2);
  EXPECT_EQ(controller_.created(), 4u);
}

TEST_F(WorkloadControllerTest, ScalesDownNewestFirstAndCollectsPodsOfADeletedDeployment) {
  CreateDeployment("web", 3);
  controller_.Step();
  auto before = Pods();
  ASSERT_TRUE(store_
                  .Mutate("deployments.apps", "default", "web",
                          [](json& d) {
                            d["spec"]["replicas"] = 1;
                            return OkStatus();
                          })
                  .ok());
  controller_.Step();
  auto after = Pods();
  ASSERT_EQ(after.size(), 1u);
  // The oldest pod (created first) stays.
  const json oldest = *std::min_element(before.begin(), before.end(), [](const json& a, const json& b) {
    return a["metadata"]["creationTimestamp"].get<std::string>() < b["metadata"]["creationTimestamp"].get<std::string>();
  });
  EXPECT_EQ(after[0]["metadata"]["name"], oldest["metadata"]["name"]);
  ASSERT_TRUE(store_.Delete("deployments.apps", "default", "web").ok());
  controller_.Step();
  EXPECT_TRUE(Pods().empty());
}

}  // namespace
}  // namespace adze::twin
