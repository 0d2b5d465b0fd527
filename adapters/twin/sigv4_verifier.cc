#include "adapters/twin/sigv4_verifier.h"

#include <cctype>
#include <ctime>
#include <set>
#include <sstream>

#include <openssl/crypto.h>

#include "adapters/aws/sigv4_signer.h"

namespace adze::twin {

namespace aws = adapters::aws;

namespace {

constexpr int64_t kMaxSkewSeconds = 15 * 60;

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// 20150830T123600Z → Unix seconds.
std::optional<int64_t> ParseAmzDate(const std::string& s) {
  std::tm tm{};
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  if (sscanf(s.c_str(), "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
             &tm.tm_sec) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm));
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view s, bool plus_is_space) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t amp = s.find('&', i);
    if (amp == std::string_view::npos) amp = s.size();
    std::string_view pair = s.substr(i, amp - i);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      out.emplace_back(PercentDecode(pair.substr(0, eq), plus_is_space),
                       eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1), plus_is_space));
    }
    i = amp + 1;
  }
  return out;
}

SigV4Check VerifySigV4(const aws::HttpRequest& request, const aws::Credentials& credentials, int64_t now_unix) {
  SigV4Check c;
  const std::string* auth = request.FindHeader("Authorization");
  constexpr std::string_view kScheme = "AWS4-HMAC-SHA256 ";
  if (auth == nullptr || !std::string_view(*auth).starts_with(kScheme)) {
    c.failure = SigV4Failure::kMissing;
    c.message = "Request is missing Authentication Token (an AWS4-HMAC-SHA256 Authorization header)";
    return c;
  }
  std::string credential, signed_headers, signature;
  std::stringstream parts(auth->substr(kScheme.size()));
  for (std::string part; std::getline(parts, part, ',');) {
    part = Trim(part);
    const size_t eq = part.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = part.substr(0, eq), value = part.substr(eq + 1);
    if (key == "Credential") credential = value;
    if (key == "SignedHeaders") signed_headers = value;
    if (key == "Signature") signature = value;
  }
  // Credential = key/date/region/service/aws4_request.
  std::vector<std::string> scope;
  std::stringstream cs(credential);
  for (std::string s; std::getline(cs, s, '/');) scope.push_back(s);
  if (scope.size() != 5 || scope[4] != "aws4_request" || signed_headers.empty() || signature.empty()) {
    c.failure = SigV4Failure::kMalformed;
    c.message = "Authorization header requires Credential=<key>/<date>/<region>/<service>/aws4_request, "
                "SignedHeaders and Signature";
    return c;
  }
  c.region = scope[2];
  c.service = scope[3];
  if (scope[0] != credentials.access_key_id) {
    c.failure = SigV4Failure::kUnknownKey;
    c.message = "The security token included in the request is invalid (unknown access key id " + scope[0] + ")";
    return c;
  }
  const std::string* date = request.FindHeader("X-Amz-Date");
  const std::optional<int64_t> when = date ? ParseAmzDate(*date) : std::nullopt;
  if (!when || date->substr(0, 8) != scope[1]) {
    c.failure = SigV4Failure::kMalformed;
    c.message = "X-Amz-Date is missing, malformed or not the credential scope's date";
    return c;
  }
  if (*when > now_unix + kMaxSkewSeconds || *when < now_unix - kMaxSkewSeconds) {
    c.failure = SigV4Failure::kExpired;
    c.message = "Signature expired: " + *date + " is more than 15 minutes from the server's time";
    return c;
  }
  std::set<std::string> names;
  std::stringstream hs(signed_headers);
  for (std::string h; std::getline(hs, h, ';');) names.insert(Lower(h));
  aws::HttpRequest again;
  again.method = request.method;
  again.endpoint = request.endpoint;
  again.path = request.path;
  again.query = request.query;
  again.body = request.body;
  for (const auto& [k, v] : request.headers) {
    const std::string lk = Lower(k);
    if (names.contains(lk) && lk != "authorization") again.headers.emplace_back(k, v);
  }
  aws::Credentials creds;
  creds.access_key_id = credentials.access_key_id;
  creds.secret_access_key = credentials.secret_access_key;
  aws::SignRequest(again, creds, aws::SigningParams{c.region, c.service, *when, false});
  const std::string* expected_auth = again.FindHeader("Authorization");
  const size_t at = expected_auth ? expected_auth->rfind("Signature=") : std::string::npos;
  const std::string expected = at == std::string::npos ? "" : expected_auth->substr(at + 10);
  if (expected.size() != signature.size() ||
      CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) != 0) {
    c.failure = SigV4Failure::kMismatch;
    c.message =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
        "Access Key and signing method.";
  }
  return c;
}

}  // namespace adze::twin
