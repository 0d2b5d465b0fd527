// AwsServiceClient: one AWS service endpoint (EC2, SSM, SQS, STS, Pricing):
// signs each attempt with fresh credentials (SigV4), sends it, retries in the
// standard mode (retry_strategy.h) within the call's deadline, and turns
// error responses into an AwsError (aws_error_parser.h). Transport failures
// become AwsErrors too: "RequestTimeout" when the deadline passed,
// "NetworkingError" for a connection that failed or was reset.
//
// Logging: one line per failed attempt and per given-up call, naming the
// operation, the HTTP status or transport error and the AWS code — never a
// header, a body, a query value or a credential.
// Thread-safety: thread-safe if its dependencies are (they are shared).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "adapters/aws/credentials.h"
#include "adapters/aws/http_client.h"
#include "adapters/aws/retry_strategy.h"
#include "model/duration.h"
#include "providers/aws/ec2_api.h"

namespace adze::adapters::aws {

using LogFn = std::function<void(std::string_view line)>;

// What a client needs from the process; every field has a real default
// (MakeRealEnvironment), tests replace them.
struct ClientEnvironment {
  std::function<int64_t()> unix_seconds;            // wall clock for SigV4
  std::function<model::Duration()> monotonic_now;   // deadlines
  std::function<void(model::Duration)> sleep;       // back-off
  std::function<double()> random01;                 // jitter draw in [0, 1)
  LogFn log;                                        // may be empty: no logging
};
ClientEnvironment MakeRealEnvironment(LogFn log = {});

struct ServiceEndpoint {
  std::string endpoint;      // https://ec2.us-east-1.amazonaws.com (no path)
  std::string region;        // signing region
  std::string signing_name;  // ec2, ssm, sqs, sts, pricing
};

class AwsServiceClient {
 public:
  // REQUIRES: credentials, http and retry outlive the client.
  AwsServiceClient(ServiceEndpoint endpoint, CredentialsProvider& credentials, HttpClient& http,
                   RetryStrategy& retry, ClientEnvironment env);

  const ServiceEndpoint& endpoint() const { return endpoint_; }
  const ClientEnvironment& env() const { return env_; }

  // Sends `request` (endpoint filled in here) as `operation` ("ec2:CreateFleet",
  // for logs and permission errors), giving up after `timeout` in total.
  providers::aws::Outcome<HttpResponse> Send(HttpRequest request, std::string_view operation,
                                             model::Duration timeout) const;

  // A query-protocol POST (EC2, STS, ...): Action, Version and the fields,
  // form-encoded.
  providers::aws::Outcome<HttpResponse> Query(std::string_view action, std::string_view version,
                                              const std::vector<std::pair<std::string, std::string>>& fields,
                                              model::Duration timeout) const;
  // A JSON-protocol POST (SSM, SQS, Pricing): X-Amz-Target = target_prefix.action.
  providers::aws::Outcome<HttpResponse> Json(std::string_view target_prefix, std::string_view action,
                                             std::string_view json_version, const std::string& body,
                                             model::Duration timeout) const;

 private:
  ServiceEndpoint endpoint_;
  CredentialsProvider& credentials_;
  HttpClient& http_;
  RetryStrategy& retry_;
  ClientEnvironment env_;
};

}  // namespace adze::adapters::aws
