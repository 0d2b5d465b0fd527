// CurlHttpClient: HttpClient over libcurl. TLS peer and host verification are
// on (the system CA bundle) unless the options turn them off; each call has a
// total timeout; connections are reused: easy handles are pooled, and each
// handle keeps its connection cache between calls.
// Thread-safety: thread-safe; concurrent calls use different handles.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "adapters/aws/http_client.h"

namespace adze::adapters::aws {

struct CurlOptions {
  bool verify_tls = true;       // CURLOPT_SSL_VERIFYPEER / VERIFYHOST
  std::string ca_bundle;        // empty: libcurl's default (the system bundle)
  model::Duration connect_timeout = 5 * model::kSecond;
};

class CurlHttpClient : public HttpClient {
 public:
  explicit CurlHttpClient(CurlOptions options = {});
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request, model::Duration timeout) override;

 private:
  void* Acquire();
  void Release(void* handle);

  const CurlOptions options_;
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* handles, each with its live connections
};

}  // namespace adze::adapters::aws
