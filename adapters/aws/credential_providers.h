// The credential sources of the AWS SDKs' default chain, one class each:
//   EnvironmentCredentials   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
//   ProfileCredentials       aws_access_key_id/... of the AWS_PROFILE profile
//                            in ~/.aws/credentials and ~/.aws/config
//   WebIdentityCredentials   AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (EKS
//                            IRSA) → STS AssumeRoleWithWebIdentity
//   ContainerCredentials     AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod
//                            Identity, ECS) or _RELATIVE_URI, with
//                            AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)
//   ImdsCredentials          IMDSv2: PUT a session token, then the role's
//                            credentials (AWS_EC2_METADATA_SERVICE_ENDPOINT,
//                            AWS_EC2_METADATA_DISABLED)
// A source that is not configured answers kNotFound, so the chain moves on;
// one that is configured but fails answers another error. Error messages
// name variables, files and endpoints, never a key, token or secret.
// Thread-safety: thread-safe (no mutable state; the chain caches).
#pragma once

#include <string>

#include "adapters/aws/credentials.h"
#include "adapters/aws/http_client.h"
#include "adapters/aws/shared_config.h"

namespace adze::adapters::aws {

class EnvironmentCredentials : public CredentialsProvider {
 public:
  explicit EnvironmentCredentials(EnvFn env) : env_(std::move(env)) {}
  Result<Credentials> Get() override;

 private:
  EnvFn env_;
};

class ProfileCredentials : public CredentialsProvider {
 public:
  explicit ProfileCredentials(EnvFn env) : env_(std::move(env)) {}
  Result<Credentials> Get() override;

 private:
  EnvFn env_;
};

class WebIdentityCredentials : public CredentialsProvider {
 public:
  // sts_endpoint: where AssumeRoleWithWebIdentity goes (the regional STS,
  // or the override); the call is unsigned, as the SDKs send it.
  WebIdentityCredentials(EnvFn env, HttpClient& http, std::string sts_endpoint)
      : env_(std::move(env)), http_(http), sts_endpoint_(std::move(sts_endpoint)) {}
  Result<Credentials> Get() override;

 private:
  EnvFn env_;
  HttpClient& http_;
  std::string sts_endpoint_;
};

class ContainerCredentials : public CredentialsProvider {
 public:
  ContainerCredentials(EnvFn env, HttpClient& http) : env_(std::move(env)), http_(http) {}
  Result<Credentials> Get() override;

 private:
  EnvFn env_;
  HttpClient& http_;
};

class ImdsCredentials : public CredentialsProvider {
 public:
  ImdsCredentials(EnvFn env, HttpClient& http) : env_(std::move(env)), http_(http) {}
  Result<Credentials> Get() override;

 private:
  EnvFn env_;
  HttpClient& http_;
};

// "2026-12-03T23:00:00Z" (also with fractional seconds) → Unix seconds.
std::optional<int64_t> ParseIso8601(std::string_view text);

}  // namespace adze::adapters::aws
