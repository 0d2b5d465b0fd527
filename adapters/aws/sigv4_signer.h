// SigV4Signer: AWS Signature Version 4 with the signature in the
// Authorization header (AWS General Reference, "Signature Version 4 signing
// process"; checked byte for byte against botocore's SigV4Auth by
// testdata/sigv4_corpus_test.py). It adds X-Amz-Date, X-Amz-Security-Token
// (session credentials), optionally X-Amz-Content-SHA256, and Authorization.
//
// Canonical request, as botocore builds it for non-S3 services: the path with
// dot segments and empty segments removed, percent-encoded again (so "%" in
// an already-encoded path becomes "%25"); the query pairs encoded and sorted
// by (key, value); every header except the hop-by-hop ones and User-Agent,
// lower-cased, values trimmed with inner whitespace runs collapsed, plus Host
// (without the scheme's default port); the body's SHA-256.
// Thread-safety: stateless functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/aws/credentials.h"
#include "adapters/aws/http_message.h"

namespace adze::adapters::aws {

struct SigningParams {
  std::string region;       // us-east-1
  std::string service;      // signing name: ec2, sqs, ssm, sts, pricing
  int64_t unix_seconds = 0;  // signing time
  // Send the payload hash as X-Amz-Content-SHA256 too (S3-style; harmless elsewhere).
  bool content_sha256_header = false;
};

// Signs `request` in place. Never logs.
void SignRequest(HttpRequest& request, const Credentials& credentials, const SigningParams& params);

// The pieces, exposed for tests and debugging (none contains a secret).
std::string CanonicalRequest(const HttpRequest& request);  // after the X-Amz-* headers are set
std::string SigV4Timestamp(int64_t unix_seconds);        // 20150830T123600Z
std::string Sha256Hex(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes

}  // namespace adze::adapters::aws
