// ApiServer: the twin's Kubernetes API over HTTP (cpp-httplib) on
// 127.0.0.1, serving ObjectStore's objects with the API server's conventions
// that kubectl, client-go-style clients and the Python client rely on:
//   discovery   /version, /api, /api/v1, /apis, /apis/<group>/<version>
//               (legacy, unaggregated documents; clients fall back to them)
//   CRUD        GET/POST/PUT/PATCH/DELETE on collections and items, the
//               status subresource, pods/binding and pods/eviction
//               (PodDisruptionBudgets enforced: 429 TooManyRequests)
//   lists       labelSelector and fieldSelector (=, ==, !=, in, notin,
//               exists), metadata.resourceVersion of the list
//   watches     ?watch=true from a resourceVersion (0/empty: synthetic ADDED
//               for what exists), newline-delimited events, BOOKMARK events
//               when asked for, timeoutSeconds, ERROR 410 Expired for a
//               revision older than the store's history
//   errors      metav1.Status with reason and details.causes (404, 409,
//               422, 429, 500)
// Faults (--fault) make it answer 500 or 429 to a share of requests, delay
// answers, drop watches after a while and compact the history (410).
// Thread-safety: Start/Stop from one thread; requests run on the server's
// worker threads, all state is in the thread-safe store.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "adapters/twin/object_store.h"
#include "adapters/twin/resource_table.h"
#include "model/result.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace adze::twin {

struct ServerFaults {
  double error_rate = 0;                          // share of non-watch requests answered 500
  double throttle_rate = 0;                       // share of non-watch requests answered 429
  std::chrono::milliseconds delay{0};             // added to every non-watch answer
  std::chrono::milliseconds watch_drop_after{0};  // 0: watches end only at timeoutSeconds
  std::chrono::milliseconds compact_every{0};     // 0: history is only trimmed by size
  uint64_t seed = 1;
};

struct ServerOptions {
  int port = 0;  // 0: any free port
  ServerFaults faults;
  std::chrono::milliseconds bookmark_interval{5000};
};

class ApiServer {
 public:
  using json_t = nlohmann::json;
  ApiServer(ObjectStore& store, ServerOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds 127.0.0.1 and serves on a background thread. Returns the port.
  Result<int> Start();
  // Ends open watches and stops serving. Idempotent.
  void Stop();
  int port() const { return port_; }
  bool stopping() const { return stopping_.load(); }

  // Requests answered, for tests and the twin's log.
  uint64_t requests() const { return requests_.load(); }

  // What a request addresses after the /api/v1 or /apis/<group>/<version> prefix.
  struct Target {
    const twin::ResourceType* type = nullptr;
    std::string ns;
    std::string name;
    std::string sub;  // status, binding, eviction
  };

 private:
  void Routes();
  void Serve(const Target& t, const httplib::Request& req, httplib::Response& res, bool watch);
  void ServeWatch(const Target& t, const httplib::Request& req, httplib::Response& res);
  void Create(const Target& t, const httplib::Request& req, httplib::Response& res);
  void Write(const Target& t, const httplib::Request& req, httplib::Response& res);
  void Bind(const Target& t, const json_t& body, httplib::Response& res);
  void Evict(const Target& t, httplib::Response& res);
  // Returns true (and fills res) when a fault answers this request.
  bool InjectFault(bool watch, void* res);

  ObjectStore& store_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::thread compactor_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> requests_{0};
  std::mutex random_mu_;
  std::mt19937_64 random_;
};

}  // namespace adze::twin
