// VerifySigV4: the server side of SigV4 (AWS General Reference, "Signature
// Version 4"): reads the Authorization header (AWS4-HMAC-SHA256
// Credential=<key>/<date>/<region>/<service>/aws4_request, SignedHeaders=...,
// Signature=...), rebuilds the canonical request from the signed headers, the
// path, the query and the body, signs it again with the secret of the access
// key (adapters/aws/sigv4_signer.h, the same code the clients sign with) and
// compares. The region and service are taken from the credential scope.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>

#include "adapters/aws/credentials.h"
#include "adapters/aws/http_message.h"

namespace adze::twin {

enum class SigV4Failure {
  kNone,
  kMissing,      // no Authorization header, or not AWS4-HMAC-SHA256
  kMalformed,    // the header or X-Amz-Date cannot be read
  kUnknownKey,   // the access key id is not the twin's
  kExpired,      // X-Amz-Date more than 15 minutes from now (AWS's limit)
  kMismatch,     // the signature is wrong (wrong secret, altered request)
};

struct SigV4Check {
  SigV4Failure failure = SigV4Failure::kNone;
  std::string message;  // never contains a secret or a signature
  std::string region;   // from the credential scope
  std::string service;
  bool ok() const { return failure == SigV4Failure::kNone; }
};

// `request`: as received (path as on the wire, query decoded, all headers,
// body). `now_unix`: the server's clock.
SigV4Check VerifySigV4(const adapters::aws::HttpRequest& request, const adapters::aws::Credentials& credentials,
                       int64_t now_unix);

// Percent-decoding; `plus_is_space` for form bodies.
std::string PercentDecode(std::string_view s, bool plus_is_space);
// "a=1&b=2" → pairs, decoded.
std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view s, bool plus_is_space);

}  // namespace adze::twin
