// Credentials and the CredentialsProvider interface: where a signer gets the
// keys it signs with (the AWS SDKs' credential provider chain, one provider
// per source). Secrets never leave this struct except into an HMAC: nothing
// here is printable, and no error message may contain a secret.
// Thread-safety: implementations of CredentialsProvider are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/result.h"

namespace adze::adapters::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;          // empty for long-term keys
  std::optional<int64_t> expiration;  // Unix seconds; nullopt: never expires
  std::string source;                 // "environment", "profile default", ... (for logs)
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // The current credentials. kNotFound: this source has none (the chain
  // tries the next one); other errors: the source exists but failed.
  virtual Result<Credentials> Get() = 0;
};

}  // namespace adze::adapters::aws
