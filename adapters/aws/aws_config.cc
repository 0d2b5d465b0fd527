#include "adapters/aws/aws_config.h"

namespace adze::adapters::aws {
namespace {

struct ServiceInfo {
  Service service;
  const char* env_suffix;  // AWS_ENDPOINT_URL_<suffix>
  const char* prefix;      // host prefix
  const char* signing_name;
};
constexpr ServiceInfo kServices[] = {
    {Service::kEc2, "EC2", "ec2", "ec2"},
    {Service::kSsm, "SSM", "ssm", "ssm"},
    {Service::kSqs, "SQS", "sqs", "sqs"},
    {Service::kSts, "STS", "sts", "sts"},
    {Service::kPricing, "PRICING", "api.pricing", "pricing"},
};

const ServiceInfo& Info(Service s) {
  for (const auto& i : kServices) {
    if (i.service == s) return i;
  }
  return kServices[0];
}

std::string StripSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

Result<AwsConfig> AwsConfig::Resolve(const AwsConfigFlags& flags, const EnvFn& env) {
  AwsConfig c;
  auto profile = LoadSharedProfile(env);
  if (!profile.ok()) return profile.error();
  auto from_profile = [&](const char* key) -> std::string {
    auto it = profile->values.find(key);
    return it == profile->values.end() ? "" : it->second;
  };
  c.region_ = flags.region;
  if (c.region_.empty()) c.region_ = env("AWS_REGION").value_or("");
  if (c.region_.empty()) c.region_ = env("AWS_DEFAULT_REGION").value_or("");
  if (c.region_.empty()) c.region_ = from_profile("region");
  if (c.region_.empty()) {
    return Error::InvalidArgument("no AWS region: pass --region, or set AWS_REGION, AWS_DEFAULT_REGION or `region` "
                                  "in profile " + profile->name);
  }
  const bool ignore = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").value_or("") == "true";
  c.global_override_ = StripSlash(flags.endpoint_url);
  if (c.global_override_.empty() && !ignore) {
    for (const auto& i : kServices) {
      if (auto v = env(std::string("AWS_ENDPOINT_URL_") + i.env_suffix); v && !v->empty()) {
        c.overrides_[i.service] = StripSlash(*v);
      }
    }
    c.global_override_ = StripSlash(env("AWS_ENDPOINT_URL").value_or(from_profile("endpoint_url")));
  }
  return c;
}

ServiceEndpoint AwsConfig::Endpoint(Service service) const {
  const ServiceInfo& info = Info(service);
  ServiceEndpoint e{"", region_, info.signing_name};
  if (auto it = overrides_.find(service); it != overrides_.end()) {
    e.endpoint = it->second;
  } else if (!global_override_.empty()) {
    e.endpoint = global_override_;
  } else {
    if (service == Service::kPricing && region_ != "us-east-1" && region_ != "eu-central-1" &&
        region_ != "ap-south-1") {
      e.region = "us-east-1";
    }
    const std::string suffix = e.region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
    e.endpoint = "https://" + std::string(info.prefix) + "." + e.region + suffix;
  }
  return e;
}

}  // namespace adze::adapters::aws
