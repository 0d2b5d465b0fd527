#include "adapters/aws/credential_providers.h"

#include <ctime>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "adapters/aws/aws_error_parser.h"
#include "adapters/aws/xml_reader.h"

namespace adze::adapters::aws {
namespace {

constexpr model::Duration kCredentialCallTimeout = 5 * model::kSecond;

// A string member, or "" (never throws on a missing or mistyped member).
std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

Result<std::string> ReadFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::InvalidArgument(what + " " + path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// The JSON document of the container endpoint and IMDS.
Result<Credentials> FromCredentialJson(const std::string& body, const std::string& source) {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("AccessKeyId") || !j.contains("SecretAccessKey")) {
    return Error::Internal(source + ": answer is not a credentials document");
  }
  Credentials c;
  c.access_key_id = Str(j, "AccessKeyId");
  c.secret_access_key = Str(j, "SecretAccessKey");
  c.session_token = j.contains("Token") ? Str(j, "Token") : Str(j, "SessionToken");
  if (j.contains("Expiration")) {
    c.expiration = ParseIso8601(Str(j, "Expiration"));
    if (!c.expiration) return Error::Internal(source + ": Expiration is not an ISO 8601 time");
  }
  c.source = source;
  return c;
}

Result<HttpResponse> Ok2xx(Result<HttpResponse> r, const std::string& what) {
  if (!r.ok()) return Error{r.error().code, what + ": " + r.error().message};
  if (r->status < 200 || r->status >= 300) {
    const auto e = ParseAwsError(*r);
    return Error::Unavailable(what + ": HTTP " + std::to_string(r->status) + " " + e.code);
  }
  return r;
}

}  // namespace

std::optional<int64_t> ParseIso8601(std::string_view text) {
  std::tm tm{};
  const std::string s(text);
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr) return std::nullopt;
  std::string_view rest = end;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest.front()))) rest.remove_prefix(1);
  }
  if (rest != "Z" && rest != "+00:00" && !rest.empty()) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

Result<Credentials> EnvironmentCredentials::Get() {
  auto id = env_("AWS_ACCESS_KEY_ID");
  auto secret = env_("AWS_SECRET_ACCESS_KEY");
  if (!id || id->empty()) return Error::NotFound("AWS_ACCESS_KEY_ID is not set");
  if (!secret || secret->empty()) {
    return Error::InvalidArgument("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  }
  return Credentials{*id, *secret, env_("AWS_SESSION_TOKEN").value_or(""), std::nullopt, "environment"};
}

Result<Credentials> ProfileCredentials::Get() {
  auto profile = LoadSharedProfile(env_);
  if (!profile.ok()) return profile.error();
  const Profile& v = profile->values;
  auto id = v.find("aws_access_key_id");
  if (id == v.end()) return Error::NotFound("profile " + profile->name + " has no aws_access_key_id");
  auto secret = v.find("aws_secret_access_key");
  if (secret == v.end()) {
    return Error::InvalidArgument("profile " + profile->name + " has aws_access_key_id but no aws_secret_access_key");
  }
  auto token = v.find("aws_session_token");
  return Credentials{id->second, secret->second, token == v.end() ? "" : token->second, std::nullopt,
                     "profile " + profile->name};
}

Result<Credentials> WebIdentityCredentials::Get() {
  auto role = env_("AWS_ROLE_ARN");
  auto token_file = env_("AWS_WEB_IDENTITY_TOKEN_FILE");
  if (!role || !token_file || role->empty() || token_file->empty()) {
    return Error::NotFound("AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE are not both set");
  }
  auto token = ReadFile(*token_file, "AWS_WEB_IDENTITY_TOKEN_FILE");
  if (!token.ok()) return token.error();
  HttpRequest r;
  r.method = "POST";
  r.endpoint = sts_endpoint_;
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  r.body = FormEncode({{"Action", "AssumeRoleWithWebIdentity"},
                       {"Version", "2011-06-15"},
                       {"RoleArn", *role},
                       {"RoleSessionName", env_("AWS_ROLE_SESSION_NAME").value_or("adze")},
                       {"WebIdentityToken", *token}});
  auto resp = Ok2xx(http_.Send(r, kCredentialCallTimeout), "STS AssumeRoleWithWebIdentity at " + sts_endpoint_);
  if (!resp.ok()) return resp.error();
  pugi::xml_document doc;
  auto root = ParseXml(doc, resp->body);
  if (!root.ok()) return Error::Internal("STS AssumeRoleWithWebIdentity: " + root.error().message);
  const pugi::xml_node c = Path(*root, {"AssumeRoleWithWebIdentityResult", "Credentials"});
  Credentials out{Text(c, "AccessKeyId"), Text(c, "SecretAccessKey"), Text(c, "SessionToken"),
                  ParseIso8601(Text(c, "Expiration")), "web identity " + *role};
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    return Error::Internal("STS AssumeRoleWithWebIdentity: answer has no Credentials");
  }
  return out;
}

Result<Credentials> ContainerCredentials::Get() {
  std::string url;
  if (auto full = env_("AWS_CONTAINER_CREDENTIALS_FULL_URI"); full && !full->empty()) {
    url = *full;
  } else if (auto rel = env_("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); rel && !rel->empty()) {
    url = "http://169.254.170.2" + *rel;
  } else {
    return Error::NotFound("AWS_CONTAINER_CREDENTIALS_FULL_URI / _RELATIVE_URI are not set");
  }
  HttpRequest r;
  const auto scheme_end = url.find("://");
  const auto path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  r.endpoint = url.substr(0, path_start);
  r.path = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (auto file = env_("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); file && !file->empty()) {
    auto token = ReadFile(*file, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (!token.ok()) return token.error();
    r.headers.emplace_back("Authorization", *token);
  } else if (auto token = env_("AWS_CONTAINER_AUTHORIZATION_TOKEN"); token && !token->empty()) {
    r.headers.emplace_back("Authorization", *token);
  }
  auto resp = Ok2xx(http_.Send(r, kCredentialCallTimeout), "container credentials endpoint " + r.endpoint);
  if (!resp.ok()) return resp.error();
  return FromCredentialJson(resp->body, "container endpoint " + r.endpoint);
}

Result<Credentials> ImdsCredentials::Get() {
  if (auto off = env_("AWS_EC2_METADATA_DISABLED"); off && (*off == "true" || *off == "TRUE")) {
    return Error::NotFound("AWS_EC2_METADATA_DISABLED is set");
  }
  std::string endpoint = env_("AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or("http://169.254.169.254");
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  HttpRequest put;
  put.method = "PUT";
  put.endpoint = endpoint;
  put.path = "/latest/api/token";
  put.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", "21600");
  // IMDS is absent off EC2: a short timeout keeps the chain's last resort cheap.
  constexpr model::Duration kImdsTimeout = 1 * model::kSecond;
  auto token = http_.Send(put, kImdsTimeout);
  if (!token.ok()) return Error::NotFound("IMDS at " + endpoint + " not reachable: " + token.error().message);
  if (token->status != 200) return Error::Unavailable("IMDS token: HTTP " + std::to_string(token->status));
  HttpRequest get;
  get.endpoint = endpoint;
  get.path = "/latest/meta-data/iam/security-credentials/";
  get.headers.emplace_back("X-aws-ec2-metadata-token", token->body);
  auto role = Ok2xx(http_.Send(get, kImdsTimeout), "IMDS role");
  if (!role.ok()) return role.error();
  std::string name = role->body.substr(0, role->body.find('\n'));
  if (name.empty()) return Error::NotFound("IMDS: the instance has no IAM role");
  get.path += name;
  auto creds = Ok2xx(http_.Send(get, kImdsTimeout), "IMDS credentials");
  if (!creds.ok()) return creds.error();
  return FromCredentialJson(creds->body, "IMDS role " + name);
}

}  // namespace adze::adapters::aws
