// The credential chain and region/endpoint resolution, with the remote
// sources (STS, the container endpoint, IMDS) served by small in-process
// cpp-httplib servers.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "adapters/aws/aws_config.h"
#include "adapters/aws/credential_providers.h"
#include "adapters/aws/credentials_chain.h"
#include "adapters/aws/curl_http_client.h"
#include "adapters/aws/local_server_test_util.h"

namespace adze::adapters::aws {
namespace {

namespace fs = std::filesystem;
using testing::LocalHttpServer;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/adze-aws-creds-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return (path_ / name).string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

TEST(EnvironmentCredentialsTest, ReadsKeysAndSessionToken) {
  EnvironmentCredentials p(MapEnv({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                   {"AWS_SECRET_ACCESS_KEY", "envsecret"},
                                   {"AWS_SESSION_TOKEN", "envtoken"}}));
  auto c = p.Get();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AKIDENV");
  EXPECT_EQ(c->secret_access_key, "envsecret");
  EXPECT_EQ(c->session_token, "envtoken");
  EXPECT_TRUE(EnvironmentCredentials(MapEnv({})).Get().error().Is(ErrorCode::kNotFound));
  auto half = EnvironmentCredentials(MapEnv({{"AWS_ACCESS_KEY_ID", "AKIDENV"}})).Get();
  EXPECT_TRUE(half.error().Is(ErrorCode::kInvalidArgument));
}

TEST(ProfileCredentialsTest, NamedProfileFromBothFilesCredentialsFileWins) {
  TempDir d;
  const std::string creds = d.Write("credentials",
                                    "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n"
                                    "# comment\n[prod]\n  AWS_ACCESS_KEY_ID=AKIDPROD\naws_secret_access_key = prodsecret\n");
  const std::string config = d.Write("config",
                                     "[default]\nregion = eu-west-1\n[profile prod]\nregion = ap-south-1\n"
                                     "aws_access_key_id = AKIDFROMCONFIG\n[sso-session x]\nregion=zz\n");
  auto env = MapEnv({{"AWS_SHARED_CREDENTIALS_FILE", creds}, {"AWS_CONFIG_FILE", config}, {"AWS_PROFILE", "prod"}});
  auto c = ProfileCredentials(env).Get();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->access_key_id, "AKIDPROD");
  EXPECT_EQ(c->secret_access_key, "prodsecret");
  auto cfg = AwsConfig::Resolve({}, env);
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->region(), "ap-south-1");

  auto missing = ProfileCredentials(MapEnv({{"AWS_SHARED_CREDENTIALS_FILE", d.path() + "/none"},
                                            {"AWS_CONFIG_FILE", d.path() + "/none"}}))
                     .Get();
  EXPECT_TRUE(missing.error().Is(ErrorCode::kNotFound));
}

TEST(WebIdentityCredentialsTest, AssumesTheRoleWithTheTokenFileThroughSts) {
  TempDir d;
  const std::string token_file = d.Write("token", "eyJhbGciOiJSUzI1NiJ9.irsa-token\n");
  LocalHttpServer sts;
  sts.server().Post("/", [](const httplib::Request& req, httplib::Response& res) {
    EXPECT_EQ(req.get_param_value("Action"), "AssumeRoleWithWebIdentity");
    EXPECT_EQ(req.get_param_value("RoleArn"), "arn:aws:iam::123456789012:role/karpenter");
    EXPECT_EQ(req.get_param_value("WebIdentityToken"), "eyJhbGciOiJSUzI1NiJ9.irsa-token");
    EXPECT_FALSE(req.has_header("Authorization"));  // the call is unsigned
    res.set_content(
        "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        "<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIASTS</AccessKeyId>"
        "<SecretAccessKey>stssecret</SecretAccessKey><SessionToken>ststoken</SessionToken>"
        "<Expiration>2026-12-04T01:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
        "</AssumeRoleWithWebIdentityResponse>",
        "text/xml");
  });
  sts.Start();
  CurlHttpClient http;
  WebIdentityCredentials p(MapEnv({{"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/karpenter"},
                                   {"AWS_WEB_IDENTITY_TOKEN_FILE", token_file}}),
                           http, sts.url());
  auto c = p.Get();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->access_key_id, "ASIASTS");
  EXPECT_EQ(c->session_token, "ststoken");
  EXPECT_EQ(c->expiration, ParseIso8601("2026-12-04T01:00:00Z"));
}

TEST(ContainerCredentialsTest, SendsTheTokenFileAsAuthorization) {
  TempDir d;
  const std::string token_file = d.Write("eks-pod-identity-token", "pod-identity-token");
  LocalHttpServer ep;
  ep.server().Get("/v1/credentials", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "pod-identity-token") {
      res.status = 401;
      return;
    }
    res.set_content(R"({"AccessKeyId":"ASIAPOD","SecretAccessKey":"podsecret","Token":"podtoken",)"
                    R"("Expiration":"2026-12-04T00:30:00.123Z"})",
                    "application/json");
  });
  ep.Start();
  CurlHttpClient http;
  ContainerCredentials p(MapEnv({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", ep.url() + "/v1/credentials"},
                                 {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file}}),
                         http);
  auto c = p.Get();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->access_key_id, "ASIAPOD");
  EXPECT_EQ(c->expiration, ParseIso8601("2026-12-04T00:30:00Z"));
}

TEST(ImdsCredentialsTest, UsesAnImdsV2SessionToken) {
  LocalHttpServer imds;
  imds.server().Put("/latest/api/token", [](const httplib::Request& req, httplib::Response& res) {
    EXPECT_EQ(req.get_header_value("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
    res.set_content("imds-session", "text/plain");
  });
  auto check = [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("X-aws-ec2-metadata-token") != "imds-session") {
      res.status = 401;  // IMDSv2 only: no token, no answer
      return false;
    }
    return true;
  };
  imds.server().Get("/latest/meta-data/iam/security-credentials/", [&](const httplib::Request& q, httplib::Response& r) {
    if (check(q, r)) r.set_content("node-role", "text/plain");
  });
  imds.server().Get("/latest/meta-data/iam/security-credentials/node-role",
                    [&](const httplib::Request& q, httplib::Response& r) {
                      if (check(q, r)) {
                        r.set_content(R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imdssecret",)"
                                      R"("Token":"imdstoken","Expiration":"2026-12-04T06:00:00Z"})",
                                      "text/plain");
                      }
                    });
  imds.Start();
  CurlHttpClient http;
  auto c = ImdsCredentials(MapEnv({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()}}), http).Get();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->access_key_id, "ASIAIMDS");
  EXPECT_EQ(c->source, "IMDS role node-role");
  EXPECT_TRUE(ImdsCredentials(MapEnv({{"AWS_EC2_METADATA_DISABLED", "true"}}), http)
                  .Get()
                  .error()
                  .Is(ErrorCode::kNotFound));
}

// A source that counts its calls and hands out credentials expiring at `expiry`.
class CountingSource : public CredentialsProvider {
 public:
  explicit CountingSource(std::optional<int64_t> expiry, bool present = true) : expiry_(expiry), present_(present) {}
  Result<Credentials> Get() override {
    ++calls;
    if (!present_) return Error::NotFound("not configured");
    return Credentials{"AKID" + std::to_string(calls), "s", "", expiry_, "counting"};
  }
  int calls = 0;

 private:
  std::optional<int64_t> expiry_;
  bool present_;
};

TEST(CredentialsChainTest, FirstConfiguredSourceWinsAndIsRefreshedBeforeExpiry) {
  int64_t now = 1000000;
  auto absent = std::make_unique<CountingSource>(std::nullopt, false);
  auto expiring = std::make_unique<CountingSource>(now + 3600);
  auto never = std::make_unique<CountingSource>(std::nullopt);
  CountingSource* e = expiring.get();
  CountingSource* n = never.get();
  std::vector<std::unique_ptr<CredentialsProvider>> v;
  v.push_back(std::move(absent));
  v.push_back(std::move(expiring));
  v.push_back(std::move(never));
  CredentialsChain chain(std::move(v), [&] { return now; });
  EXPECT_EQ(chain.Get()->access_key_id, "AKID1");
  now += 3600 - 601;  // 10 min 1 s left: still cached
  EXPECT_EQ(chain.Get()->access_key_id, "AKID1");
  EXPECT_EQ(e->calls, 1);
  now += 2;  // inside the 10-minute window: refreshed from the same source
  EXPECT_EQ(chain.Get()->access_key_id, "AKID2");
  EXPECT_EQ(e->calls, 2);
  EXPECT_EQ(n->calls, 0);
}

TEST(CredentialsChainTest, NothingConfiguredSaysWhatWasTried) {
  std::vector<std::unique_ptr<CredentialsProvider>> v;
  v.push_back(std::make_unique<EnvironmentCredentials>(MapEnv({})));
  CredentialsChain chain(std::move(v), [] { return 0; });
  auto c = chain.Get();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("AWS_ACCESS_KEY_ID is not set"), std::string::npos);
}

TEST(AwsConfigTest, RegionAndEndpointOverrides) {
  auto none = AwsConfig::Resolve({}, MapEnv({{"HOME", "/nonexistent"}}));
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("AWS_REGION"), std::string::npos);

  auto env = MapEnv({{"HOME", "/nonexistent"},
                     {"AWS_REGION", "eu-west-1"},
                     {"AWS_DEFAULT_REGION", "us-west-2"},
                     {"AWS_ENDPOINT_URL", "http://127.0.0.1:5000/"},
                     {"AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324"}});
  auto c = AwsConfig::Resolve({}, env);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->region(), "eu-west-1");
  EXPECT_EQ(c->Endpoint(Service::kEc2).endpoint, "http://127.0.0.1:5000");
  EXPECT_EQ(c->Endpoint(Service::kSqs).endpoint, "http://127.0.0.1:9324");
  EXPECT_EQ(c->Endpoint(Service::kSqs).signing_name, "sqs");

  auto flag = AwsConfig::Resolve({"ap-south-1", "http://localhost:1"}, env);
  EXPECT_EQ(flag->region(), "ap-south-1");
  EXPECT_EQ(flag->Endpoint(Service::kSqs).endpoint, "http://localhost:1");

  auto real = AwsConfig::Resolve({"eu-west-1", ""}, MapEnv({{"HOME", "/nonexistent"}}));
  EXPECT_EQ(real->Endpoint(Service::kEc2).endpoint, "https://ec2.eu-west-1.amazonaws.com");
  EXPECT_EQ(real->Endpoint(Service::kPricing).endpoint, "https://api.pricing.us-east-1.amazonaws.com");
  EXPECT_EQ(real->Endpoint(Service::kPricing).region, "us-east-1");
  EXPECT_EQ(AwsConfig::Resolve({"cn-north-1", ""}, MapEnv({{"HOME", "/x"}}))->Endpoint(Service::kSsm).endpoint,
            "https://ssm.cn-north-1.amazonaws.com.cn");
}

}  // namespace
}  // namespace adze::adapters::aws
