// HttpEc2Api against recorded real-format EC2 responses served in process
// (what moto lacks): CreateFleet's per-override errors (ICE, vCPU limit),
// multi-page results followed through NextToken, throttling of the
// asynchronous CreateFleet, a deadline in the controllers' clock, Pricing
// GetProducts, and responses in AWS's own XML namespace.
#include "adapters/aws/http_ec2_api.h"

#include <atomic>
#include <future>
#include <mutex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/aws/curl_http_client.h"
#include "adapters/aws/local_server_test_util.h"
#include "providers/aws/errors.h"

namespace adze::adapters::aws {
namespace {

using namespace providers::aws;
using testing::LocalHttpServer;

class Creds : public CredentialsProvider {
 public:
  Result<Credentials> Get() override { return Credentials{"AKIDEC2API", "ec2-api-secret", "", std::nullopt, "t"}; }
};

// A CreateFleet answer as EC2 sends it (API reference, CreateFleet response
// elements): one instance launched, two overrides refused.
constexpr char kFleetWithErrors[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>5e7cb3a4-1b3c-4b2f-9d7f-0a1b2c3d4e5f</requestId>
  <fleetId>fleet-12345678-90ab-cdef-1234-567890abcdef</fleetId>
  <errorSet>
    <item>
      <errorCode>InsufficientInstanceCapacity</errorCode>
      <errorMessage>We currently do not have sufficient p5.48xlarge capacity in the Availability Zone you requested (us-east-1a).</errorMessage>
      <launchTemplateAndOverrides>
        <launchTemplateSpecification><launchTemplateName>adze/gpu</launchTemplateName><version>$Latest</version></launchTemplateSpecification>
        <overrides><instanceType>p5.48xlarge</instanceType><subnetId>subnet-aaa</subnetId><availabilityZone>us-east-1a</availabilityZone><priority>98.32</priority></overrides>
      </launchTemplateAndOverrides>
      <lifecycle>on-demand</lifecycle>
    </item>
    <item>
      <errorCode>VcpuLimitExceeded</errorCode>
      <errorMessage>You have requested more vCPU capacity than your current vCPU limit of 64 allows.</errorMessage>
      <launchTemplateAndOverrides>
        <launchTemplateSpecification><launchTemplateName>adze/gpu</launchTemplateName><version>$Latest</version></launchTemplateSpecification>
        <overrides><instanceType>p5.48xlarge</instanceType><subnetId>subnet-bbb</subnetId><availabilityZone>us-east-1b</availabilityZone><priority>98.32</priority></overrides>
      </launchTemplateAndOverrides>
      <lifecycle>on-demand</lifecycle>
    </item>
  </errorSet>
  <fleetInstanceSet>
    <item>
      <launchTemplateAndOverrides>
        <launchTemplateSpecification><launchTemplateName>adze/gpu</launchTemplateName><version>$Latest</version></launchTemplateSpecification>
        <overrides><instanceType>p4d.24xlarge</instanceType><subnetId>subnet-ccc</subnetId><availabilityZone>us-east-1c</availabilityZone><priority>32.77</priority></overrides>
      </launchTemplateAndOverrides>
      <lifecycle>on-demand</lifecycle>
      <instanceIds><item>i-0123456789abcdef0</item></instanceIds>
      <instanceType>p4d.24xlarge</instanceType>
      <platform/>
    </item>
  </fleetInstanceSet>
</CreateFleetResponse>)";

std::string InstancesPage(const std::string& id, const std::string& next) {
  return "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId>"
         "<reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><instanceId>" +
         id +
         "</instanceId><instanceType>g5.xlarge</instanceType><placement><availabilityZone>us-east-1b"
         "</availabilityZone></placement><instanceState><code>16</code><name>running</name></instanceState>"
         "<instanceLifecycle>spot</instanceLifecycle><tagSet><item><key>karpenter.sh/nodepool</key><value>gpu"
         "</value></item></tagSet></item></instancesSet></item></reservationSet>" +
         (next.empty() ? "" : "<nextToken>" + next + "</nextToken>") + "</DescribeInstancesResponse>";
}

class HttpEc2ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    s.server().Post("/", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      requests_.push_back(req.params);
      if (handler_) handler_(req, res);
    });
    s.Start();
    env_ = MakeRealEnvironment();
    env_.sleep = [](model::Duration) {};
    env_.random01 = [] { return 0.0; };
    client_ = std::make_unique<AwsServiceClient>(ServiceEndpoint{s.url(), "us-east-1", "ec2"}, creds_, http_, retry_,
                                                 env_);
    pricing_ = std::make_unique<AwsServiceClient>(ServiceEndpoint{s.url(), "us-east-1", "pricing"}, creds_, http_,
                                                  retry_, env_);
    HttpEc2ApiOptions o;
    o.pricing_region = "us-east-1";
    o.controller_now = [this] { return controller_now_.load(); };
    api_ = std::make_unique<HttpEc2Api>(*client_, *client_, *pricing_, completions_.Poster(), o);
  }
  void TearDown() override { api_.reset(); }

  Outcome<CreateFleetResponse> Fleet(const CreateFleetRequest& r) {
    std::optional<Outcome<CreateFleetResponse>> answer;
    api_->CreateFleet(r, [&](Outcome<CreateFleetResponse> o) { answer.emplace(std::move(o)); });
    while (!answer) completions_.WaitAndRunPending(10 * model::kSecond);
    return std::move(*answer);
  }

  LocalHttpServer s;  // first: destroyed last
  Creds creds_;
  CurlHttpClient http_;
  RetryStrategy retry_;
  ClientEnvironment env_;
  CompletionQueue completions_;
  std::unique_ptr<AwsServiceClient> client_, pricing_;
  std::unique_ptr<HttpEc2Api> api_;
  std::atomic<model::Duration> controller_now_{0};
  std::mutex mu_;
  std::vector<httplib::Params> requests_;
  std::function<void(const httplib::Request&, httplib::Response&)> handler_;
};

TEST_F(HttpEc2ApiTest, CreateFleetReadsPerOverrideErrorsAsWellAsInstances) {
  std::unique_lock handler_lock(mu_);  // the server thread reads handler_
  handler_ = [](const httplib::Request&, httplib::Response& res) { res.set_content(kFleetWithErrors, "text/xml"); };
  handler_lock.unlock();
  CreateFleetRequest r;
  r.launch_template_name = "adze/gpu";
  r.default_target_capacity_type = "on-demand";
  r.allocation_strategy = "lowest-price";
  r.overrides = {{"p5.48xlarge", "subnet-aaa", "us-east-1a", "", 98.32, std::nullopt, ""},
                 {"p5.48xlarge", "subnet-bbb", "us-east-1b", "", 98.32, std::nullopt, ""},
                 {"p4d.24xlarge", "subnet-ccc", "us-east-1c", "", 32.77, std::nullopt, ""}};
  r.tags = {{"karpenter.sh/nodepool", "gpu"}};
  auto out = Fleet(r);
  ASSERT_TRUE(out.IsSuccess()) << out.GetError().code;
  const auto& f = out.GetResult();
  EXPECT_EQ(f.fleet_id, "fleet-12345678-90ab-cdef-1234-567890abcdef");
  ASSERT_EQ(f.instances.size(), 1u);
  EXPECT_EQ(f.instances[0].instance_ids, std::vector<std::string>{"i-0123456789abcdef0"});
  EXPECT_EQ(f.instances[0].launched_with.instance_type, "p4d.24xlarge");
  EXPECT_EQ(f.instances[0].launched_with.availability_zone, "us-east-1c");
  ASSERT_EQ(f.errors.size(), 2u);
  EXPECT_EQ(f.errors[0].error_code, "InsufficientInstanceCapacity");
  EXPECT_EQ(f.errors[0].override.subnet_id, "subnet-aaa");
  EXPECT_EQ(f.errors[1].error_code, "VcpuLimitExceeded");
  EXPECT_EQ(f.errors[1].override.availability_zone, "us-east-1b");
  for (const auto& e : f.errors) {
    EXPECT_TRUE(IsUnfulfillableCapacity(e.error_code));
    EXPECT_TRUE(ToError(AwsError{e.error_code, e.error_message}).Is(ErrorCode::kInsufficientCapacity));
  }
  // What went over the wire: an instant fleet with every override and the tags.
  std::lock_guard lock(mu_);
  ASSERT_EQ(requests_.size(), 1u);
  const auto& p = requests_[0];
  auto get = [&](const std::string& k) {
    auto it = p.find(k);
    return it == p.end() ? std::string("<missing>") : it->second;
  };
  EXPECT_EQ(get("Action"), "CreateFleet");
  EXPECT_EQ(get("Type"), "instant");
  EXPECT_EQ(get("LaunchTemplateConfigs.1.Overrides.3.InstanceType"), "p4d.24xlarge");
  EXPECT_EQ(get("LaunchTemplateConfigs.1.Overrides.2.SubnetId"), "subnet-bbb");
  EXPECT_EQ(get("OnDemandOptions.AllocationStrategy"), "lowest-price");
  EXPECT_EQ(get("TargetCapacitySpecification.DefaultTargetCapacityType"), "on-demand");
  EXPECT_EQ(get("TagSpecification.1.ResourceType"), "instance");
  EXPECT_EQ(get("TagSpecification.1.Tag.1.Key"), "karpenter.sh/nodepool");
}

TEST_F(HttpEc2ApiTest, CreateFleetThrottledThenAnsweredIsRetriedOnTheWorker) {
  std::atomic<int> calls{0};
  std::unique_lock handler_lock(mu_);  // the server thread reads handler_
  handler_ = [&](const httplib::Request&, httplib::Response& res) {
    if (++calls == 1) {
      res.status = 503;
      res.set_content("<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded."
                      "</Message></Error></Errors><RequestID>x</RequestID></Response>",
                      "text/xml");
      return;
    }
    res.set_content(kFleetWithErrors, "text/xml");
  };
  handler_lock.unlock();
  auto out = Fleet(CreateFleetRequest{});
  ASSERT_TRUE(out.IsSuccess());
  EXPECT_EQ(calls, 2);
}

TEST_F(HttpEc2ApiTest, CreateFleetPastItsDeadlineFailsWithoutCallingEc2) {
  controller_now_ = 100 * model::kSecond;
  CreateFleetRequest r;
  r.deadline = 100 * model::kSecond;  // already due in the controllers' clock
  auto out = Fleet(r);
  ASSERT_FALSE(out.IsSuccess());
  EXPECT_TRUE(ToError(out.GetError()).Is(ErrorCode::kDeadlineExceeded)) << out.GetError().code;
  std::lock_guard lock(mu_);
  EXPECT_TRUE(requests_.empty());
}

// A burst queues more launches than there are workers: one whose deadline
// passes while it waits is answered DeadlineExceeded and never sent.
TEST_F(HttpEc2ApiTest, CreateFleetThatWaitedPastItsDeadlineForAWorkerIsNotSent) {
  HttpEc2ApiOptions o;
  o.controller_now = [this] { return controller_now_.load(); };
  o.fleet_workers = 1;
  api_ = std::make_unique<HttpEc2Api>(*client_, *client_, *pricing_, completions_.Poster(), o);
  std::promise<void> first_arrived, release_first;
  std::shared_future<void> released = release_first.get_future().share();
  std::atomic<int> calls{0};
  {
    std::lock_guard lock(mu_);  // the server thread reads handler_
    handler_ = [&, released](const httplib::Request&, httplib::Response& res) {
      if (calls.fetch_add(1) == 0) {
        first_arrived.set_value();
        released.wait();
      }
      res.set_content(kFleetWithErrors, "text/xml");
    };
  }
  std::optional<Outcome<CreateFleetResponse>> first, second;
  CreateFleetRequest r;
  r.deadline = 30 * model::kSecond;
  api_->CreateFleet(r, [&](Outcome<CreateFleetResponse> out) { first.emplace(std::move(out)); });
  first_arrived.get_future().wait();
  r.deadline = 10 * model::kSecond;  // due while the one worker is busy
  api_->CreateFleet(r, [&](Outcome<CreateFleetResponse> out) { second.emplace(std::move(out)); });
  controller_now_ = 20 * model::kSecond;
  release_first.set_value();
  while (!first || !second) completions_.WaitAndRunPending(10 * model::kSecond);
  EXPECT_TRUE(first->IsSuccess());
  ASSERT_FALSE(second->IsSuccess());
  EXPECT_TRUE(ToError(second->GetError()).Is(ErrorCode::kDeadlineExceeded)) << second->GetError().code;
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(HttpEc2ApiTest, DescribeInstancesFollowsNextTokenToTheLastPage) {
  std::unique_lock handler_lock(mu_);  // the server thread reads handler_
  handler_ = [](const httplib::Request& req, httplib::Response& res) {
    const std::string token = req.has_param("NextToken") ? req.get_param_value("NextToken") : "";
    if (token.empty()) res.set_content(InstancesPage("i-1", "page2"), "text/xml");
    if (token == "page2") res.set_content(InstancesPage("i-2", "page3"), "text/xml");
    if (token == "page3") res.set_content(InstancesPage("i-3", ""), "text/xml");
  };
  handler_lock.unlock();
  auto r = api_->DescribeInstances({{}, {"karpenter.sh/nodepool"}});
  ASSERT_TRUE(r.IsSuccess()) << r.GetError().code;
  ASSERT_EQ(r.GetResult().instances.size(), 3u);
  EXPECT_EQ(r.GetResult().instances[2].instance_id, "i-3");
  EXPECT_EQ(r.GetResult().instances[0].instance_lifecycle, "spot");
  EXPECT_EQ(r.GetResult().instances[0].availability_zone, "us-east-1b");
  std::lock_guard lock(mu_);
  ASSERT_EQ(requests_.size(), 3u);
  EXPECT_EQ(requests_[0].find("Filter.1.Name")->second, "tag-key");
  EXPECT_EQ(requests_[0].find("Filter.1.Value.1")->second, "karpenter.sh/nodepool");
}

TEST_F(HttpEc2ApiTest, MalformedResponseIsAnErrorNotACrash) {
  std::unique_lock handler_lock(mu_);  // the server thread reads handler_
  handler_ = [](const httplib::Request&, httplib::Response& res) { res.set_content("<html>oops", "text/html"); };
  handler_lock.unlock();
  auto r = api_->DescribeInstances({});
  ASSERT_FALSE(r.IsSuccess());
  EXPECT_EQ(r.GetError().code, "MalformedResponse");
}

TEST_F(HttpEc2ApiTest, PricingGetProductsReadsTheOnDemandPricePerType) {
  std::atomic<int> pages{0};
  std::unique_lock handler_lock(mu_);  // the server thread reads handler_
  handler_ = [&](const httplib::Request& req, httplib::Response& res) {
    EXPECT_EQ(req.get_header_value("X-Amz-Target"), "AWSPriceListService.GetProducts");
    const auto body = nlohmann::json::parse(req.body);
    EXPECT_EQ(body["ServiceCode"], "AmazonEC2");
    // One PriceList entry as the Price List API returns it (a JSON document in a string).
    auto product = [](const std::string& type, const std::string& usd) {
      return R"({"product":{"productFamily":"Compute Instance","attributes":{"instanceType":")" + type +
             R"(","operatingSystem":"Linux","tenancy":"Shared"}},"terms":{"OnDemand":{"ABC.JRTCKXETXF":)"
             R"({"priceDimensions":{"ABC.JRTCKXETXF.6YS6EN2CT7":{"unit":"Hrs","pricePerUnit":{"USD":")" +
             usd + R"("}}}}}}})";
    };
    nlohmann::json page;
    if (!body.contains("NextToken")) {
      page = {{"FormatVersion", "aws_v1"}, {"PriceList", {product("g5.xlarge", "1.0060000000")}}, {"NextToken", "t2"}};
    } else {
      page = {{"FormatVersion", "aws_v1"}, {"PriceList", {product("p5.48xlarge", "98.3200000000")}}};
    }
    ++pages;
    res.set_content(page.dump(), "application/x-amz-json-1.1");
  };
  handler_lock.unlock();
  auto r = api_->GetOnDemandPrices();
  ASSERT_TRUE(r.IsSuccess()) << r.GetError().code;
  EXPECT_EQ(pages, 2);
  EXPECT_DOUBLE_EQ(r.GetResult().usd_per_hour.at("g5.xlarge"), 1.006);
  EXPECT_DOUBLE_EQ(r.GetResult().usd_per_hour.at("p5.48xlarge"), 98.32);
}

}  // namespace
}  // namespace adze::adapters::aws
