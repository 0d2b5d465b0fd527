// HttpClient: sends one HTTP request and returns the response, whatever its
// status. Transport failures are Errors: kDeadlineExceeded when `timeout`
// passed before the response was read, kUnavailable for connection refused /
// reset / DNS / TLS failures. Never logs headers or bodies.
// Thread-safety: implementations are thread-safe.
#pragma once

#include "adapters/aws/http_message.h"
#include "model/duration.h"
#include "model/result.h"

namespace adze::adapters::aws {

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // REQUIRES: timeout > 0.
  virtual Result<HttpResponse> Send(const HttpRequest& request, model::Duration timeout) = 0;
};

}  // namespace adze::adapters::aws
