// The twin's AWS endpoint in-process on 127.0.0.1, driven by the real AWS
// clients of adapters/aws (HttpEc2Api, SqsInterruptionQueue, LiveCatalog over
// libcurl with SigV4): what they encode the twin decodes, what it answers
// they parse, and the answers are the simulator's.
#include "adapters/twin/aws_endpoint.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/aws/completion_queue.h"
#include "adapters/aws/credential_providers.h"
#include "adapters/aws/curl_http_client.h"
#include "adapters/aws/http_ec2_api.h"
#include "adapters/aws/live_catalog.h"
#include "adapters/aws/sqs_interruption_queue.h"
#include "adapters/twin/twin_ec2.h"
#include "catalog/catalog.h"

namespace adze::twin {
namespace {

namespace aws = adapters::aws;
namespace paws = providers::aws;
using Kind = ports::InterruptionMessage::Kind;
using nlohmann::json;

constexpr double kSpeed = 100;  // CreateFleet 2 s → 20 ms; the spot notice 120 s → 1.2 s

// One client side: credentials, transport, retries and a client per service.
struct Clients {
  Clients(const std::string& url, const std::string& key, const std::string& secret)
      : credentials([key, secret](std::string_view name) -> std::optional<std::string> {
          if (name == "AWS_ACCESS_KEY_ID") return key;
          if (name == "AWS_SECRET_ACCESS_KEY") return secret;
          return std::nullopt;
        }),
        retry(aws::RetryOptions{.max_attempts = 3, .base_backoff = model::kMillisecond,
                                .max_backoff = 5 * model::kMillisecond}),
        ec2({url, "us-east-1", "ec2"}, credentials, http, retry, aws::MakeRealEnvironment()),
        ssm({url, "us-east-1", "ssm"}, credentials, http, retry, aws::MakeRealEnvironment()),
        sqs({url, "us-east-1", "sqs"}, credentials, http, retry, aws::MakeRealEnvironment()),
        pricing({url, "us-east-1", "pricing"}, credentials, http, retry, aws::MakeRealEnvironment()) {}
  aws::EnvironmentCredentials credentials;
  aws::CurlHttpClient http;
  aws::RetryStrategy retry;
  aws::AwsServiceClient ec2, ssm, sqs, pricing;
};

class AwsEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(sim::Ec2Options{}); }
  void TearDown() override {
    api_.reset();
    clients_.reset();
    if (ec2_) ec2_->Stop();
    if (endpoint_) endpoint_->Stop();
  }

  void Start(const sim::Ec2Options& options) {
    TearDown();
    TwinEc2Options o;
    o.speed = kSpeed;
    o.seed = 7;
    ec2_ = std::make_unique<TwinEc2>(catalog::Catalog::Embedded(), options, catalog::CapacityOptions{}, o);
    endpoint_ = std::make_unique<AwsEndpoint>(*ec2_, AwsEndpointOptions{});
    ASSERT_TRUE(endpoint_->Start().ok());
    ec2_->Start();
    clients_ = std::make_unique<Clients>(endpoint_->url(), "adze-twin", "adze-twin-secret");
    aws::HttpEc2ApiOptions api_options;
    api_options.pricing_region = "us-east-1";
    api_ = std::make_unique<aws::HttpEc2Api>(clients_->ec2, clients_->ssm, clients_->pricing, completions_.Poster(),
                                             api_options);
  }

  paws::CreateFleetRequest Fleet(const std::string& capacity_type, std::vector<std::string> types) {
    if (!template_made_) {
      auto lt = api_->CreateLaunchTemplate(paws::CreateLaunchTemplateRequest{"adze-test", "ami-1", {"sg-1"}, "", {}, {}});
      EXPECT_TRUE(lt.IsSuccess());
      template_made_ = true;
    }
    paws::CreateFleetRequest r;
    r.launch_template_name = "adze-test";
    r.default_target_capacity_type = capacity_type;
    r.allocation_strategy = capacity_type == "spot" ? "price-capacity-optimized" : "lowest-price";
    double priority = 1;
    for (const std::string& t : types) {
      r.overrides.push_back(paws::FleetOverride{t, "subnet-a", "us-east-1a", "ami-1", priority++, std::nullopt, ""});
    }
    r.tags = {{"karpenter.sh/nodeclaim", "claim-1"}};
    return r;
  }

  json Control(const std::string& method, const std::string& path, const json& body = json::object()) {
    httplib::Client c("127.0.0.1", endpoint_->port());
    auto r = method == "GET"      ? c.Get(path.c_str())
             : method == "DELETE" ? c.Delete(path.c_str())
                                  : c.Post(path.c_str(), body.dump(), "application/json");
    EXPECT_TRUE(r) << path;
    if (!r) return json();
    last_status_ = r->status;
    return json::parse(r->body, nullptr, false);
  }

  aws::CompletionQueue completions_;
  std::unique_ptr<TwinEc2> ec2_;
  std::unique_ptr<AwsEndpoint> endpoint_;
  std::unique_ptr<Clients> clients_;
  std::unique_ptr<aws::HttpEc2Api> api_;
  bool template_made_ = false;
  int last_status_ = 0;
};

model::SelectorTerm Tagged() {
  model::SelectorTerm t;
  t.tags = {{"k", "v"}};
  return t;
}

TEST_F(AwsEndpointTest, DescribeCallsThroughTheRealClientAnswerWhatTheSimulatorAnswers) {
  auto types = api_->DescribeInstanceTypes();  // three calls, DescribeInstanceTypes paged by 100
  ASSERT_TRUE(types.IsSuccess()) << types.GetError().message;
  const auto& want = catalog::Catalog::Embedded().types();
  ASSERT_EQ(types.GetResult().instance_types.size(), want.size());
  for (const catalog::InstanceTypeInfo& got : types.GetResult().instance_types) {
    const catalog::InstanceTypeInfo* w = catalog::Catalog::Embedded().Find(got.instance_type);
    ASSERT_NE(w, nullptr) << got.instance_type;
    EXPECT_EQ(got.vcpu, w->vcpu) << got.instance_type;
    EXPECT_EQ(got.memory_mib, w->memory_mib) << got.instance_type;
    EXPECT_EQ(got.arch, w->arch) << got.instance_type;
    EXPECT_EQ(got.gpu_count, w->gpu_count) << got.instance_type;
    EXPECT_EQ(got.gpu_name, w->gpu_name) << got.instance_type;
    EXPECT_EQ(got.gpu_memory_mib, w->gpu_memory_mib) << got.instance_type;
    EXPECT_EQ(got.accelerator_count, w->accelerator_count) << got.instance_type;
    EXPECT_EQ(got.max_enis, w->max_enis) << got.instance_type;
    EXPECT_EQ(got.max_enis_default_card, w->max_enis_default_card ? w->max_enis_default_card : w->max_enis)
        << got.instance_type;
    EXPECT_EQ(got.ipv4_per_eni, w->ipv4_per_eni) << got.instance_type;
    EXPECT_EQ(got.efa_max_interfaces, w->efa_max_interfaces) << got.instance_type;
    EXPECT_EQ(got.local_nvme_gb, w->local_nvme_gb) << got.instance_type;
    EXPECT_EQ(got.zones.size(), w->zones.size()) << got.instance_type;
  }
  auto direct = ec2_->Locked([](sim::SimulatedEc2& e) {
    return std::make_tuple(e.DescribeSpotPriceHistory().GetResult().prices.size(),
                           e.GetOnDemandPrices().GetResult().usd_per_hour,
                           e.DescribeSubnets({Tagged()}).GetResult().subnets,
                           e.GetParameter("/aws/service/x").GetResult().value);
  });
  auto spot = api_->DescribeSpotPriceHistory();  // paged by 1000
  ASSERT_TRUE(spot.IsSuccess());
  EXPECT_EQ(spot.GetResult().prices.size(), std::get<0>(direct));
  auto od = api_->GetOnDemandPrices();  // Pricing, paged by 100
  ASSERT_TRUE(od.IsSuccess());
  ASSERT_EQ(od.GetResult().usd_per_hour.size(), std::get<1>(direct).size());
  for (const auto& [type, usd] : std::get<1>(direct)) EXPECT_NEAR(od.GetResult().usd_per_hour.at(type), usd, 1e-9);
  auto subnets = api_->DescribeSubnets({Tagged()});
  ASSERT_TRUE(subnets.IsSuccess());
  std::set<std::string> got_ids, want_ids;
  for (const auto& s : subnets.GetResult().subnets) got_ids.insert(s.subnet_id + "/" + s.availability_zone);
  for (const auto& s : std::get<2>(direct)) want_ids.insert(s.subnet_id + "/" + s.availability_zone);
  EXPECT_EQ(got_ids, want_ids);
  auto param = api_->GetParameter("/aws/service/x");
  ASSERT_TRUE(param.IsSuccess());
  EXPECT_EQ(param.GetResult().value, std::get<3>(direct));
}

TEST_F(AwsEndpointTest, LiveCatalogFromTheTwinIsTheEmbeddedCatalog) {
  auto live = aws::BuildLiveCatalog(*api_, catalog::Catalog::Embedded(), {});
  ASSERT_TRUE(live.ok()) << live.error().message;
  ASSERT_EQ(live->types.size(), catalog::Catalog::Embedded().types().size());
  for (const catalog::InstanceTypeInfo& t : live->types) {
    const catalog::InstanceTypeInfo* w = catalog::Catalog::Embedded().Find(t.instance_type);
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(t.od_price_usd_hr.has_value(), w->od_price_usd_hr.has_value()) << t.instance_type;
    if (t.od_price_usd_hr && w->od_price_usd_hr) {
      EXPECT_NEAR(*t.od_price_usd_hr, *w->od_price_usd_hr, 1e-9);
    }
    if (t.spot_savings_pct && w->spot_savings_pct) {
      EXPECT_NEAR(*t.spot_savings_pct, *w->spot_savings_pct, 1.0);
    }
  }
}

TEST_F(AwsEndpointTest, CreateFleetLaunchesAndTheInstanceIsDescribedAndTerminated) {
  auto fleet = api_->CreateFleetNow(Fleet("on-demand", {"m5.large"}), 10 * model::kSecond);
  ASSERT_TRUE(fleet.IsSuccess()) << fleet.GetError().message;
  ASSERT_EQ(fleet.GetResult().instances.size(), 1u);
  const paws::FleetInstance& fi = fleet.GetResult().instances.front();
  ASSERT_EQ(fi.instance_ids.size(), 1u);
  EXPECT_EQ(fi.launched_with.instance_type, "m5.large");
  EXPECT_EQ(fi.launched_with.availability_zone, "us-east-1a");
  EXPECT_EQ(fi.lifecycle, "on-demand");
  const std::string id = fi.instance_ids.front();

  auto described = api_->DescribeInstances(paws::DescribeInstancesRequest{{}, {"karpenter.sh/nodeclaim"}});
  ASSERT_TRUE(described.IsSuccess());
  ASSERT_EQ(described.GetResult().instances.size(), 1u);
  const paws::Ec2Instance& i = described.GetResult().instances.front();
  EXPECT_EQ(i.instance_id, id);
  EXPECT_EQ(i.state, "running");
  EXPECT_EQ(i.image_id, "ami-1");
  EXPECT_EQ(i.security_group_ids, std::vector<std::string>{"sg-1"});
  EXPECT_EQ(i.tags.at("karpenter.sh/nodeclaim"), "claim-1");
  std::optional<InstanceState> state = ec2_->Find(id);
  ASSERT_TRUE(state && state->running);

  ASSERT_TRUE(api_->CreateTags(paws::CreateTagsRequest{{id}, {{"Name", "n1"}}}).IsSuccess());
  auto term = api_->TerminateInstances(paws::TerminateInstancesRequest{{id}});
  ASSERT_TRUE(term.IsSuccess());
  EXPECT_EQ(term.GetResult().terminating_instance_ids, std::vector<std::string>{id});
  auto after = api_->DescribeInstances(paws::DescribeInstancesRequest{{id}, {}});
  ASSERT_TRUE(after.IsSuccess());
  ASSERT_EQ(after.GetResult().instances.size(), 1u);
  EXPECT_EQ(after.GetResult().instances.front().state, "terminated");
  EXPECT_EQ(after.GetResult().instances.front().tags.at("Name"), "n1");
  EXPECT_FALSE(ec2_->Find(id)->running);
  auto missing = api_->TerminateInstances(paws::TerminateInstancesRequest{{"i-0000000000000dead"}});
  ASSERT_FALSE(missing.IsSuccess());
  EXPECT_EQ(missing.GetError().code, "InvalidInstanceID.NotFound");
}

TEST_F(AwsEndpointTest, AsyncCreateFleetAnswersOnThePostedThread) {
  std::optional<paws::Outcome<paws::CreateFleetResponse>> got;
  api_->CreateFleet(Fleet("spot", {"m5.large", "m5.xlarge"}), [&](paws::Outcome<paws::CreateFleetResponse> o) {
    got.emplace(std::move(o));
  });
  for (int i = 0; i < 100 && !got; ++i) completions_.WaitAndRunPending(100 * model::kMillisecond);
  ASSERT_TRUE(got && got->IsSuccess());
  ASSERT_EQ(got->GetResult().instances.size(), 1u);
  EXPECT_EQ(got->GetResult().instances.front().lifecycle, "spot");
}

TEST_F(AwsEndpointTest, FullPoolFallsBackToTheNextOverrideWithOneErrorPerFailedOverride) {
  sim::Ec2Options options;
  options.pools.push_back(sim::CapacityPool{"m5.large", "us-east-1a", "on-demand", 1});
  Start(options);
  auto first = api_->CreateFleetNow(Fleet("on-demand", {"m5.large", "m5.xlarge"}), 10 * model::kSecond);
  ASSERT_TRUE(first.IsSuccess());
  EXPECT_EQ(first.GetResult().instances.front().launched_with.instance_type, "m5.large");
  EXPECT_TRUE(first.GetResult().errors.empty());
  auto second = api_->CreateFleetNow(Fleet("on-demand", {"m5.large", "m5.xlarge"}), 10 * model::kSecond);
  ASSERT_TRUE(second.IsSuccess());
  ASSERT_EQ(second.GetResult().instances.size(), 1u);
  EXPECT_EQ(second.GetResult().instances.front().launched_with.instance_type, "m5.xlarge");
  ASSERT_EQ(second.GetResult().errors.size(), 1u);
  EXPECT_EQ(second.GetResult().errors.front().error_code, "InsufficientInstanceCapacity");
  EXPECT_EQ(second.GetResult().errors.front().override.instance_type, "m5.large");
}

TEST_F(AwsEndpointTest, InjectedInsufficientCapacityFailsMatchingOverridesUntilCleared) {
  json r = Control("POST", "/adze-twin/v1/insufficient-capacity", {{"family", "m5"}, {"capacityType", "spot"}});
  EXPECT_EQ(last_status_, 200) << r.dump();
  auto blocked = api_->CreateFleetNow(Fleet("spot", {"m5.large", "m6i.large"}), 10 * model::kSecond);
  ASSERT_TRUE(blocked.IsSuccess());
  ASSERT_EQ(blocked.GetResult().instances.size(), 1u);
  EXPECT_EQ(blocked.GetResult().instances.front().launched_with.instance_type, "m6i.large");
  ASSERT_EQ(blocked.GetResult().errors.size(), 1u);
  EXPECT_EQ(blocked.GetResult().errors.front().error_code, "InsufficientInstanceCapacity");
  // On-demand is not blocked.
  auto od = api_->CreateFleetNow(Fleet("on-demand", {"m5.large"}), 10 * model::kSecond);
  ASSERT_TRUE(od.IsSuccess());
  EXPECT_EQ(od.GetResult().instances.size(), 1u);
  EXPECT_EQ(Control("DELETE", "/adze-twin/v1/insufficient-capacity")["cleared"], 1);
  auto cleared = api_->CreateFleetNow(Fleet("spot", {"m5.large"}), 10 * model::kSecond);
  ASSERT_TRUE(cleared.IsSuccess());
  EXPECT_EQ(cleared.GetResult().instances.size(), 1u);
  EXPECT_EQ(Control("GET", "/adze-twin/v1/counters")["injected"]["blockedOverrides"], 1);
}

TEST_F(AwsEndpointTest, SpotInterruptionArrivesThroughSqsAsEventBridgeEvents) {
  auto fleet = api_->CreateFleetNow(Fleet("spot", {"m5.large"}), 10 * model::kSecond);
  ASSERT_TRUE(fleet.IsSuccess() && !fleet.GetResult().instances.empty());
  const std::string id = fleet.GetResult().instances.front().instance_ids.front();
  auto queue = aws::SqsInterruptionQueue::Open(clients_->sqs, "adze-twin-interruption", {});
  ASSERT_TRUE(queue.ok()) << queue.error().message;
  EXPECT_EQ((*queue)->queue_url(), endpoint_->queue_url());

  json r = Control("POST", "/adze-twin/v1/spot-interruptions", {{"instanceIds", {id}}});
  ASSERT_EQ(r["interrupted"], json::array({id})) << r.dump();
  std::vector<Kind> kinds;
  // The warning now; the termination the notice ÷ speed (1.2 s) later.
  for (int i = 0; i < 10 && std::find(kinds.begin(), kinds.end(), Kind::kInstanceTerminated) == kinds.end(); ++i) {
    auto got = (*queue)->Receive(10, 5 * model::kSecond);
    ASSERT_TRUE(got.ok()) << got.error().message;
    for (const ports::InterruptionMessage& m : *got) {
      EXPECT_EQ(m.instance_id, id);
      kinds.push_back(m.kind);
      EXPECT_TRUE((*queue)->Delete(m.receipt_handle).ok());
    }
  }
  EXPECT_EQ(kinds, (std::vector<Kind>{Kind::kRebalanceRecommendation, Kind::kSpotInterrupted,
                                      Kind::kInstanceTerminated}));
  EXPECT_FALSE(ec2_->Find(id)->running);
  EXPECT_TRUE((*queue)->Delete("not-a-handle").error().code == ErrorCode::kNotFound);
  json counters = Control("GET", "/adze-twin/v1/counters");
  EXPECT_EQ(counters["spotInterruptions"], 1);
  EXPECT_EQ(counters["faults"]["spotInterruptions"], 1);
}

TEST_F(AwsEndpointTest, ReceiveWaitsForWaitTimeSecondsWhenTheQueueIsEmpty) {
  auto queue = aws::SqsInterruptionQueue::Open(clients_->sqs, "adze-twin-interruption", {});
  ASSERT_TRUE(queue.ok());
  const auto start = std::chrono::steady_clock::now();
  auto got = (*queue)->Receive(10, model::kSecond);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->empty());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(950));
  // Any queue name is served; a URL that names no queue is an error.
  auto other = aws::SqsInterruptionQueue::Open(clients_->sqs, "my-interruption-queue", {});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ((*other)->queue_url(), endpoint_->url() + "/000000000000/my-interruption-queue");
  auto missing = aws::SqsInterruptionQueue::Open(clients_->sqs, endpoint_->url() + "/000000000000/nothing", {});
  ASSERT_TRUE(missing.ok());  // a URL is not looked up
  auto got_missing = (*missing)->Receive(1, 0);
  ASSERT_FALSE(got_missing.ok());
  EXPECT_EQ(got_missing.error().code, ErrorCode::kNotFound);
}

TEST_F(AwsEndpointTest, WrongSecretIsRejectedWithEachServicesErrorShape) {
  Clients wrong(endpoint_->url(), "adze-twin", "not-the-secret");
  auto ec2 = wrong.ec2.Query("DescribeInstances", "2016-11-15", {}, 5 * model::kSecond);
  ASSERT_FALSE(ec2.IsSuccess());
  EXPECT_EQ(ec2.GetError().code, "AuthFailure");
  auto sqs = wrong.sqs.Json("AmazonSQS", "GetQueueUrl", "1.0", R"({"QueueName":"adze-twin-interruption"})",
                            5 * model::kSecond);
  ASSERT_FALSE(sqs.IsSuccess());
  EXPECT_EQ(sqs.GetError().code, "SignatureDoesNotMatch");
  auto ssm = wrong.ssm.Json("AmazonSSM", "GetParameter", "1.1", R"({"Name":"x"})", 5 * model::kSecond);
  ASSERT_FALSE(ssm.IsSuccess());
  EXPECT_EQ(ssm.GetError().code, "InvalidSignatureException");
  Clients stranger(endpoint_->url(), "AKIAOTHER", "adze-twin-secret");
  auto unknown = stranger.sqs.Json("AmazonSQS", "GetQueueUrl", "1.0", R"({"QueueName":"x"})", 5 * model::kSecond);
  ASSERT_FALSE(unknown.IsSuccess());
  EXPECT_EQ(unknown.GetError().code, "InvalidClientTokenId");
  // Unsigned: 403 too.
  httplib::Client c("127.0.0.1", endpoint_->port());
  auto raw = c.Post("/", "Action=DescribeInstances&Version=2016-11-15", "application/x-www-form-urlencoded");
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->status, 403);
  EXPECT_NE(raw->body.find("<Code>AuthFailure</Code>"), std::string::npos);
  EXPECT_EQ(Control("GET", "/adze-twin/v1/counters")["faults"]["signatureRejections"], 5);
}

TEST_F(AwsEndpointTest, UnknownActionIsInvalidAction) {
  auto r = clients_->ec2.Query("RunInstances", "2016-11-15", {}, 5 * model::kSecond);
  ASSERT_FALSE(r.IsSuccess());
  EXPECT_EQ(r.GetError().code, "InvalidAction");
  auto j = clients_->sqs.Json("AmazonSQS", "PurgeQueue", "1.0", "{}", 5 * model::kSecond);
  ASSERT_FALSE(j.IsSuccess());
  EXPECT_EQ(j.GetError().code, "InvalidAction");
}

TEST_F(AwsEndpointTest, InjectedErrorsAndThrottlingAnswerEveryCallUntilReset) {
  Control("POST", "/adze-twin/v1/faults", {{"errorRate", 1.0}});
  ASSERT_EQ(last_status_, 200);
  auto e = api_->DescribeInstances({});
  ASSERT_FALSE(e.IsSuccess());
  EXPECT_EQ(e.GetError().code, "InternalError");
  Control("POST", "/adze-twin/v1/faults", {{"errorRate", 0.0}, {"throttleRate", 1.0}});
  auto t = api_->DescribeInstances({});
  ASSERT_FALSE(t.IsSuccess());
  EXPECT_EQ(t.GetError().code, "RequestLimitExceeded");
  auto q = clients_->sqs.Json("AmazonSQS", "GetQueueUrl", "1.0", R"({"QueueName":"adze-twin-interruption"})",
                              5 * model::kSecond);
  ASSERT_FALSE(q.IsSuccess());
  EXPECT_EQ(q.GetError().code, "ThrottlingException");
  Control("POST", "/adze-twin/v1/faults", {{"throttleRate", 0.0}});
  EXPECT_TRUE(api_->DescribeInstances({}).IsSuccess());
  json faults = Control("GET", "/adze-twin/v1/counters")["faults"];
  EXPECT_EQ(faults["internalErrors"], 3);  // three attempts each (the standard retry mode)
  EXPECT_EQ(faults["throttles"], 6);
  Control("POST", "/adze-twin/v1/faults", {{"errorRate", 2}});
  EXPECT_EQ(last_status_, 400);
}

TEST_F(AwsEndpointTest, CreateFleetDelayPushesTheAnswerPastTheClientsDeadlineButTheInstanceLaunches) {
  Control("POST", "/adze-twin/v1/faults", {{"createFleetDelaySeconds", 1.0}});
  auto r = api_->CreateFleetNow(Fleet("on-demand", {"m5.large"}), 300 * model::kMillisecond);
  ASSERT_FALSE(r.IsSuccess());
  EXPECT_EQ(r.GetError().code, "RequestTimeout");
  // The instance launches anyway (what garbage collection is for).
  json instances;
  for (int i = 0; i < 50; ++i) {
    instances = Control("GET", "/adze-twin/v1/instances")["instances"];
    if (!instances.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(instances.size(), 1u);
  EXPECT_EQ(instances[0]["instanceType"], "m5.large");
  EXPECT_EQ(instances[0]["state"], "running");
  EXPECT_EQ(instances[0]["capacityType"], "on-demand");
  EXPECT_EQ(instances[0]["tags"]["karpenter.sh/nodeclaim"], "claim-1");
  EXPECT_EQ(Control("GET", "/adze-twin/v1/counters")["faults"]["createFleetDelays"], 1);
}

TEST_F(AwsEndpointTest, ControlApiRejectsMalformedBodies) {
  Control("POST", "/adze-twin/v1/spot-interruptions", {{"instanceIds", "i-1"}});
  EXPECT_EQ(last_status_, 400);
  Control("POST", "/adze-twin/v1/insufficient-capacity", {{"zones", {"us-east-1a"}}});
  EXPECT_EQ(last_status_, 400);
  json r = Control("POST", "/adze-twin/v1/spot-interruptions", {{"instanceIds", {"i-0000000000000dead"}}});
  EXPECT_EQ(last_status_, 404);
  EXPECT_EQ(r["errors"].size(), 1u);
  EXPECT_EQ(Control("POST", "/adze-twin/v1/spot-interruptions", {{"count", 3}})["interrupted"].size(), 0u);
}

}  // namespace
}  // namespace adze::twin
