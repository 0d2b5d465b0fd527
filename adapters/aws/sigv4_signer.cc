#include "adapters/aws/sigv4_signer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <vector>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <ctime>

namespace adze::adapters::aws {
namespace {

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0xF];
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Python's ' '.join(value.split()).
std::string TrimAll(std::string_view v) {
  std::string out;
  size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && IsSpace(v[i])) ++i;
    size_t start = i;
    while (i < v.size() && !IsSpace(v[i])) ++i;
    if (i > start) {
      if (!out.empty()) out += ' ';
      out.append(v.substr(start, i - start));
    }
  }
  return out;
}

// RFC 3986 §5.2.4, and empty segments dropped (AWS wants "//" collapsed).
std::string NormalizePath(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
    } else if (!seg.empty() && seg != ".") {
      out.push_back(seg);
    }
    i = j + 1;
  }
  std::string result = path.front() == '/' ? "/" : "";
  for (size_t k = 0; k < out.size(); ++k) {
    if (k > 0) result += '/';
    result.append(out[k]);
  }
  if (path.back() == '/' && !out.empty()) result += '/';
  return result;
}

// Host header value: lower-case host, port only when not the scheme's default.
std::string HostOf(std::string_view endpoint) {
  std::string_view scheme;
  if (auto p = endpoint.find("://"); p != std::string_view::npos) {
    scheme = endpoint.substr(0, p);
    endpoint.remove_prefix(p + 3);
  }
  if (auto slash = endpoint.find('/'); slash != std::string_view::npos) endpoint = endpoint.substr(0, slash);
  if (auto at = endpoint.find('@'); at != std::string_view::npos) endpoint.remove_prefix(at + 1);
  std::string host = Lower(endpoint);
  if (auto colon = host.rfind(':'); colon != std::string::npos && host.find(']', colon) == std::string::npos) {
    std::string port = host.substr(colon + 1);
    if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) host.resize(colon);
  }
  return host;
}

bool Unsigned(std::string_view lname) {
  static constexpr std::array<std::string_view, 12> kSkip = {
      "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
      "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization"};
  return std::find(kSkip.begin(), kSkip.end(), lname) != kSkip.end();
}

// Lower-case name → values in order, Host added when missing.
std::map<std::string, std::vector<std::string>> HeadersToSign(const HttpRequest& request) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [k, v] : request.headers) {
    std::string lname = Lower(k);
    if (!Unsigned(lname)) out[lname].push_back(v);
  }
  if (!out.contains("host")) out["host"].push_back(HostOf(request.endpoint));
  return out;
}

std::string SignedHeaders(const std::map<std::string, std::vector<std::string>>& headers) {
  std::string out;
  for (const auto& [k, v] : headers) {
    if (!out.empty()) out += ';';
    out += k;
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  return Hex(md, n);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), md, &n);
  return std::string(reinterpret_cast<const char*>(md), n);
}

std::string SigV4Timestamp(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string CanonicalRequest(const HttpRequest& request) {
  std::string cr;
  std::string method = request.method;
  for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  cr += method + "\n";
  cr += UriEncode(NormalizePath(request.path), "/~") + "\n";

  std::vector<std::pair<std::string, std::string>> q;
  q.reserve(request.query.size());
  for (const auto& [k, v] : request.query) q.emplace_back(UriEncode(k), UriEncode(v));
  std::sort(q.begin(), q.end());
  for (size_t i = 0; i < q.size(); ++i) {
    if (i > 0) cr += '&';
    cr += q[i].first + "=" + q[i].second;
  }
  cr += '\n';

  const auto headers = HeadersToSign(request);
  for (const auto& [k, values] : headers) {
    cr += k + ":";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) cr += ',';
      cr += TrimAll(values[i]);
    }
    cr += '\n';
  }
  cr += '\n';
  cr += SignedHeaders(headers) + "\n";
  if (const std::string* h = request.FindHeader("X-Amz-Content-SHA256")) {
    cr += *h;
  } else {
    cr += Sha256Hex(request.body);
  }
  return cr;
}

void SignRequest(HttpRequest& request, const Credentials& credentials, const SigningParams& params) {
  const std::string timestamp = SigV4Timestamp(params.unix_seconds);
  const std::string date = timestamp.substr(0, 8);
  request.RemoveHeader("Authorization");
  request.SetHeader("X-Amz-Date", timestamp);
  if (!credentials.session_token.empty()) {
    request.SetHeader("X-Amz-Security-Token", credentials.session_token);
  }
  if (params.content_sha256_header) request.SetHeader("X-Amz-Content-SHA256", Sha256Hex(request.body));

  const std::string scope = date + "/" + params.region + "/" + params.service + "/aws4_request";
  const std::string string_to_sign =
      "AWS4-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" + Sha256Hex(CanonicalRequest(request));
  std::string key = HmacSha256("AWS4" + credentials.secret_access_key, date);
  key = HmacSha256(key, params.region);
  key = HmacSha256(key, params.service);
  key = HmacSha256(key, "aws4_request");
  const std::string raw = HmacSha256(key, string_to_sign);
  const std::string signature = Hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  request.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" +
                                                     scope + ", SignedHeaders=" +
                                                     SignedHeaders(HeadersToSign(request)) +
                                                     ", Signature=" + signature);
}

}  // namespace adze::adapters::aws
