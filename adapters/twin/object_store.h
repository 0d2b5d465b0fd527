// ObjectStore: the twin's etcd — JSON objects by resource, namespace and name,
// one global resourceVersion counter, and a bounded history of changes from
// which watches are served. Semantics follow the API server's:
//   - every write bumps the object's metadata.resourceVersion to a new global
//     revision; an update that names a resourceVersion other than the
//     current one fails with kConflict (optimistic concurrency);
//   - Create fills uid, creationTimestamp, and a name from generateName;
//   - Delete of an object with finalizers only sets deletionTimestamp; the
//     object goes when an update removes its last finalizer;
//   - a watch from a revision older than the retained history is "expired"
//     (the API server's 410 Gone), as after an etcd compaction.
// Thread-safety: all methods are safe to call from many threads (one mutex;
// WaitForChange blocks without holding it).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/result.h"

namespace adze::twin {

struct WatchEvent {
  uint64_t revision = 0;
  std::string type;  // ADDED, MODIFIED, DELETED
  std::string resource;
  std::string namespace_;
  nlohmann::json object;
};

class ObjectStore {
 public:
  using Json = nlohmann::json;
  // now() gives the wall time (microseconds since the Unix epoch) the store
  // stamps creationTimestamp/deletionTimestamp with.
  ObjectStore(std::function<int64_t()> now, size_t history_limit);

  // ns is "" for cluster-scoped resources.
  Result<Json> Create(const std::string& resource, const std::string& ns, Json object);
  Result<Json> Get(const std::string& resource, const std::string& ns, const std::string& name) const;
  struct ListResult {
    std::vector<Json> items;  // ordered by namespace, then name
    uint64_t revision = 0;
  };
  // ns "" lists every namespace.
  ListResult List(const std::string& resource, const std::string& ns) const;

  // Read-modify-write under the store's lock. mutate gets a copy of the
  // current object and edits it (or fails, which aborts the write). When the
  // edited object carries a resourceVersion it must be the current one
  // (kConflict otherwise). An object being deleted whose finalizers become
  // empty is removed.
  Result<Json> Mutate(const std::string& resource, const std::string& ns, const std::string& name,
                      const std::function<Status(Json&)>& mutate);

  // Deletes the object (or, with finalizers, marks it). precondition_rv: when
  // non-empty, must match (kConflict).
  Result<Json> Delete(const std::string& resource, const std::string& ns, const std::string& name,
                      const std::string& precondition_rv = "");

  // The events of resource (in ns, or all when ns is "") after revision, in
  // order. nullopt when revision is older than the retained history.
  std::optional<std::vector<WatchEvent>> EventsSince(const std::string& resource, const std::string& ns,
                                                     uint64_t revision) const;
  // Blocks until the store's revision passes `revision` or until deadline.
  // Returns the current revision.
  uint64_t WaitForChange(uint64_t revision, std::chrono::steady_clock::time_point deadline) const;
  uint64_t revision() const;
  // Forgets the whole history (the --fault that makes every watch resuming
  // from an old revision get 410 Gone).
  void Compact();
  // Wakes every waiting watch (server shutdown).
  void WakeAll() const;

 private:
  using Table = std::map<std::string, Json>;  // "ns/name" -> object

  void Record(const std::string& type, const std::string& resource, const std::string& ns, const Json& object);
  std::string NextUid();

  std::function<int64_t()> now_;
  size_t history_limit_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::map<std::string, Table> tables_;
  std::deque<WatchEvent> history_;
  uint64_t revision_ = 0;
  uint64_t compacted_ = 0;  // events at or below this revision are gone
  uint64_t uid_counter_ = 0;
  uint64_t name_counter_ = 0;
};

}  // namespace adze::twin
