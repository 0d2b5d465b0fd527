#include "adapters/aws/aws_session.h"

namespace adze::adapters::aws {

Result<std::unique_ptr<AwsSession>> AwsSession::Create(const AwsConfigFlags& flags, EnvFn env, LogFn log) {
  auto config = AwsConfig::Resolve(flags, env);
  if (!config.ok()) return config.error();
  std::unique_ptr<AwsSession> s(new AwsSession(*config));
  const ClientEnvironment client_env = MakeRealEnvironment(std::move(log));
  s->credentials_ =
      CredentialsChain::Default(env, s->http_, s->config_.Endpoint(Service::kSts).endpoint, client_env.unix_seconds);
  auto make = [&](Service service) {
    return std::make_unique<AwsServiceClient>(s->config_.Endpoint(service), *s->credentials_, s->http_, s->retry_,
                                              client_env);
  };
  s->ec2_ = make(Service::kEc2);
  s->ssm_ = make(Service::kSsm);
  s->sqs_ = make(Service::kSqs);
  s->sts_ = make(Service::kSts);
  s->pricing_ = make(Service::kPricing);
  return s;
}

}  // namespace adze::adapters::aws
