// RetryStrategy: the AWS SDKs' "standard" retry mode (botocore
// retries/standard.py, the SDK reference "Retry behavior"):
//   - at most max_attempts attempts (3) per call;
//   - retryable: throttling codes, transient codes (RequestTimeout,
//     PriorRequestNotComplete, ...), HTTP 500/502/503/504, and transport
//     failures (connection refused/reset, timeouts); never validation,
//     auth or not-found errors;
//   - back-off before retry n (n = 1, 2, ...): full jitter,
//     random[0,1) × min(base × 2^(n-1), max_backoff) (base 1 s, cap 20 s);
//   - a client-wide retry quota (token bucket of 500): a retry costs 5
//     (10 after a timeout); a call that succeeds gives back what its retries
//     took, or 1 if it needed none. An empty bucket stops retrying.
// Thread-safety: thread-safe (the quota is shared by every caller).
#pragma once

#include <cstdint>
#include <mutex>
#include <string_view>

#include "model/duration.h"

namespace adze::adapters::aws {

struct RetryOptions {
  int max_attempts = 3;
  model::Duration base_backoff = 1 * model::kSecond;
  model::Duration max_backoff = 20 * model::kSecond;
  int quota = 500;
  int retry_cost = 5;
  int timeout_retry_cost = 10;
  int no_retry_increment = 1;
};

// What went wrong with one attempt, for the retry decision.
enum class FailureKind {
  kNotRetryable,  // validation, auth, not found, ... and unknown client errors
  kThrottling,
  kTransient,  // 5xx, transient codes, connection failures
  kTimeout,    // the attempt ran out of time
};

// Classifies an answered attempt (HTTP status and AWS error code; code may
// be empty when the body had none).
FailureKind ClassifyAwsError(int http_status, std::string_view code);

class RetryStrategy {
 public:
  explicit RetryStrategy(RetryOptions options = {});

  const RetryOptions& options() const { return options_; }

  // May attempt `attempt + 1` (1-based `attempt` just failed with `kind`)?
  // Takes the cost from the quota when it says yes; the caller passes the
  // total taken to OnSuccess.
  bool AcquireRetry(int attempt, FailureKind kind, int* taken);
  // The call succeeded after taking `taken` tokens in retries.
  void OnSuccess(int taken);
  // The back-off before retry `attempt` (1 = the first retry), for a uniform
  // draw u in [0, 1).
  model::Duration Backoff(int attempt, double u) const;

  int quota_left() const;

 private:
  const RetryOptions options_;
  mutable std::mutex mu_;
  int tokens_;
};

}  // namespace adze::adapters::aws
