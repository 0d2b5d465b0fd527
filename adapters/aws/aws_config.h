// AwsConfig: the region and the endpoint of each service, resolved as the
// SDKs resolve them.
//   Region: the flag, then AWS_REGION, AWS_DEFAULT_REGION, the profile's
//   `region`; no default (an error names the places looked at).
//   Endpoint of service S: the flag (--endpoint-url), then
//   AWS_ENDPOINT_URL_<S> (EC2, SSM, SQS, STS, PRICING), AWS_ENDPOINT_URL,
//   the profile's `endpoint_url`, then the public endpoint
//   https://<prefix>.<region>.amazonaws.com (.amazonaws.com.cn in China;
//   Pricing answers only in us-east-1, eu-central-1 and ap-south-1, so it
//   goes to us-east-1 from elsewhere). AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true
//   drops the environment and profile overrides.
// Thread-safety: value type.
#pragma once

#include <string>

#include "adapters/aws/aws_service_client.h"
#include "adapters/aws/shared_config.h"
#include "model/result.h"

namespace adze::adapters::aws {

enum class Service { kEc2, kSsm, kSqs, kSts, kPricing };

struct AwsConfigFlags {
  std::string region;        // --region
  std::string endpoint_url;  // --endpoint-url, for every service
};

class AwsConfig {
 public:
  static Result<AwsConfig> Resolve(const AwsConfigFlags& flags, const EnvFn& env);

  const std::string& region() const { return region_; }
  // Endpoint, signing region and signing name of the service.
  ServiceEndpoint Endpoint(Service service) const;

 private:
  std::string region_;
  std::string global_override_;
  std::map<Service, std::string> overrides_;
};

}  // namespace adze::adapters::aws
