#include "adapters/kube/rest_client.h"

#include "adapters/kube/watch_stream.h"

#include <curl/curl.h>

#include <fstream>
#include <memory>
#include <sstream>

namespace adze::kube {
namespace {

struct CurlInit {
  CurlInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

void EnsureCurl() { static CurlInit init; }

size_t CollectBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

struct StreamState {
  LineFramer lines;
  bool line_too_long = false;
  const std::function<bool(std::string_view)>* on_line = nullptr;
  const std::atomic<bool>* stop = nullptr;
  bool aborted = false;
  std::string error_body;  // a non-200 answer's body
  long status = 0;
  CURL* curl = nullptr;
};

size_t StreamBody(char* data, size_t size, size_t n, void* user) {
  auto* st = static_cast<StreamState*>(user);
  if (st->status == 0) curl_easy_getinfo(st->curl, CURLINFO_RESPONSE_CODE, &st->status);
  if (st->status != 200) {
    st->error_body.append(data, size * n);
    return size * n;
  }
  switch (st->lines.Feed(std::string_view(data, size * n), *st->on_line)) {
    case LineFramer::Outcome::kMore:
      return size * n;
    case LineFramer::Outcome::kStopped:
      st->aborted = true;
      return 0;  // aborts the transfer
    case LineFramer::Outcome::kLineTooLong:
      st->line_too_long = true;
      return 0;
  }
  return 0;
}

int StreamProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* st = static_cast<StreamState*>(user);
  return st->stop != nullptr && st->stop->load() ? 1 : 0;
}

Error FromHttp(long status, const std::string& body) {
  nlohmann::json s = nlohmann::json::parse(body, nullptr, false);
  std::string reason = s.is_object() ? s.value("reason", "") : "";
  std::string message = s.is_object() ? s.value("message", body) : body;
  message = "HTTP " + std::to_string(status) + (reason.empty() ? "" : " " + reason) + ": " + message;
  switch (status) {
    case 404:
      return Error::NotFound(message);
    case 409:
      return reason == "AlreadyExists" ? Error::AlreadyExists(message) : Error::Conflict(message);
    case 410:
      return Error::NotFound(message);
    case 400:
    case 415:
    case 422:
      return Error::InvalidArgument(message);
    case 429:
      return Error::Throttled(message);
    case 401:
    case 403:
      return Error::PermissionDenied(message);
    case 504:
      return Error::DeadlineExceeded(message);
    default:
      return Error::Unavailable(message);
  }
}

}  // namespace

bool IsGone(const Error& e) { return e.message.rfind("HTTP 410", 0) == 0; }

RestClient::RestClient(RestConfig config, ClientOptions options)
    : config_(std::move(config)), options_(options), limiter_(options.qps, options.burst) {
  EnsureCurl();
}

RestConfig RestClient::config() const {
  std::lock_guard lock(token_mu_);
  return config_;
}

Result<std::string> RestClient::Token(RestConfig* config) {
  {
    std::lock_guard lock(token_mu_);
    *config = config_;
  }
  if (!config_.token_file.empty()) {
    std::ifstream f(config_.token_file);
    std::stringstream ss;
    ss << f.rdbuf();
    std::string t = ss.str();
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
    return t;
  }
  if (config_.exec) {
    std::lock_guard lock(token_mu_);
    if (exec_token_.empty()) {
      auto t = RunExecPlugin(*config_.exec, &config_);
      if (!t.ok()) return t.error();
      exec_token_ = *t;
      *config = config_;
    }
    return exec_token_;
  }
  return config_.bearer_token;
}

namespace {

// Sets TLS and auth on a handle; returns the header list to free.
curl_slist* Prepare(CURL* c, const RestConfig& config, const std::string& token, const std::string& content_type) {
  if (!config.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, config.ca_file.c_str());
  if (!config.ca_pem.empty()) {
    curl_blob blob{const_cast<char*>(config.ca_pem.data()), config.ca_pem.size(), CURL_BLOB_COPY};
    curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
  }
  if (config.insecure_skip_tls_verify) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!config.client_cert_file.empty()) curl_easy_setopt(c, CURLOPT_SSLCERT, config.client_cert_file.c_str());
  if (!config.client_key_file.empty()) curl_easy_setopt(c, CURLOPT_SSLKEY, config.client_key_file.c_str());
  if (!config.client_cert_pem.empty()) {
    curl_blob blob{const_cast<char*>(config.client_cert_pem.data()), config.client_cert_pem.size(), CURL_BLOB_COPY};
    curl_easy_setopt(c, CURLOPT_SSLCERT_BLOB, &blob);
    curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
  }
  if (!config.client_key_pem.empty()) {
    curl_blob blob{const_cast<char*>(config.client_key_pem.data()), config.client_key_pem.size(), CURL_BLOB_COPY};
    curl_easy_setopt(c, CURLOPT_SSLKEY_BLOB, &blob);
    curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
  }
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "User-Agent: adze-controller/0.1");
  if (!content_type.empty()) headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  if (!token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  return headers;
}

}  // namespace

Result<nlohmann::json> RestClient::Call(const std::string& method, const std::string& path, const nlohmann::json* body,
                                        const std::string& content_type) {
  limiter_.Wait();
  ++requests_;
  RestConfig config;
  auto token = Token(&config);
  if (!token.ok()) return token.error();
  std::unique_ptr<CURL, void (*)(CURL*)> c(curl_easy_init(), curl_easy_cleanup);
  if (!c) return Error::Internal("curl_easy_init failed");
  std::string url = config.server + path;
  std::string payload = body != nullptr ? body->dump() : "";
  std::string response;
  curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(c.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
  if (body != nullptr) {
    curl_easy_setopt(c.get(), CURLOPT_POSTFIELDS, payload.c_str());
    curl_easy_setopt(c.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
  }
  curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(c.get(), CURLOPT_TIMEOUT_MS, options_.timeout_ms);
  curl_slist* headers = Prepare(c.get(), config, *token, body != nullptr ? content_type : "");
  CURLcode rc = curl_easy_perform(c.get());
  curl_slist_free_all(headers);
  if (rc == CURLE_OPERATION_TIMEDOUT) return Error::DeadlineExceeded(method + " " + path + ": timed out");
  if (rc != CURLE_OK) return Error::Unavailable(method + " " + path + ": " + curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status == 401 && config.exec) {
    std::lock_guard lock(token_mu_);
    exec_token_.clear();  // expired: the next call runs the plugin again
  }
  if (status < 200 || status >= 300) return FromHttp(status, response);
  nlohmann::json out = nlohmann::json::parse(response, nullptr, false);
  if (out.is_discarded()) return Error::Unavailable(method + " " + path + ": the answer is not JSON");
  return out;
}

Status RestClient::Stream(const std::string& path, const std::function<bool(std::string_view)>& on_line,
                          const std::atomic<bool>* stop) {
  limiter_.Wait();
  ++requests_;
  RestConfig config;
  auto token = Token(&config);
  if (!token.ok()) return token.error();
  std::unique_ptr<CURL, void (*)(CURL*)> c(curl_easy_init(), curl_easy_cleanup);
  if (!c) return Error::Internal("curl_easy_init failed");
  std::string url = config.server + path;
  StreamState st;
  st.on_line = &on_line;
  st.stop = stop;
  st.curl = c.get();
  curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, StreamBody);
  curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &st);
  curl_easy_setopt(c.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c.get(), CURLOPT_XFERINFOFUNCTION, StreamProgress);
  curl_easy_setopt(c.get(), CURLOPT_XFERINFODATA, &st);
  // A watch that goes silent for this long is dead (a lost connection).
  curl_easy_setopt(c.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c.get(), CURLOPT_LOW_SPEED_TIME, 120L);
  curl_slist* headers = Prepare(c.get(), config, *token, "");
  CURLcode rc = curl_easy_perform(c.get());
  curl_slist_free_all(headers);
  if (st.line_too_long) return Error::Unavailable("watch " + path + ": an event longer than 16 MiB (not a Kubernetes object)");
  if (st.aborted || (stop != nullptr && stop->load())) return OkStatus();
  if (st.status == 0) curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &st.status);
  if (st.status != 0 && st.status != 200) return FromHttp(st.status, st.error_body);
  if (rc != CURLE_OK) return Error::Unavailable("watch " + path + ": " + curl_easy_strerror(rc));
  return OkStatus();
}

}  // namespace adze::kube
