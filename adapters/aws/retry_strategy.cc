#include "adapters/aws/retry_strategy.h"

#include <algorithm>
#include <array>

#include "providers/aws/errors.h"

namespace adze::adapters::aws {

FailureKind ClassifyAwsError(int http_status, std::string_view code) {
  if (providers::aws::IsThrottling(code) || code == "ProvisionedThroughputExceededException" ||
      code == "BandwidthLimitExceeded" || code == "SlowDown" || code == "ThrottledException" ||
      code == "LimitExceededException" || code == "TransactionInProgressException" || http_status == 429) {
    return FailureKind::kThrottling;
  }
  static constexpr std::array<std::string_view, 4> kTransient = {"RequestTimeout", "RequestTimeoutException",
                                                                 "PriorRequestNotComplete", "InternalError"};
  if (std::find(kTransient.begin(), kTransient.end(), code) != kTransient.end()) return FailureKind::kTransient;
  if (http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504) {
    return FailureKind::kTransient;
  }
  return FailureKind::kNotRetryable;
}

RetryStrategy::RetryStrategy(RetryOptions options) : options_(options), tokens_(options.quota) {}

bool RetryStrategy::AcquireRetry(int attempt, FailureKind kind, int* taken) {
  if (kind == FailureKind::kNotRetryable || attempt >= options_.max_attempts) return false;
  const int cost = kind == FailureKind::kTimeout ? options_.timeout_retry_cost : options_.retry_cost;
  std::lock_guard lock(mu_);
  if (tokens_ < cost) return false;
  tokens_ -= cost;
  *taken += cost;
  return true;
}

void RetryStrategy::OnSuccess(int taken) {
  std::lock_guard lock(mu_);
  tokens_ = std::min(options_.quota, tokens_ + (taken > 0 ? taken : options_.no_retry_increment));
}

model::Duration RetryStrategy::Backoff(int attempt, double u) const {
  model::Duration cap = options_.base_backoff;
  for (int i = 1; i < attempt && cap < options_.max_backoff; ++i) cap *= 2;
  cap = std::min(cap, options_.max_backoff);
  return static_cast<model::Duration>(std::clamp(u, 0.0, 1.0) * static_cast<double>(cap));
}

int RetryStrategy::quota_left() const {
  std::lock_guard lock(mu_);
  return tokens_;
}

}  // namespace adze::adapters::aws
