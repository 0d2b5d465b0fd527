// The fault layer between the client and a server (cpp-httplib, in process):
// throttling bursts, 500/503, connection resets, answers slower than the
// deadline; checks retries, back-off, the retry quota, deadlines and the
// mapping onto adze's error codes.
#include "adapters/aws/aws_service_client.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include <gtest/gtest.h>

#include "adapters/aws/curl_http_client.h"
#include "adapters/aws/local_server_test_util.h"
#include "providers/aws/errors.h"

namespace adze::adapters::aws {
namespace {

using testing::LocalHttpServer;
using testing::ResetServer;

class StaticCredentials : public CredentialsProvider {
 public:
  Result<Credentials> Get() override {
    return Credentials{"AKIDTESTFAULTS", "fault-layer-secret", "fault-layer-token", std::nullopt, "test"};
  }
};

std::string Ec2Error(const std::string& code, const std::string& message) {
  return "<?xml version=\"1.0\"?><Response><Errors><Error><Code>" + code + "</Code><Message>" + message +
         "</Message></Error></Errors><RequestID>r</RequestID></Response>";
}

class ServiceClientTest : public ::testing::Test {
 protected:
  ClientEnvironment Env() {
    ClientEnvironment env = MakeRealEnvironment([this](std::string_view l) {
      std::lock_guard lock(mu_);
      logs_.emplace_back(l);
    });
    env.sleep = [this](model::Duration d) {
      std::lock_guard lock(mu_);
      sleeps_.push_back(d);
    };
    env.random01 = [] { return 0.5; };
    return env;
  }
  AwsServiceClient Client(const std::string& url) {
    return AwsServiceClient(ServiceEndpoint{url, "us-east-1", "ec2"}, creds_, http_, retry_, Env());
  }

  // Declared first so it is destroyed last: the client's kept-alive
  // connections close before the server waits for them.
  LocalHttpServer s;
  StaticCredentials creds_;
  CurlHttpClient http_;
  RetryStrategy retry_;
  std::mutex mu_;
  std::vector<std::string> logs_;
  std::vector<model::Duration> sleeps_;
};

TEST_F(ServiceClientTest, ThrottlingBurstIsRetriedWithFullJitterBackoffThenSucceeds) {
  std::atomic<int> calls{0};
  s.server().Post("/", [&](const httplib::Request& req, httplib::Response& res) {
    // Every attempt is signed afresh, with the session token.
    EXPECT_TRUE(req.has_header("Authorization"));
    EXPECT_EQ(req.get_header_value("X-Amz-Security-Token"), "fault-layer-token");
    if (++calls <= 2) {
      res.status = 503;
      res.set_content(Ec2Error("RequestLimitExceeded", "Request limit exceeded."), "text/xml");
      return;
    }
    res.set_content("<DescribeRegionsResponse/>", "text/xml");
  });
  s.Start();
  auto r = Client(s.url()).Query("DescribeRegions", "2016-11-15", {}, 10 * model::kSecond);
  ASSERT_TRUE(r.IsSuccess()) << r.GetError().code;
  EXPECT_EQ(calls, 3);
  // u = 0.5: half of min(1 s × 2^(n-1), 20 s).
  EXPECT_EQ(sleeps_, (std::vector<model::Duration>{500 * model::kMillisecond, 1000 * model::kMillisecond}));
  EXPECT_EQ(retry_.quota_left(), 500);  // the two retries' 10 tokens came back
}

TEST_F(ServiceClientTest, ServerErrorsStopAfterThreeAttemptsAsUnavailable) {
  std::atomic<int> calls{0};
  s.server().Post("/", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = 500;
    res.set_content(Ec2Error("InternalError", "An internal error has occurred"), "text/xml");
  });
  s.Start();
  auto r = Client(s.url()).Query("DescribeInstances", "2016-11-15", {}, 10 * model::kSecond);
  ASSERT_FALSE(r.IsSuccess());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(r.GetError().code, "InternalError");
  EXPECT_TRUE(providers::aws::ToError(r.GetError()).Is(ErrorCode::kUnavailable));
  EXPECT_EQ(retry_.quota_left(), 490);
}

TEST_F(ServiceClientTest, BareStatus503WithoutBodyIsServiceUnavailable) {
  s.server().Post("/", [&](const httplib::Request&, httplib::Response& res) { res.status = 503; });
  s.Start();
  auto r = Client(s.url()).Query("DescribeInstances", "2016-11-15", {}, 10 * model::kSecond);
  ASSERT_FALSE(r.IsSuccess());
  EXPECT_EQ(r.GetError().code, "ServiceUnavailable");
  EXPECT_EQ(sleeps_.size(), 2u);
}

TEST_F(ServiceClientTest, ValidationAndAuthErrorsAreNeverRetried) {
  std::atomic<int> calls{0};
  std::string code = "InvalidParameterValue";
  s.server().Post("/", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = code == "UnauthorizedOperation" ? 403 : 400;
    res.set_content(Ec2Error(code, "Value (x9.large) for parameter instanceType is invalid."), "text/xml");
  });
  s.Start();
  auto client = Client(s.url());
  auto r = client.Query("CreateFleet", "2016-11-15", {}, 10 * model::kSecond);
  ASSERT_FALSE(r.IsSuccess());
  EXPECT_EQ(calls, 1);
  Error e = providers::aws::ToError(r.GetError());
  EXPECT_TRUE(e.Is(ErrorCode::kInvalidArgument));
  EXPECT_NE(e.message.find("Value (x9.large) for parameter instanceType is invalid."), std::string::npos);

  code = "UnauthorizedOperation";
  r = client.Query("CreateFleet", "2016-11-15", {}, 10 * model::kSecond);
  ASSERT_FALSE(r.IsSuccess());
  EXPECT_EQ(calls, 2);
  e = providers::aws::ToError(r.GetError());
  EXPECT_TRUE(e.Is(ErrorCode::kPermissionDenied));
  EXPECT_NE(e.message.find("ec2:CreateFleet"), std::string::npos) << e.message;
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(ServiceClientTest, ConnectionResetsAreRetriedThenReportedUnavailable) {
  ResetServer s;
  auto r = Client(s.url()).Query("DescribeInstances", "2016-11-15", {}, 10 * model::kSecond);
  ASSERT_FALSE(r.IsSuccess());
  EXPECT_EQ(r.GetError().code, "NetworkingError");
  EXPECT_EQ(s.accepted(), 3);
  EXPECT_TRUE(providers::aws::ToError(r.GetError()).Is(ErrorCode::kUnavailable));
}

TEST_F(ServiceClientTest, AnswerSlowerThanTheDeadlineIsDeadlineExceeded) {
  // Shared with the handler, which may run after this body returns (the
  // server lives until TearDown; under load it can accept late).
  struct Held {
    std::mutex m;
    std::condition_variable cv;
    bool release = false;
    std::atomic<int> calls{0};
  };
  auto held = std::make_shared<Held>();
  s.server().Post("/", [held](const httplib::Request&, httplib::Response& res) {
    ++held->calls;
    std::unique_lock lock(held->m);
    held->cv.wait_for(lock, std::chrono::seconds(5), [&] { return held->release; });  // until the client gave up
    res.set_content("<x/>", "text/xml");
  });
  s.Start();
  auto r = Client(s.url()).Query("DescribeInstances", "2016-11-15", {}, 200 * model::kMillisecond);
  {
    std::lock_guard lock(held->m);
    held->release = true;
  }
  held->cv.notify_all();
  ASSERT_FALSE(r.IsSuccess());
  EXPECT_EQ(r.GetError().code, "RequestTimeout");
  EXPECT_TRUE(providers::aws::ToError(r.GetError()).Is(ErrorCode::kDeadlineExceeded));
  EXPECT_LE(held->calls.load(), 1);  // a timed-out attempt is not sent again
}

TEST_F(ServiceClientTest, EmptyRetryQuotaStopsRetrying) {
  RetryStrategy small(RetryOptions{.max_attempts = 3, .quota = 7});
  std::atomic<int> calls{0};
  s.server().Post("/", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = 503;
    res.set_content(Ec2Error("RequestLimitExceeded", "slow down"), "text/xml");
  });
  s.Start();
  AwsServiceClient client(ServiceEndpoint{s.url(), "us-east-1", "ec2"}, creds_, http_, small, Env());
  auto r = client.Query("DescribeInstances", "2016-11-15", {}, 10 * model::kSecond);
  ASSERT_FALSE(r.IsSuccess());
  EXPECT_EQ(calls, 2);  // one retry (5 tokens), then 2 left < 5
  EXPECT_EQ(small.quota_left(), 2);
  EXPECT_TRUE(providers::aws::ToError(r.GetError()).Is(ErrorCode::kThrottled));
}

TEST_F(ServiceClientTest, ConnectionsAreReused) {
  std::mutex m;
  std::set<int> ports;
  s.server().Post("/", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(m);
    ports.insert(req.remote_port);
    res.set_content("<ok/>", "text/xml");
  });
  s.Start();
  auto client = Client(s.url());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(client.Query("DescribeRegions", "2016-11-15", {}, 5 * model::kSecond).IsSuccess());
  EXPECT_EQ(ports.size(), 1u);
}

TEST(RetryStrategyTest, BackoffIsFullJitterCappedAtTwentySeconds) {
  RetryStrategy r;
  EXPECT_EQ(r.Backoff(1, 0.0), 0);
  EXPECT_EQ(r.Backoff(1, 0.999), 999 * model::kMillisecond);
  EXPECT_EQ(r.Backoff(3, 0.5), 2 * model::kSecond);
  EXPECT_EQ(r.Backoff(30, 0.5), 10 * model::kSecond);
}

TEST(RetryStrategyTest, Classification) {
  EXPECT_EQ(ClassifyAwsError(503, "RequestLimitExceeded"), FailureKind::kThrottling);
  EXPECT_EQ(ClassifyAwsError(400, "Throttling"), FailureKind::kThrottling);
  EXPECT_EQ(ClassifyAwsError(400, "ThrottlingException"), FailureKind::kThrottling);
  EXPECT_EQ(ClassifyAwsError(502, "HttpStatus502"), FailureKind::kTransient);
  EXPECT_EQ(ClassifyAwsError(400, "RequestTimeout"), FailureKind::kTransient);
  EXPECT_EQ(ClassifyAwsError(400, "InvalidParameterValue"), FailureKind::kNotRetryable);
  EXPECT_EQ(ClassifyAwsError(403, "UnauthorizedOperation"), FailureKind::kNotRetryable);
  EXPECT_EQ(ClassifyAwsError(403, "SignatureDoesNotMatch"), FailureKind::kNotRetryable);
  EXPECT_EQ(ClassifyAwsError(400, "InsufficientInstanceCapacity"), FailureKind::kNotRetryable);
}

}  // namespace
}  // namespace adze::adapters::aws
