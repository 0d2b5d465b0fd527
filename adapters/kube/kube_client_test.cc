// The client against the twin's API server in the same process: informers,
// KubeCluster's writes and their error codes. Also the kubeconfig loaders and
// the rate limiter, which need no server.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "adapters/kube/informer.h"
#include "adapters/kube/kube_cluster.h"
#include "adapters/kube/leader_elector.h"
#include "adapters/kube/rate_limiter.h"
#include "adapters/kube/rest_client.h"
#include "adapters/kube/rest_config.h"
#include "adapters/twin/api_server.h"
#include "adapters/twin/object_store.h"
#include "adapters/twin/twin_cluster.h"

namespace adze::kube {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Polls pred until it holds or 10 s pass (informers are asynchronous).
bool Eventually(const std::function<bool()>& pred) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return pred();
}

std::string TempDir() {
  std::string dir = std::filesystem::temp_directory_path() / ("adze-kube-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(RateLimiter, BurstThenQps) {
  RateLimiter r(/*qps=*/10, /*burst=*/3);
  auto t0 = RateLimiter::Clock::time_point{} + std::chrono::seconds(100);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(r.Reserve(t0), RateLimiter::Clock::duration::zero());
  // The 4th and 5th wait 100 ms and 200 ms: tokens are owed in order.
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(r.Reserve(t0)).count(), 100);
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(r.Reserve(t0)).count(), 200);
  // A second later the debt is paid and 8 tokens came back (capped at burst 3).
  auto t1 = t0 + std::chrono::seconds(2);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(r.Reserve(t1), RateLimiter::Clock::duration::zero());
  EXPECT_GT(r.Reserve(t1), RateLimiter::Clock::duration::zero());
}

TEST(RestConfig, KubeconfigContextsTokensAndCa) {
  std::string dir = TempDir();
  std::ofstream(dir + "/config") << R"(apiVersion: v1
kind: Config
current-context: a
clusters:
- name: ca
  cluster: {server: "https://a.example:6443/", certificate-authority-data: "SGVsbG8sIENBIQ=="}
- name: cb
  cluster: {server: "https://b.example", certificate-authority: certs/ca.pem}
users:
- name: ua
  user: {token: abc}
- name: ub
  user:
    client-certificate: certs/c.pem
    client-key: /abs/k.pem
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: sh
      args: ["-c", "echo '{\"kind\":\"ExecCredential\",\"status\":{\"token\":\"from-exec\"}}'"]
contexts:
- name: a
  context: {cluster: ca, user: ua}
- name: b
  context: {cluster: cb, user: ub}
)";
  auto a = LoadKubeconfig(dir + "/config", "");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->server, "https://a.example:6443");
  EXPECT_EQ(a->ca_pem, "Hello, CA!");
  EXPECT_EQ(a->bearer_token, "abc");
  auto b = LoadKubeconfig(dir + "/config", "b");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->ca_file, dir + "/certs/ca.pem");
  EXPECT_EQ(b->client_cert_file, dir + "/certs/c.pem");
  EXPECT_EQ(b->client_key_file, "/abs/k.pem");
  ASSERT_TRUE(b->exec.has_value());
  auto token = RunExecPlugin(*b->exec, nullptr);
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(*token, "from-exec");
  auto missing = LoadKubeconfig(dir + "/config", "c");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no context named \"c\""), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(RestConfig, InCluster) {
  std::string dir = TempDir();
  std::ofstream(dir + "/token") << "sa-token\n";
  setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1", 1);
  setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  auto c = InClusterConfig(dir);
  unsetenv("KUBERNETES_SERVICE_HOST");
  unsetenv("KUBERNETES_SERVICE_PORT");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server, "https://10.0.0.1:443");
  EXPECT_EQ(c->ca_file, dir + "/ca.crt");
  EXPECT_FALSE(InClusterConfig(dir).ok());  // not in a cluster without the variables
  std::filesystem::remove_all(dir);
}

class KubeClusterTest : public ::testing::Test {
 protected:
  void Start(twin::ServerFaults faults = {}, milliseconds bookmarks = milliseconds(100)) {
    twin_ = std::make_unique<twin::TwinCluster>(store_, 1000);
    twin_->Bootstrap();
    twin::ServerOptions options;
    options.faults = faults;
    options.bookmark_interval = bookmarks;
    server_ = std::make_unique<twin::ApiServer>(store_, options);
    auto port = server_->Start();
    ASSERT_TRUE(port.ok());
    RestConfig config;
    config.server = "http://127.0.0.1:" + std::to_string(*port);
    client_ = std::make_unique<RestClient>(config);
    cluster_ = std::make_unique<KubeCluster>(*client_, Now);
    cluster_->Start();
    ASSERT_TRUE(Eventually([&] { return cluster_->Synced(); }));
  }
  void TearDown() override {
    if (cluster_) cluster_->Stop();
    if (server_) server_->Stop();
  }
  void AddPod(const std::string& ns, const std::string& name, const json& labels = json::object()) {
    json pod{{"metadata", {{"name", name}, {"labels", labels}}},
             {"spec",
              {{"containers",
                json::array({json{{"name", "c"}, {"image", "i"}, {"resources", {{"requests", {{"cpu", "1"}}}}}}})}}},
             {"status", {{"phase", "Pending"}}}};
    ASSERT_TRUE(store_.Create("pods", ns, pod).ok());
  }

  twin::ObjectStore store_{Now, 100000};
  std::unique_ptr<twin::TwinCluster> twin_;
  std::unique_ptr<twin::ApiServer> server_;
  std::unique_ptr<RestClient> client_;
  std::unique_ptr<KubeCluster> cluster_;
};

TEST_F(KubeClusterTest, SnapshotsFollowTheApi) {
  Start();
  AddPod("default", "a");
  AddPod("kube-system", "a");
  ASSERT_TRUE(Eventually([&] { return cluster_->Snapshot()->Pods().size() == 2; }));
  auto snap = cluster_->Snapshot();
  ASSERT_NE(snap->GetPod("default/a"), nullptr);
  ASSERT_NE(snap->GetPod("kube-system/a"), nullptr);
  EXPECT_EQ(snap->PendingPods().size(), 2u);
  // Unchanged cluster: the same snapshot.
  EXPECT_EQ(cluster_->Snapshot(), cluster_->Snapshot());
  ASSERT_TRUE(store_.Delete("pods", "default", "a").ok());
  ASSERT_TRUE(Eventually([&] { return cluster_->Snapshot()->Pods().size() == 1; }));
  EXPECT_EQ(snap->Pods().size(), 2u);  // an old snapshot does not change
}

// Events change the informer's map in place while no reader holds it, and
// never a map a reader holds (a snapshot being built reads it unlocked).
TEST_F(KubeClusterTest, InformerItemsHeldByAReaderNeverChange) {
  Start();
  Informer informer(*client_, "/api/v1/pods", [] {});
  informer.Start();
  ASSERT_TRUE(Eventually([&] { return informer.synced(); }));
  AddPod("default", "a");
  ASSERT_TRUE(Eventually([&] { return informer.items()->size() == 1; }));
  auto held = informer.items();
  AddPod("default", "b");
  ASSERT_TRUE(Eventually([&] { return informer.items()->size() == 2; }));
  EXPECT_EQ(held->size(), 1u);
  EXPECT_TRUE(held->contains("default/a"));
  held.reset();
  AddPod("default", "c");
  ASSERT_TRUE(store_.Delete("pods", "default", "a").ok());
  ASSERT_TRUE(Eventually([&] { return informer.items()->size() == 2 && !informer.items()->contains("default/a"); }));
  EXPECT_TRUE(informer.items()->contains("default/b"));
  EXPECT_TRUE(informer.items()->contains("default/c"));
  informer.Stop();
}

// Events are written off the caller's thread; a full queue drops, Stop()
// sends what waits.
TEST_F(KubeClusterTest, EventsAreWrittenInTheBackgroundAndDroppedWhenTheQueueIsFull) {
  Start();
  EventRecorder events(client_->config(), client_->options(), Now, /*max_queued=*/2);
  events.Record("Pod", "default", "p", "Nominated", "Pod should schedule on: nodeclaim/default-1");
  events.Record("NodeClaim", "", "default-1", "Launched", "NodeClaim created for NodePool default");
  events.Record("Pod", "default", "q", "Nominated", "no room left in the queue");
  EXPECT_EQ(events.stats().dropped, 1u);
  EXPECT_TRUE(store_.List("events", "").items.empty());  // nothing before Start
  events.Start();
  events.Stop();
  EXPECT_EQ(events.stats().written, 2u);
  const auto written = store_.List("events", "").items;
  ASSERT_EQ(written.size(), 2u);
  std::set<std::string> reasons;
  for (const json& e : written) reasons.insert(e["involvedObject"]["name"].get<std::string>() + ":" + e["reason"].get<std::string>());
  EXPECT_EQ(reasons, (std::set<std::string>{"p:Nominated", "default-1:Launched"}));
}

TEST_F(KubeClusterTest, InformersConvergeAfterWatchDropsAndExpiredVersions) {
  twin::ServerFaults faults;
  faults.watch_drop_after = milliseconds(150);
  faults.compact_every = milliseconds(250);
  // No bookmarks: informers of resources that do not change (nodes, pools)
  // keep an old version while pods move the revision on, so their next watch
  // after a drop starts before the compaction: 410, relist.
  Start(faults, std::chrono::seconds(60));
  for (int i = 0; i < 30; ++i) {
    AddPod("default", "p" + std::to_string(i));
    if (i % 3 == 0) {
      ASSERT_TRUE(store_.Delete("pods", "default", "p" + std::to_string(i)).ok());
    }
    std::this_thread::sleep_for(milliseconds(20));  // spread changes over drops and compactions
  }
  ASSERT_TRUE(Eventually([&] { return cluster_->Snapshot()->Pods().size() == 20; }))
      << cluster_->Snapshot()->Pods().size();
  for (int i = 0; i < 30; ++i) {
    bool present = cluster_->Snapshot()->GetPod("default/p" + std::to_string(i)) != nullptr;
    EXPECT_EQ(present, i % 3 != 0) << i;
  }
  InformerStats s = cluster_->Stats();
  EXPECT_GT(s.watches, 6u);  // reopened after drops
  EXPECT_GT(s.expired, 0u);  // and relisted after 410s
}

TEST_F(KubeClusterTest, NodeClaimLifecycleWithConflicts) {
  Start();
  model::NodeClaim claim;
  claim.meta.name = "default-x1";
  claim.node_class_ref.name = "default";
  claim.requirements.Add(model::Requirement::In("node.kubernetes.io/instance-type", {"m6i.large"}));
  auto name = cluster_->CreateNodeClaim(claim, "default");
  ASSERT_TRUE(name.ok()) << name.error().message;
  EXPECT_EQ(cluster_->CreateNodeClaim(claim, "default").error().code, ErrorCode::kAlreadyExists);
  ASSERT_TRUE(Eventually([&] { return cluster_->Snapshot()->GetNodeClaim(*name) != nullptr; }));
  ports::NodeClaimInfo info = *cluster_->Snapshot()->GetNodeClaim(*name);
  EXPECT_EQ(info.node_pool, "default");
  ports::NodeClaimInfo stale = info;
  info.claim.launched = true;
  info.launched_at = Now();
  info.claim.provider_id = "kwok://default-x1";
  info.claim.capacity = model::ResourceList{{"cpu", *model::Quantity::Parse("2")}};
  info.instance_type = "m6i.large";
  ASSERT_TRUE(cluster_->UpdateNodeClaim(info).ok());
  stale.claim.image_id = "ami-stale";
  EXPECT_EQ(cluster_->UpdateNodeClaim(stale).error().code, ErrorCode::kConflict);
  // The twin's kubelet registers the node (speed 1000).
  ASSERT_TRUE(Eventually([&] {
    twin_->Step(Now());
    const ports::NodeInfo* n = cluster_->Snapshot()->GetNode("default-x1");
    return n != nullptr && n->node_claim == "default-x1";
  }));
  auto read = cluster_->Snapshot()->GetNodeClaim(*name);
  EXPECT_TRUE(read->claim.launched);
  EXPECT_EQ(read->instance_type, "m6i.large");
  // Registered by its Node (as Karpenter's lifecycle links them), and the
  // link is written with the next status update.
  EXPECT_TRUE(read->claim.registered);
  ASSERT_TRUE(read->registered_at.has_value());
  EXPECT_EQ(read->claim.node_name, "default-x1");
  ports::NodeClaimInfo init = *read;
  init.claim.initialized = true;
  init.initialized_at = Now();
  ASSERT_TRUE(cluster_->UpdateNodeClaim(init).ok());
  json stored = *store_.Get("nodeclaims.karpenter.sh", "", *name);
  EXPECT_EQ(stored["status"]["nodeName"], "default-x1");
  EXPECT_NE(stored["status"].dump().find("Registered"), std::string::npos);
  ASSERT_TRUE(Eventually([&] {
    const ports::NodeInfo* n = cluster_->Snapshot()->GetNode("default-x1");
    return n != nullptr && n->initialized;
  }));

  ASSERT_TRUE(cluster_->TaintNode("default-x1", {"karpenter.sh/disrupted", "", model::TaintEffect::kNoSchedule}).ok());
  ASSERT_TRUE(cluster_->TaintNode("default-x1", {"karpenter.sh/disrupted", "", model::TaintEffect::kNoSchedule}).ok());
  EXPECT_EQ((*store_.Get("nodes", "", "default-x1"))["spec"]["taints"].size(), 1u);
  ASSERT_TRUE(cluster_->RemoveTaint("default-x1", "karpenter.sh/disrupted").ok());
  EXPECT_TRUE((*store_.Get("nodes", "", "default-x1"))["spec"]["taints"].empty());

  ASSERT_TRUE(cluster_->RequestNodeClaimDeletion(*name, "underutilized").ok());
  ASSERT_TRUE(cluster_->RequestNodeClaimDeletion(*name, "underutilized").ok());  // again: fine
  auto held = store_.Get("nodeclaims.karpenter.sh", "", *name);
  ASSERT_TRUE(held.ok());  // the finalizer holds it
  EXPECT_TRUE((*held)["metadata"].contains("deletionTimestamp"));
  ASSERT_TRUE(Eventually([&] {
    auto c = cluster_->Snapshot()->GetNodeClaim(*name);
    return c != nullptr && c->deletion_requested_at && c->deletion_reason == "underutilized";
  }));
  ASSERT_TRUE(cluster_->RemoveNodeClaim(*name).ok());
  EXPECT_EQ(store_.Get("nodeclaims.karpenter.sh", "", *name).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_.Get("nodes", "", "default-x1").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(cluster_->RemoveNodeClaim(*name).ok());  // already gone: done
  // Events a user would look for.
  std::string events = json(store_.List("events", "default").items).dump();
  EXPECT_NE(events.find("Launched"), std::string::npos);
  EXPECT_NE(events.find("DisruptionTerminating"), std::string::npos);
}

TEST_F(KubeClusterTest, EvictionBlockedByABudgetIsThrottled) {
  Start();
  AddPod("default", "w1", json{{"app", "web"}});
  ASSERT_TRUE(store_
                  .Mutate("pods", "default", "w1",
                          [](json& o) {
                            o["status"]["phase"] = "Running";
                            return OkStatus();
                          })
                  .ok());
  json pdb = json::parse(R"({"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"web"},
      "spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"web"}}}})");
  ASSERT_TRUE(store_.Create("poddisruptionbudgets.policy", "default", pdb).ok());
  Status s = cluster_->EvictPod("default/w1");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kThrottled);
  ASSERT_TRUE(Eventually([&] { return cluster_->Snapshot()->PodDisruptionBudgets().size() == 1; }));
  ASSERT_TRUE(cluster_->NominatePod("default/w1", "default-x2").ok());
  EXPECT_EQ((*store_.Get("pods", "default", "w1"))["status"]["nominatedNodeName"], "default-x2");
  ASSERT_TRUE(store_.Delete("poddisruptionbudgets.policy", "default", "web").ok());
  EXPECT_TRUE(cluster_->EvictPod("default/w1").ok());
  EXPECT_EQ(cluster_->EvictPod("default/w1").error().code, ErrorCode::kNotFound);
}

TEST_F(KubeClusterTest, LeaderElectionOneLeaderAndTakeoverAfterTheLeaseDuration) {
  Start();
  LeaderElectionOptions a_opts;
  a_opts.identity = "a";
  LeaderElectionOptions b_opts = a_opts;
  b_opts.identity = "b";
  LeaderElector a(*client_, a_opts);
  LeaderElector b(*client_, b_opts);
  // Time is passed in: the test moves it, nothing sleeps.
  auto t0 = LeaderElector::Clock::time_point{} + std::chrono::hours(1);
  EXPECT_TRUE(a.TryAcquireOrRenew(t0));
  EXPECT_FALSE(b.TryAcquireOrRenew(t0));
  // a renews; b keeps seeing the lease change and stays a candidate.
  for (int s = 2; s <= 30; s += 2) {
    EXPECT_TRUE(a.TryAcquireOrRenew(t0 + std::chrono::seconds(s)));
    EXPECT_FALSE(b.TryAcquireOrRenew(t0 + std::chrono::seconds(s)));
  }
  // a dies (stops renewing): b takes over once the lease is 15 s unchanged.
  auto dead = t0 + std::chrono::seconds(30);
  EXPECT_FALSE(b.TryAcquireOrRenew(dead + std::chrono::seconds(2)));
  EXPECT_FALSE(b.TryAcquireOrRenew(dead + std::chrono::seconds(14)));
  EXPECT_TRUE(b.TryAcquireOrRenew(dead + std::chrono::seconds(17)));
  auto lease = store_.Get("leases.coordination.k8s.io", "kube-system", "karpenter-leader-election");
  ASSERT_TRUE(lease.ok());
  EXPECT_EQ((*lease)["spec"]["holderIdentity"], "b");
  EXPECT_EQ((*lease)["spec"]["leaseTransitions"], 1);
  // a comes back: its renewal now fails (b holds it), and past its renew
  // deadline it no longer leads.
  EXPECT_FALSE(a.TryAcquireOrRenew(dead + std::chrono::seconds(18)));
  // b releases: a can take the lease at once.
  b.Release();
  EXPECT_FALSE(b.leading());
  EXPECT_TRUE(a.TryAcquireOrRenew(dead + std::chrono::seconds(19)));
}

// Run() renews on a thread of its own while the caller's thread is busy
// (adze controller's reconcile loop can wait out throttling for seconds).
TEST_F(KubeClusterTest, LeaderElectionRunRenewsOnItsOwnThreadUntilStopped) {
  Start();
  LeaderElectionOptions opts;
  opts.identity = "a";
  opts.retry_period = std::chrono::seconds(1);
  LeaderElector a(*client_, opts);
  std::atomic<bool> stop{false};
  std::thread renewer([&] { a.Run(stop); });
  auto renew_time = [&] {
    auto lease = store_.Get("leases.coordination.k8s.io", "kube-system", "karpenter-leader-election");
    return lease.ok() ? (*lease)["spec"].value("renewTime", "") : std::string();
  };
  for (int i = 0; i < 100 && !a.leading(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(a.leading());
  const std::string first = renew_time();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // this thread is "busy"
  EXPECT_NE(renew_time(), first);
  EXPECT_TRUE(a.leading());
  stop.store(true);
  renewer.join();
  a.Release();
  EXPECT_FALSE(a.leading());
  auto lease = store_.Get("leases.coordination.k8s.io", "kube-system", "karpenter-leader-election");
  ASSERT_TRUE(lease.ok());
  EXPECT_EQ((*lease)["spec"]["holderIdentity"], "");
}

// Read-your-writes: a nomination and a created claim show in the very next
// snapshot, before the watch brings them (a pass that did not see them made
// a second claim for the same pod).
TEST_F(KubeClusterTest, ItsOwnWritesShowInTheNextSnapshot) {
  Start();
  AddPod("default", "p");
  ASSERT_TRUE(Eventually([&] { return cluster_->Snapshot()->GetPod("default/p") != nullptr; }));
  model::NodeClaim claim;
  claim.meta.name = "default-00001";
  auto created = cluster_->CreateNodeClaim(claim, "default");
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(cluster_->NominatePod("default/p", *created).ok());
  const auto snapshot = cluster_->Snapshot();
  ASSERT_NE(snapshot->GetPod("default/p"), nullptr);
  EXPECT_EQ(snapshot->GetPod("default/p")->nominated_node_claim, "default-00001");
  EXPECT_NE(snapshot->GetNodeClaim("default-00001"), nullptr);
  // And the watch, when it comes, changes nothing.
  ASSERT_TRUE(Eventually([&] { return cluster_->Snapshot()->GetPod("default/p")->nominated_node_claim == "default-00001"; }));
}

TEST_F(KubeClusterTest, InformersSyncThroughServerErrorsAndThrottling) {
  AddPod("default", "before");
  twin::ServerFaults faults;
  faults.error_rate = 0.3;     // 500s
  faults.throttle_rate = 0.2;  // 429s
  faults.seed = 7;
  Start(faults);  // waits until every informer has listed despite the faults
  for (int i = 0; i < 10; ++i) AddPod("default", "p" + std::to_string(i));
  ASSERT_TRUE(Eventually([&] { return cluster_->Snapshot()->Pods().size() == 11; }));
  EXPECT_GT(cluster_->Stats().failures, 0u);  // some lists failed and were retried after a back-off
  // Writes see the faults as error codes the controllers handle.
  int throttled = 0, unavailable = 0, ok = 0;
  for (int i = 0; i < 40; ++i) {
    Status s = cluster_->RemoveTaint("absent-node", "k");
    if (s.ok())
      ++ok;
    else if (s.error().code == ErrorCode::kThrottled)
      ++throttled;
    else if (s.error().code == ErrorCode::kUnavailable)
      ++unavailable;
    else
      EXPECT_EQ(s.error().code, ErrorCode::kNotFound) << s.error().message;
  }
  EXPECT_GT(throttled, 0);
  EXPECT_GT(unavailable, 0);
}

TEST_F(KubeClusterTest, ServerErrorsAreUnavailable) {
  Start();
  twin::ServerFaults faults;
  faults.error_rate = 1;
  twin::ApiServer failing(store_, {0, faults, milliseconds(1000)});
  auto port = failing.Start();
  ASSERT_TRUE(port.ok());
  RestConfig config;
  config.server = "http://127.0.0.1:" + std::to_string(*port);
  RestClient client(config);
  KubeCluster broken(client, Now);
  EXPECT_EQ(broken.DeletePod("default/x").error().code, ErrorCode::kUnavailable);
  failing.Stop();
}

// A server whose 2xx answers lack the fields they should carry (`{}`,
// `null`) makes calls fail, not the process: the burst benchmark's
// controller died on json's "cannot use value() with null".
TEST(KubeClusterShapes, AnswersWithoutMetadataAreErrorsNotCrashes) {
  for (const char* body : {"{}", "null", "[]", "{\"metadata\":null,\"status\":null,\"spec\":7}"}) {
    httplib::Server server;
    server.set_error_handler([&](const httplib::Request&, httplib::Response& res) {
      res.status = 200;
      res.set_content(body, "application/json");
    });
    int port = server.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    std::thread serving([&] { server.listen_after_bind(); });
    for (int i = 0; i < 200 && !server.is_running(); ++i) std::this_thread::sleep_for(milliseconds(5));
    RestConfig config;
    config.server = "http://127.0.0.1:" + std::to_string(port);
    RestClient client(config);
    KubeCluster cluster(client, Now);
    model::NodeClaim claim;
    claim.meta.name = "default-00001";
    auto created = cluster.CreateNodeClaim(claim, "default");
    EXPECT_FALSE(created.ok()) << body;
    ports::NodeClaimInfo info;
    info.claim = claim;
    (void)cluster.UpdateNodeClaim(info);
    (void)cluster.RemoveNodeClaim("default-00001");
    (void)cluster.RequestNodeClaimDeletion("default-00001", "Underutilized");
    server.stop();
    serving.join();
  }
}

}  // namespace
}  // namespace adze::kube
