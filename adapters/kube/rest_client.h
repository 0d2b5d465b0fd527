// RestClient: HTTP to the Kubernetes API over libcurl, with the RestConfig's
// TLS and credentials and client-side rate limits. Answers are JSON; errors
// are the API server's Status mapped to adze's codes:
//   404 kNotFound, 409 AlreadyExists kAlreadyExists, other 409 kConflict,
//   410 kNotFound with IsGone(), 422/400 kInvalidArgument, 429 kThrottled,
//   401/403 kPermissionDenied, 504 and timeouts kDeadlineExceeded,
//   5xx and connection failures kUnavailable.
// Thread-safety: thread-safe (a curl handle per call).
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "adapters/kube/rate_limiter.h"
#include "adapters/kube/rest_config.h"
#include "model/result.h"

namespace adze::kube {

struct ClientOptions {
  double qps = 200;  // Karpenter's defaults (KUBE_CLIENT_QPS, KUBE_CLIENT_BURST)
  int burst = 300;
  long timeout_ms = 30000;  // per request (not watches)
};

// True for a 410 Gone / Expired answer (a watch's resourceVersion is too old).
bool IsGone(const Error& e);

class RestClient {
 public:
  RestClient(RestConfig config, ClientOptions options = {});

  // method GET/POST/PUT/PATCH/DELETE; path from the server root
  // ("/api/v1/pods"); body may be null.
  Result<nlohmann::json> Call(const std::string& method, const std::string& path, const nlohmann::json* body = nullptr,
                              const std::string& content_type = "application/json");

  // GET path and hand each newline-terminated line to on_line until the
  // server ends the stream, on_line returns false, or *stop becomes true.
  Status Stream(const std::string& path, const std::function<bool(std::string_view line)>& on_line,
                const std::atomic<bool>* stop);

  uint64_t requests() const { return requests_.load(); }
  // The server and credentials this client uses, and its limits: for a
  // second client with a rate limit of its own (Events).
  RestConfig config() const;
  const ClientOptions& options() const { return options_; }

 private:
  // The token to send, and a copy of the config to use for this request
  // (an exec plugin may replace the client certificate).
  Result<std::string> Token(RestConfig* config);

  RestConfig config_;
  ClientOptions options_;
  RateLimiter limiter_;
  mutable std::mutex token_mu_;  // guards exec_token_ and config_'s client cert/key
  std::string exec_token_;
  std::atomic<uint64_t> requests_{0};
};

}  // namespace adze::kube
