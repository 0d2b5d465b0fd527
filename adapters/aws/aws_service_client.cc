#include "adapters/aws/aws_service_client.h"

#include <chrono>
#include <random>
#include <thread>

#include "adapters/aws/aws_error_parser.h"
#include "adapters/aws/sigv4_signer.h"

namespace adze::adapters::aws {

using providers::aws::AwsError;
using providers::aws::Outcome;

ClientEnvironment MakeRealEnvironment(LogFn log) {
  ClientEnvironment env;
  env.unix_seconds = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  env.monotonic_now = [] {
    return static_cast<model::Duration>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
  };
  env.sleep = [](model::Duration d) { std::this_thread::sleep_for(std::chrono::microseconds(d)); };
  env.random01 = [] {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  };
  env.log = std::move(log);
  return env;
}

AwsServiceClient::AwsServiceClient(ServiceEndpoint endpoint, CredentialsProvider& credentials, HttpClient& http,
                                   RetryStrategy& retry, ClientEnvironment env)
    : endpoint_(std::move(endpoint)), credentials_(credentials), http_(http), retry_(retry), env_(std::move(env)) {}

Outcome<HttpResponse> AwsServiceClient::Send(HttpRequest request, std::string_view operation,
                                             model::Duration timeout) const {
  request.endpoint = endpoint_.endpoint;
  const model::Duration deadline = env_.monotonic_now() + timeout;
  auto log = [&](const std::string& line) {
    if (env_.log) env_.log(line);
  };
  int taken = 0;
  for (int attempt = 1;; ++attempt) {
    auto creds = credentials_.Get();
    if (!creds.ok()) {
      return AwsError{"NoCredentials", std::string(operation) + ": no AWS credentials: " + creds.error().message};
    }
    HttpRequest signed_request = request;
    SignRequest(signed_request, *creds,
                SigningParams{endpoint_.region, endpoint_.signing_name, env_.unix_seconds(), false});
    const model::Duration remaining = deadline - env_.monotonic_now();
    if (remaining <= 0) {
      return AwsError{"RequestTimeout", std::string(operation) + ": deadline passed after " +
                                            std::to_string(attempt - 1) + " attempt(s)"};
    }
    auto sent = http_.Send(signed_request, remaining);
    AwsError error;
    FailureKind kind;
    if (!sent.ok()) {
      const bool timed_out = sent.error().Is(ErrorCode::kDeadlineExceeded);
      error = AwsError{timed_out ? "RequestTimeout" : "NetworkingError", sent.error().message};
      kind = timed_out ? FailureKind::kTimeout : FailureKind::kTransient;
    } else if (sent->status >= 200 && sent->status < 300) {
      retry_.OnSuccess(taken);
      return std::move(sent).value();
    } else {
      error = ParseAwsError(*sent);
      kind = ClassifyAwsError(sent->status, error.code);
      if (error.code == "UnauthorizedOperation" || error.code == "AccessDenied" ||
          error.code == "AccessDeniedException") {
        // AWS's message does not say which action; the operator needs it for the policy.
        error.message = "not authorized to perform " + std::string(operation) + ": " + error.message;
      }
    }
    log(std::string(operation) + " attempt " + std::to_string(attempt) + " failed: " + error.code +
        (sent.ok() ? " (HTTP " + std::to_string(sent->status) + ")" : ""));
    // The attempt had all the time left: a timeout is the deadline, however
    // the HTTP client's clock rounds it. (A retry in the last milliseconds
    // would send a CreateFleet nobody waits for, and launch its instance.)
    if (kind == FailureKind::kTimeout) {
      return AwsError{"RequestTimeout", std::string(operation) + ": deadline passed (" + std::to_string(attempt) +
                                            " attempt(s)): " + error.message};
    }
    const bool retryable = kind != FailureKind::kNotRetryable && attempt < retry_.options().max_attempts;
    const model::Duration wait = retryable ? retry_.Backoff(attempt, env_.random01()) : 0;
    if (retryable && env_.monotonic_now() + wait >= deadline) {
      return AwsError{"RequestTimeout", std::string(operation) + ": deadline passed while retrying " + error.code +
                                            " (" + std::to_string(attempt) + " attempt(s))"};
    }
    if (!retryable || !retry_.AcquireRetry(attempt, kind, &taken)) {
      if (kind != FailureKind::kNotRetryable && attempt > 1) {
        error.message += " (gave up after " + std::to_string(attempt) + " attempts)";
      }
      return error;
    }
    env_.sleep(wait);
  }
}

Outcome<HttpResponse> AwsServiceClient::Query(std::string_view action, std::string_view version,
                                              const std::vector<std::pair<std::string, std::string>>& fields,
                                              model::Duration timeout) const {
  std::vector<std::pair<std::string, std::string>> all;
  all.reserve(fields.size() + 2);
  all.emplace_back("Action", std::string(action));
  all.emplace_back("Version", std::string(version));
  all.insert(all.end(), fields.begin(), fields.end());
  HttpRequest r;
  r.method = "POST";
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  r.body = FormEncode(all);
  return Send(std::move(r), endpoint_.signing_name + ":" + std::string(action), timeout);
}

Outcome<HttpResponse> AwsServiceClient::Json(std::string_view target_prefix, std::string_view action,
                                             std::string_view json_version, const std::string& body,
                                             model::Duration timeout) const {
  HttpRequest r;
  r.method = "POST";
  r.headers.emplace_back("Content-Type", "application/x-amz-json-" + std::string(json_version));
  r.headers.emplace_back("X-Amz-Target", std::string(target_prefix) + "." + std::string(action));
  r.body = body;
  return Send(std::move(r), endpoint_.signing_name + ":" + std::string(action), timeout);
}

}  // namespace adze::adapters::aws
