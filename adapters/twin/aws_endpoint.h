// AwsEndpoint: the twin's AWS side on one HTTP port on 127.0.0.1 (cpp-httplib),
// answering the calls adapters/aws makes (and the AWS SDKs make for them):
//   X-Amz-Target AmazonSSM.GetParameter                      SSM (JSON 1.1)
//   X-Amz-Target AmazonSQS.{CreateQueue,GetQueueUrl,ReceiveMessage,
//     DeleteMessage,SendMessage,GetQueueAttributes}          SQS (JSON 1.0)
//   X-Amz-Target AWSPriceListService.GetProducts             Pricing (JSON 1.1)
//   Action=GetCallerIdentity                                 STS (Query)
//   Action=<EC2 action> (Ec2QueryServer)                     EC2 (Query, 2016-11-15)
// Every AWS request's SigV4 signature is checked against the credentials the
// twin was started with (sigv4_verifier.h): 403 with the service's error
// shape (EC2 AuthFailure; SQS/STS InvalidClientTokenId, SignatureDoesNotMatch;
// SSM/Pricing UnrecognizedClientException, InvalidSignatureException). An
// unknown action or target is 400 InvalidAction.
//
// The interruption events of the twin's EC2 are posted to every SQS queue
// (the default queue exists from the start; CreateQueue and GetQueueUrl of
// any other name add it), as an EventBridge rule with each queue as a target
// would. A queue URL naming no queue is QueueDoesNotExist.
//
// Test and fault controls, JSON, unsigned, under /adze-twin/v1/ (docs/twin.md):
//   POST   spot-interruptions      {"instanceIds":[..]} | {"count":N}
//   POST   insufficient-capacity   {"instanceTypes":[..]} | {"family":F}, "zones", "capacityType", "durationSeconds"
//   DELETE insufficient-capacity
//   POST   faults                  {"errorRate","throttleRate","createFleetDelaySeconds"}; GET reads them
//   GET    instances, counters
// Thread-safety: Start/Stop from one thread; requests run on the server's
// worker threads; the state they share is locked.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "adapters/twin/ec2_query_server.h"
#include "adapters/twin/sqs_queues.h"
#include "adapters/twin/twin_ec2.h"
#include "model/result.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace adze::twin {

struct AwsEndpointOptions {
  int port = 0;  // 0: a free port
  std::string region = "us-east-1";
  std::string access_key_id = "adze-twin";
  std::string secret_access_key = "adze-twin-secret";
  std::string account = "000000000000";
  std::string default_queue = "adze-twin-interruption";
  uint64_t seed = 1;  // fault draws
  // How long a CreateFleet request may wait for the twin's EC2 (wall).
  std::chrono::milliseconds create_fleet_timeout{120'000};
  // Unix seconds for SigV4's clock-skew check. Default: the system clock.
  std::function<int64_t()> unix_seconds;
};

struct AwsFaults {
  double error_rate = 0;                 // share of AWS calls answered 500 InternalError
  double throttle_rate = 0;              // share answered as throttled (EC2 503 RequestLimitExceeded, JSON 400 ThrottlingException)
  double create_fleet_delay_seconds = 0;  // extra wall time before CreateFleet is served
};

class AwsEndpoint {
 public:
  // REQUIRES: ec2 outlives this object and is started after Start().
  AwsEndpoint(TwinEc2& ec2, AwsEndpointOptions options);
  ~AwsEndpoint();
  AwsEndpoint(const AwsEndpoint&) = delete;
  AwsEndpoint& operator=(const AwsEndpoint&) = delete;

  // Binds 127.0.0.1, creates the default queue and serves on a background
  // thread. Returns the port.
  Result<int> Start();
  // Ends long-polls and stops serving. Idempotent.
  void Stop();

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // The default queue's URL. REQUIRES: Start() succeeded.
  std::string queue_url() const;
  const AwsEndpointOptions& options() const { return options_; }

  void SetFaults(const AwsFaults& faults);
  AwsFaults faults() const;
  // Faults injected so far, by kind.
  nlohmann::json FaultCounters() const;
  uint64_t requests() const { return requests_.load(); }

 private:
  struct Answer {
    int status = 200;
    std::string body;
    std::string content_type;
    std::string query_error;  // x-amzn-query-error (SQS)
  };
  enum class Protocol { kEc2, kQuery, kJson };

  void Routes();
  void ServeAws(const httplib::Request& req, const std::string& body, httplib::Response& res);
  Answer Json(const std::string& target, const std::string& body, const std::string& request_id);
  Answer Sqs(const std::string& action, const nlohmann::json& in, const std::string& request_id);
  Answer Sts(const std::string& action, const std::string& request_id);
  Answer Fail(Protocol p, const std::string& service, int status, const std::string& code,
               const std::string& message, const std::string& request_id) const;
  // The fault this call draws: 0 none, 1 error, 2 throttle.
  int DrawFault();
  std::string NextRequestId();

  TwinEc2& ec2_;
  AwsEndpointOptions options_;
  Ec2QueryServer ec2_server_;
  std::unique_ptr<SqsQueues> queues_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> next_request_{1};

  mutable std::mutex mu_;  // guards faults_, random_ and the counters below
  AwsFaults faults_;
  std::mt19937_64 random_;
  uint64_t injected_errors_ = 0;
  uint64_t injected_throttles_ = 0;
  uint64_t delayed_fleets_ = 0;
  uint64_t signature_rejections_ = 0;
  uint64_t capacity_blocks_ = 0;
};

}  // namespace adze::twin
