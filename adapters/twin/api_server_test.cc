#include "adapters/twin/api_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <sstream>

#include "adapters/twin/table.h"

namespace adze::twin {
namespace {

using nlohmann::json;

class ApiServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerFaults faults = {}) {
    ServerOptions options;
    options.faults = faults;
    options.bookmark_interval = std::chrono::milliseconds(200);
    server_ = std::make_unique<ApiServer>(store_, options);
    auto port = server_->Start();
    ASSERT_TRUE(port.ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    client_->set_read_timeout(10, 0);
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }
  std::pair<int, json> Call(const std::string& method, const std::string& path, const json& body = json(),
                            const std::string& type = "application/json") {
    httplib::Result r = method == "GET"     ? client_->Get(path)
                        : method == "POST"  ? client_->Post(path, body.dump(), type)
                        : method == "PUT"   ? client_->Put(path, body.dump(), type)
                        : method == "PATCH" ? client_->Patch(path, body.dump(), type)
                                            : client_->Delete(path);
    if (!r) return {0, json()};
    return {r->status, json::parse(r->body, nullptr, false)};
  }
  // The newline-delimited events of a bounded watch.
  std::vector<json> Watch(const std::string& path) {
    auto r = client_->Get(path);
    std::vector<json> out;
    if (!r) return out;
    std::stringstream ss(r->body);
    std::string line;
    while (std::getline(ss, line)) {
      if (!line.empty()) out.push_back(json::parse(line));
    }
    return out;
  }

  ObjectStore store_{[] { return int64_t{1767571200} * 1000000; }, 1000};
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

json Pod(const std::string& name, const json& labels = json::object()) {
  return json{{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", {{"name", name}, {"labels", labels}}},
              {"spec", {{"containers", json::array({json{{"name", "c"}, {"image", "i"}}})}}}};
}

TEST_F(ApiServerTest, DiscoveryListsTheKarpenterGroups) {
  StartServer();
  auto [code, groups] = Call("GET", "/apis");
  ASSERT_EQ(code, 200);
  std::string names = groups["groups"].dump();
  EXPECT_NE(names.find("karpenter.sh"), std::string::npos);
  EXPECT_NE(names.find("karpenter.k8s.aws"), std::string::npos);
  auto [c2, core] = Call("GET", "/api/v1");
  ASSERT_EQ(c2, 200);
  EXPECT_NE(core.dump().find("pods/eviction"), std::string::npos);
  EXPECT_EQ(Call("GET", "/apis/karpenter.sh/v1").first, 200);
  EXPECT_EQ(Call("GET", "/apis/nope.io/v1").first, 404);
}

TEST_F(ApiServerTest, CrudWithStatusErrors) {
  StartServer();
  EXPECT_EQ(Call("POST", "/api/v1/namespaces/ml/pods", Pod("p")).first, 404);  // no namespace yet
  ASSERT_EQ(Call("POST", "/api/v1/namespaces", json{{"metadata", {{"name", "ml"}}}}).first, 201);
  auto [c, made] = Call("POST", "/api/v1/namespaces/ml/pods", Pod("p"));
  ASSERT_EQ(c, 201) << made.dump();
  EXPECT_EQ(made["status"]["phase"], "Pending");
  auto [c409, dup] = Call("POST", "/api/v1/namespaces/ml/pods", Pod("p"));
  EXPECT_EQ(c409, 409);
  EXPECT_EQ(dup["reason"], "AlreadyExists");
  auto [c404, missing] = Call("GET", "/api/v1/namespaces/ml/pods/q");
  EXPECT_EQ(c404, 404);
  EXPECT_EQ(missing["kind"], "Status");
  EXPECT_EQ(missing["reason"], "NotFound");

  // Optimistic concurrency: a PUT carrying an old resourceVersion conflicts.
  json stale = made;
  json fresh = made;
  fresh["metadata"]["labels"] = json{{"v", "1"}};
  ASSERT_EQ(Call("PUT", "/api/v1/namespaces/ml/pods/p", fresh).first, 200);
  stale["metadata"]["labels"] = json{{"v", "2"}};
  auto [conflict, status] = Call("PUT", "/api/v1/namespaces/ml/pods/p", stale);
  EXPECT_EQ(conflict, 409);
  EXPECT_EQ(status["reason"], "Conflict");

  // Merge patch without a version applies to the current object.
  auto [pc, patched] = Call("PATCH", "/api/v1/namespaces/ml/pods/p", json{{"metadata", {{"labels", {{"v", "3"}}}}}},
                            "application/merge-patch+json");
  ASSERT_EQ(pc, 200);
  EXPECT_EQ(patched["metadata"]["labels"]["v"], "3");

  auto [lc, list] = Call("GET", "/api/v1/pods?labelSelector=v%3D3");
  ASSERT_EQ(lc, 200);
  EXPECT_EQ(list["kind"], "PodList");
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["kind"], "Pod");
  EXPECT_EQ(Call("DELETE", "/api/v1/namespaces/ml/pods/p").first, 200);
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/ml/pods/p").first, 404);
}

TEST_F(ApiServerTest, InvalidNodePoolIs422WithTheField) {
  StartServer();
  json pool = json::parse(R"({"apiVersion":"karpenter.sh/v1","kind":"NodePool","metadata":{"name":"gpu"},
    "spec":{"template":{"spec":{"nodeClassRef":{"group":"karpenter.k8s.aws","kind":"EC2NodeClass","name":"d"},
      "requirements":[{"key":"karpenter.k8s.aws/instance-family","operator":"Inn","values":["p5"]}]}}}})");
  auto [code, status] = Call("POST", "/apis/karpenter.sh/v1/nodepools", pool);
  EXPECT_EQ(code, 422);
  EXPECT_EQ(status["reason"], "Invalid");
  EXPECT_NE(status["details"]["causes"][0]["field"].get<std::string>().find("operator"), std::string::npos)
      << status.dump();
  pool["spec"]["template"]["spec"]["requirements"][0]["operator"] = "In";
  EXPECT_EQ(Call("POST", "/apis/karpenter.sh/v1/nodepools", pool).first, 201);
}

TEST_F(ApiServerTest, StatusSubresourceWritesOnlyStatus) {
  StartServer();
  json claim = json::parse(R"({"metadata":{"name":"c1"},"spec":{"nodeClassRef":{"name":"d"}}})");
  ASSERT_EQ(Call("POST", "/apis/karpenter.sh/v1/nodeclaims", claim).first, 201);
  auto [c, out] = Call("PATCH", "/apis/karpenter.sh/v1/nodeclaims/c1/status",
                       json{{"status", {{"providerID", "kwok://x"}}}, {"spec", {{"nodeClassRef", {{"name", "z"}}}}}},
                       "application/merge-patch+json");
  ASSERT_EQ(c, 200) << out.dump();
  EXPECT_EQ(out["status"]["providerID"], "kwok://x");
  EXPECT_EQ(out["spec"]["nodeClassRef"]["name"], "d");
  // And the main resource ignores status.
  auto [c2, out2] = Call("PATCH", "/apis/karpenter.sh/v1/nodeclaims/c1", json{{"status", {{"providerID", "y"}}}},
                         "application/merge-patch+json");
  ASSERT_EQ(c2, 200);
  EXPECT_EQ(out2["status"]["providerID"], "kwok://x");
}

TEST_F(ApiServerTest, WatchResumesFromAVersionAndSendsBookmarks) {
  StartServer();
  ASSERT_EQ(Call("POST", "/api/v1/namespaces", json{{"metadata", {{"name", "default"}}}}).first, 201);
  auto [c, a] = Call("POST", "/api/v1/namespaces/default/pods", Pod("a"));
  ASSERT_EQ(c, 201);
  ASSERT_EQ(Call("POST", "/api/v1/namespaces/default/pods", Pod("b")).first, 201);
  std::string rv = a["metadata"]["resourceVersion"];
  auto events = Watch("/api/v1/pods?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=" + rv);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0]["type"], "ADDED");
  EXPECT_EQ(events[0]["object"]["metadata"]["name"], "b");  // a is at or before rv
  bool bookmark = false;
  for (const json& e : events) bookmark = bookmark || e["type"] == "BOOKMARK";
  EXPECT_TRUE(bookmark);
  // From nothing: the current objects as ADDED.
  auto initial = Watch("/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=1");
  ASSERT_EQ(initial.size(), 2u);
  // After a compaction the old version is gone: ERROR 410 Expired.
  store_.Compact();
  auto expired = Watch("/api/v1/pods?watch=true&timeoutSeconds=5&resourceVersion=" + rv);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0]["type"], "ERROR");
  EXPECT_EQ(expired[0]["object"]["code"], 410);
  EXPECT_EQ(expired[0]["object"]["reason"], "Expired");
}

TEST_F(ApiServerTest, EvictionBlockedByABudgetIsTooManyRequests) {
  StartServer();
  ASSERT_EQ(Call("POST", "/api/v1/namespaces", json{{"metadata", {{"name", "default"}}}}).first, 201);
  for (const char* n : {"w1", "w2"}) {
    json p = Pod(n, json{{"app", "web"}});
    ASSERT_EQ(Call("POST", "/api/v1/namespaces/default/pods", p).first, 201);
    ASSERT_TRUE(store_
                    .Mutate("pods", "default", n,
                            [](json& o) {
                              o["status"]["phase"] = "Running";
                              return OkStatus();
                            })
                    .ok());
  }
  json pdb = json::parse(R"({"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"web"},
      "spec":{"minAvailable":2,"selector":{"matchLabels":{"app":"web"}}}})");
  ASSERT_EQ(Call("POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets", pdb).first, 201);
  json eviction{{"apiVersion", "policy/v1"}, {"kind", "Eviction"}, {"metadata", {{"name", "w1"}}}};
  auto [code, status] = Call("POST", "/api/v1/namespaces/default/pods/w1/eviction", eviction);
  EXPECT_EQ(code, 429);
  EXPECT_EQ(status["reason"], "TooManyRequests");
  ASSERT_EQ(Call("PATCH", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/web",
                 json{{"spec", {{"minAvailable", 1}}}}, "application/merge-patch+json")
                .first,
            200);
  EXPECT_EQ(Call("POST", "/api/v1/namespaces/default/pods/w1/eviction", eviction).first, 201);
  EXPECT_EQ(Call("GET", "/api/v1/namespaces/default/pods/w1").first, 404);
}

TEST_F(ApiServerTest, TablesForKubectl) {
  StartServer();
  ASSERT_EQ(Call("POST", "/api/v1/namespaces", json{{"metadata", {{"name", "default"}}}}).first, 201);
  ASSERT_EQ(Call("POST", "/api/v1/namespaces/default/pods", Pod("a")).first, 201);
  httplib::Headers accept{{"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"}};
  auto r = client_->Get("/api/v1/namespaces/default/pods", accept);
  ASSERT_TRUE(r);
  json table = json::parse(r->body);
  EXPECT_EQ(table["kind"], "Table");
  EXPECT_EQ(table["columnDefinitions"][0]["name"], "Name");
  EXPECT_EQ(table["columnDefinitions"][2]["name"], "Status");
  ASSERT_EQ(table["rows"].size(), 1u);
  EXPECT_EQ(table["rows"][0]["cells"][0], "a");
  EXPECT_EQ(table["rows"][0]["cells"][2], "Pending");
  EXPECT_EQ(table["rows"][0]["object"]["kind"], "PartialObjectMetadata");
  EXPECT_EQ(HumanAge(45), "45s");
  EXPECT_EQ(HumanAge(200), "3m20s");
  EXPECT_EQ(HumanAge(3 * 86400), "3d");
}

TEST_F(ApiServerTest, FaultsAnswer500) {
  ServerFaults faults;
  faults.error_rate = 1;
  StartServer(faults);
  auto [code, status] = Call("GET", "/api/v1/pods");
  EXPECT_EQ(code, 500);
  EXPECT_EQ(status["reason"], "InternalError");
}

}  // namespace
}  // namespace adze::twin
