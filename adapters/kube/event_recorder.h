// EventRecorder: writes core/v1 Events off the controllers' thread, as
// client-go's event broadcaster does. Record() only queues; a worker thread
// POSTs them through a client of its own (its own rate limit, as
// controller-runtime's recorder gets its own clientset), so a burst of
// nominations is not slowed by a second API call per pod. Best effort:
// when 1,000 events wait (client-go's maxQueuedEvents) new ones are dropped,
// and failed writes are not retried. Stop() sends what is queued for up to
// two seconds, then drops the rest.
// Thread-safety: Record from any thread; Start/Stop from one.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "adapters/kube/rest_client.h"

namespace adze::kube {

struct EventStats {
  uint64_t written = 0;
  uint64_t failed = 0;
  uint64_t dropped = 0;  // the queue was full
};

class EventRecorder {
 public:
  // now(): wall time in microseconds since the Unix epoch.
  EventRecorder(RestConfig config, ClientOptions options, std::function<int64_t()> now, size_t max_queued = 1000);
  ~EventRecorder();
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  void Start();
  void Stop();
  // Queues an Event on the object (kind, namespace, name); cluster-scoped
  // objects' events go to "default", as client-go's recorder does.
  void Record(const std::string& kind, const std::string& ns, const std::string& name, const std::string& reason,
              const std::string& message, bool warning = false);
  EventStats stats() const;

 private:
  void Run();

  RestClient client_;
  std::function<int64_t()> now_;
  size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<nlohmann::json> queue_;  // Events, each with its namespace in metadata
  EventStats stats_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace adze::kube
