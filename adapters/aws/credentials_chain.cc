#include "adapters/aws/credentials_chain.h"

#include "adapters/aws/credential_providers.h"

namespace adze::adapters::aws {

CredentialsChain::CredentialsChain(std::vector<std::unique_ptr<CredentialsProvider>> sources,
                                   std::function<int64_t()> unix_seconds, int64_t refresh_before_seconds)
    : sources_(std::move(sources)), unix_seconds_(std::move(unix_seconds)), refresh_before_(refresh_before_seconds) {}

std::unique_ptr<CredentialsChain> CredentialsChain::Default(EnvFn env, HttpClient& http, std::string sts_endpoint,
                                                            std::function<int64_t()> unix_seconds) {
  std::vector<std::unique_ptr<CredentialsProvider>> s;
  s.push_back(std::make_unique<EnvironmentCredentials>(env));
  s.push_back(std::make_unique<ProfileCredentials>(env));
  s.push_back(std::make_unique<WebIdentityCredentials>(env, http, std::move(sts_endpoint)));
  s.push_back(std::make_unique<ContainerCredentials>(env, http));
  s.push_back(std::make_unique<ImdsCredentials>(env, http));
  return std::make_unique<CredentialsChain>(std::move(s), std::move(unix_seconds));
}

Result<Credentials> CredentialsChain::Get() {
  std::lock_guard lock(mu_);
  if (cached_ && (!cached_->expiration || *cached_->expiration - unix_seconds_() > refresh_before_)) {
    return *cached_;
  }
  if (cached_source_ != nullptr) {
    auto again = cached_source_->Get();
    if (again.ok()) {
      cached_ = *again;
      return again;
    }
  }
  return Resolve();
}

Result<Credentials> CredentialsChain::Resolve() {
  std::string tried;
  for (auto& source : sources_) {
    auto c = source->Get();
    if (c.ok()) {
      cached_ = *c;
      cached_source_ = source.get();
      return c;
    }
    if (!c.error().Is(ErrorCode::kNotFound)) return c.error();  // configured but broken: say so
    tried += (tried.empty() ? "" : "; ") + c.error().message;
  }
  cached_.reset();
  cached_source_ = nullptr;
  return Error::NotFound("no AWS credentials found (" + tried + ")");
}

}  // namespace adze::adapters::aws
