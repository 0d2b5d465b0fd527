// HttpRequest / HttpResponse: the HTTP messages the AWS clients build, sign
// and send. The request keeps its query unencoded (key, value) pairs so the
// signer and the transport encode them the same way.
// Thread-safety: value types.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace adze::adapters::aws {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string endpoint;  // scheme://host[:port], no path: https://ec2.us-east-1.amazonaws.com
  std::string path = "/";  // already percent-encoded, as on the wire
  std::vector<std::pair<std::string, std::string>> query;  // unencoded; repeated keys allowed
  HeaderList headers;
  std::string body;

  // The header's value (case-insensitive name), or nullptr.
  const std::string* FindHeader(std::string_view name) const;
  // Replaces every header of that name (case-insensitive) by one.
  void SetHeader(std::string name, std::string value);
  void RemoveHeader(std::string_view name);
  // endpoint + path + "?" + the encoded query.
  std::string Url() const;
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;  // names lower-cased
  std::string body;
  const std::string* FindHeader(std::string_view name) const;
};

// RFC 3986 percent-encoding: unreserved characters (A-Z a-z 0-9 - _ . ~) stay,
// plus those in `also_safe`; every other byte becomes %XX (upper-case hex).
std::string UriEncode(std::string_view s, std::string_view also_safe = "");
// application/x-www-form-urlencoded body as the AWS SDKs send it (botocore:
// urlencode): keys and values UriEncoded except space → "+", joined with &
// and =, in the given order. AWS decodes either form; fakes that re-encode
// the parsed form to check the signature (moto) need the SDKs' bytes.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace adze::adapters::aws
