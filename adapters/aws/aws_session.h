// AwsSession: everything a command needs to talk to AWS, built once from the
// flags and the environment — region and endpoints (aws_config.h), the
// libcurl client, the standard retry strategy, the default credential chain,
// and one AwsServiceClient per service. `adze catalog --from-aws` and
// `adze controller` build one in cli/ (the only layer that creates real
// clients) and hand its parts to the adapters.
// Thread-safety: the parts are thread-safe; the session is immutable.
#pragma once

#include <memory>

#include "adapters/aws/aws_config.h"
#include "adapters/aws/aws_service_client.h"
#include "adapters/aws/credentials_chain.h"
#include "adapters/aws/curl_http_client.h"
#include "adapters/aws/retry_strategy.h"

namespace adze::adapters::aws {

class AwsSession {
 public:
  static Result<std::unique_ptr<AwsSession>> Create(const AwsConfigFlags& flags, EnvFn env, LogFn log);

  const AwsConfig& config() const { return config_; }
  const AwsServiceClient& ec2() const { return *ec2_; }
  const AwsServiceClient& ssm() const { return *ssm_; }
  const AwsServiceClient& sqs() const { return *sqs_; }
  const AwsServiceClient& sts() const { return *sts_; }
  const AwsServiceClient& pricing() const { return *pricing_; }

 private:
  explicit AwsSession(AwsConfig config) : config_(std::move(config)) {}

  AwsConfig config_;
  CurlHttpClient http_;
  RetryStrategy retry_;
  std::unique_ptr<CredentialsChain> credentials_;
  std::unique_ptr<AwsServiceClient> ec2_, ssm_, sqs_, sts_, pricing_;
};

}  // namespace adze::adapters::aws
