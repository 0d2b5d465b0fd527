// Secrets never appear in logs or errors: a run of the client and the
// credential sources with known credentials through every failure path
// (auth errors, 5xx with retries, throttling, connection resets, deadlines,
// malformed answers, failing STS / container / IMDS endpoints), collecting
// every log line and error message, none of which may contain the secret
// key, the session token, the web identity token or the container token.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "adapters/aws/aws_service_client.h"
#include "adapters/aws/credential_providers.h"
#include "adapters/aws/credentials_chain.h"
#include "adapters/aws/curl_http_client.h"
#include "adapters/aws/http_ec2_api.h"
#include "adapters/aws/local_server_test_util.h"

namespace adze::adapters::aws {
namespace {

using testing::LocalHttpServer;
using testing::ResetServer;

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSECRETKEY";
constexpr char kToken[] = "FQoGZXIvYXdzSESSIONTOKENVALUE0123456789";
constexpr char kWebIdentityToken[] = "eyJhbGciOiJSUzI1NiJ9.WEBIDENTITYSECRET.sig";
constexpr char kContainerToken[] = "CONTAINER-AUTH-TOKEN-SECRET";

class Creds : public CredentialsProvider {
 public:
  Result<Credentials> Get() override { return Credentials{"AKIDSECRETSTEST", kSecret, kToken, std::nullopt, "t"}; }
};

TEST(SecretsTest, NoSecretInAnyLogLineOrErrorMessage) {
  std::vector<std::string> seen;  // every log line and error message of the run
  LogFn log = [&](std::string_view l) { seen.emplace_back(l); };

  LocalHttpServer s;
  std::atomic<int> n{0};
  s.server().Post("/", [&](const httplib::Request& req, httplib::Response& res) {
    // An echoing server: errors that quote the request must not leak it either.
    switch (n++ % 5) {
      case 0:
        res.status = 403;
        res.set_content("<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>denied"
                        "</Message></Error></Errors></Response>",
                        "text/xml");
        break;
      case 1:
        res.status = 500;
        break;
      case 2:
        res.status = 400;
        res.set_content("<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow down"
                        "</Message></Error></Errors></Response>",
                        "text/xml");
        break;
      case 3:
        res.set_content("<not-what-was-asked/>", "text/xml");
        break;
      default:
        res.status = 400;
        res.set_content("<Response><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>The request "
                        "signature we calculated does not match</Message></Error></Errors></Response>",
                        "text/xml");
    }
    (void)req;
  });
  s.server().Get("/creds", [](const httplib::Request&, httplib::Response& res) { res.status = 401; });
  s.Start();
  ResetServer reset;

  {
    Creds creds;
    CurlHttpClient http;
    RetryStrategy retry;
    auto env = MakeRealEnvironment(log);
    env.sleep = [](model::Duration) {};
    AwsServiceClient ok_server(ServiceEndpoint{s.url(), "us-east-1", "ec2"}, creds, http, retry, env);
    AwsServiceClient resets(ServiceEndpoint{reset.url(), "us-east-1", "ec2"}, creds, http, retry, env);
    CompletionQueue q;
    HttpEc2ApiOptions o;
    HttpEc2Api api(ok_server, ok_server, ok_server, q.Poster(), o);
    for (int i = 0; i < 6; ++i) {
      auto r = api.DescribeInstances({{"i-1"}, {}});
      if (!r.IsSuccess()) seen.push_back(r.GetError().code + " " + r.GetError().message);
    }
    auto f = api.CreateFleetNow({}, 5 * model::kSecond);
    if (!f.IsSuccess()) seen.push_back(f.GetError().message);
    auto r = resets.Query("DescribeInstances", "2016-11-15", {}, 5 * model::kSecond);
    if (!r.IsSuccess()) seen.push_back(r.GetError().message);
    auto d = ok_server.Query("DescribeInstances", "2016-11-15", {}, 1);  // a deadline of 1 µs
    if (!d.IsSuccess()) seen.push_back(d.GetError().message);

    // Credential sources that fail, with their own secrets configured.
    char dir_tmpl[] = "/tmp/adze-secrets-XXXXXX";
    const std::filesystem::path dir = mkdtemp(dir_tmpl);
    std::ofstream(dir / "web-token") << kWebIdentityToken;
    std::ofstream(dir / "container-token") << kContainerToken;
    std::ofstream(dir / "credentials") << "[default]\naws_access_key_id = AKIDPROFILE\n";  // secret missing
    auto env_fn = MapEnv({{"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r"},
                          {"AWS_WEB_IDENTITY_TOKEN_FILE", (dir / "web-token").string()},
                          {"AWS_CONTAINER_CREDENTIALS_FULL_URI", s.url() + "/creds"},
                          {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", (dir / "container-token").string()},
                          {"AWS_SHARED_CREDENTIALS_FILE", (dir / "credentials").string()},
                          {"AWS_CONFIG_FILE", (dir / "none").string()},
                          {"AWS_ACCESS_KEY_ID", "AKIDENV"},
                          {"AWS_EC2_METADATA_SERVICE_ENDPOINT", reset.url()}});
    WebIdentityCredentials web(env_fn, http, s.url());
    ContainerCredentials container(env_fn, http);
    ProfileCredentials profile(env_fn);
    EnvironmentCredentials environment(env_fn);
    ImdsCredentials imds(env_fn, http);
    for (CredentialsProvider* p : std::vector<CredentialsProvider*>{&web, &container, &profile, &environment, &imds}) {
      auto c = p->Get();
      ASSERT_FALSE(c.ok());
      seen.push_back(c.error().message);
    }
    std::filesystem::remove_all(dir);
  }

  ASSERT_GT(seen.size(), 15u);  // the run did go through the failure paths
  for (const std::string& line : seen) {
    for (const char* secret : {kSecret, kToken, kWebIdentityToken, kContainerToken}) {
      EXPECT_EQ(line.find(secret), std::string::npos) << "leaked in: " << line;
    }
    // Nor a recognisable piece of the secret key (e.g. half of it).
    EXPECT_EQ(line.find(std::string(kSecret).substr(0, 20)), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace adze::adapters::aws
