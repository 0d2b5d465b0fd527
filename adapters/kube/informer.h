// Informer: keeps a local copy of one resource's objects, as client-go's
// Reflector + Store: LIST, then WATCH from the list's resourceVersion with
// bookmarks; a watch that ends is reopened from the last version seen; an
// "expired" answer (410 Gone, or an ERROR event with code 410) turns into a
// fresh LIST; failures back off exponentially from 0.8 s to 30 s with jitter,
// reset after a healthy watch. Watches ask for a server-side timeout drawn in
// [5 min, 10 min] so reconnects spread out. Every change, and every resync
// period, calls on_change (the cache uses it to know a snapshot is stale).
// Thread-safety: Start/Stop from one thread; Items/synced from any.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>

#include "adapters/kube/rest_client.h"

namespace adze::kube {

struct InformerStats {
  uint64_t lists = 0;
  uint64_t watches = 0;
  uint64_t expired = 0;  // 410s that forced a relist
  uint64_t failures = 0;
};

class Informer {
 public:
  using Items = std::map<std::string, std::shared_ptr<const nlohmann::json>>;  // "ns/name" or "name"

  // path: the collection ("/api/v1/pods", "/apis/karpenter.sh/v1/nodeclaims").
  Informer(RestClient& client, std::string path, std::function<void()> on_change,
           std::chrono::milliseconds resync = std::chrono::minutes(10));
  ~Informer();
  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  void Start();
  void Stop();
  // True once the first LIST has been stored.
  bool synced() const { return synced_.load(); }
  // The objects now (shared, immutable: later changes never show in it).
  std::shared_ptr<const Items> items() const;
  std::string resource_version() const;
  // An object this process just wrote, as the server answered it: cached now
  // unless the cache already holds a newer version, so that this process
  // reads its own writes before the watch brings them (client-go's
  // MutationCache). Until then, watch events older than it are not applied
  // over it. Calls on_change when stored.
  void Observe(const nlohmann::json& object);
  InformerStats stats() const;
  const std::string& path() const { return path_; }

 private:
  void Run();
  bool List();  // false on failure
  Status Watch(bool* expired);
  void Backoff();
  // The map to change, copied first only if a reader still holds it (an
  // event between two snapshots changes it in place: copying 10,000 entries
  // per event was the informer's whole cost in a burst). REQUIRES: mu_ held.
  Items& MutableItems();

  RestClient& client_;
  std::string path_;
  std::function<void()> on_change_;
  std::chrono::milliseconds resync_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> synced_{false};
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::shared_ptr<Items> items_;  // handed out as const; see MutableItems
  // Keys the watch deleted, with the deletion's resourceVersion.
  std::map<std::string, uint64_t> deleted_;
  std::string rv_;
  InformerStats stats_;
  std::chrono::milliseconds backoff_{0};
  std::mt19937_64 random_{0x5eed};
};

}  // namespace adze::kube
