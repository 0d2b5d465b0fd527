// CredentialsChain: the SDKs' default chain — the first source that has
// credentials wins (environment, shared profile, web identity, container
// endpoint, IMDSv2, in that order) — with a cache: the credentials are kept
// until `refresh_before` ahead of their expiration, then fetched again from
// the source that gave them (falling back to the whole chain if it fails).
// Long-term keys (no expiration) are kept for the process's life.
// Thread-safety: thread-safe; one refresh at a time.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "adapters/aws/credentials.h"
#include "adapters/aws/http_client.h"
#include "adapters/aws/shared_config.h"

namespace adze::adapters::aws {

class CredentialsChain : public CredentialsProvider {
 public:
  // Botocore refreshes 10 min ahead of expiry (its "mandatory" window; STS
  // and IMDS credentials last ≥ 15 min).
  static constexpr int64_t kDefaultRefreshBeforeSeconds = 10 * 60;

  CredentialsChain(std::vector<std::unique_ptr<CredentialsProvider>> sources, std::function<int64_t()> unix_seconds,
                   int64_t refresh_before_seconds = kDefaultRefreshBeforeSeconds);

  // The default chain over the process (or a test's) environment.
  static std::unique_ptr<CredentialsChain> Default(EnvFn env, HttpClient& http, std::string sts_endpoint,
                                                   std::function<int64_t()> unix_seconds);

  Result<Credentials> Get() override;

 private:
  Result<Credentials> Resolve();

  std::vector<std::unique_ptr<CredentialsProvider>> sources_;
  std::function<int64_t()> unix_seconds_;
  const int64_t refresh_before_;
  std::mutex mu_;
  std::optional<Credentials> cached_;
  CredentialsProvider* cached_source_ = nullptr;
};

}  // namespace adze::adapters::aws
