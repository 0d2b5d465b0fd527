#include "adapters/twin/object_store.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "adapters/kube/object_codec.h"

namespace adze::twin {
namespace {

std::string TableKey(const std::string& ns, const std::string& name) { return ns + "/" + name; }

std::string RevisionString(uint64_t r) { return std::to_string(r); }

bool HasFinalizers(const nlohmann::json& object) {
  auto meta = object.find("metadata");
  if (meta == object.end()) return false;
  auto f = meta->find("finalizers");
  return f != meta->end() && f->is_array() && !f->empty();
}

bool Deleting(const nlohmann::json& object) {
  auto meta = object.find("metadata");
  return meta != object.end() && meta->contains("deletionTimestamp") && !(*meta)["deletionTimestamp"].is_null();
}

}  // namespace

ObjectStore::ObjectStore(std::function<int64_t()> now, size_t history_limit)
    : now_(std::move(now)), history_limit_(history_limit) {}

std::string ObjectStore::NextUid() {
  ++uid_counter_;
  char buf[48];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012llx", static_cast<unsigned long long>(uid_counter_));
  return buf;
}

void ObjectStore::Record(const std::string& type, const std::string& resource, const std::string& ns,
                         const Json& object) {
  history_.push_back(WatchEvent{revision_, type, resource, ns, object});
  while (history_.size() > history_limit_) {
    compacted_ = history_.front().revision;
    history_.pop_front();
  }
  changed_.notify_all();
}

Result<nlohmann::json> ObjectStore::Create(const std::string& resource, const std::string& ns, Json object) {
  std::lock_guard lock(mu_);
  Json& meta = object["metadata"];
  if (!meta.is_object()) return Error::InvalidArgument("metadata: required");
  std::string name = meta.value("name", "");
  if (name.empty()) {
    std::string prefix = meta.value("generateName", "");
    if (prefix.empty()) return Error::InvalidArgument("metadata.name: name or generateName is required");
    static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";  // as the API server's, no vowels
    uint64_t n = ++name_counter_ * 2654435761u;
    std::string suffix;
    for (int i = 0; i < 5; ++i, n /= 27) suffix += kAlphabet[n % 27];
    name = prefix + suffix;
    meta["name"] = name;
  }
  Table& table = tables_[resource];
  std::string key = TableKey(ns, name);
  if (table.contains(key)) return Error::AlreadyExists(name);
  if (!ns.empty()) meta["namespace"] = ns;
  meta["uid"] = NextUid();
  meta["creationTimestamp"] = kube::FormatTimestamp(now_());
  meta.erase("deletionTimestamp");
  meta["generation"] = 1;
  ++revision_;
  meta["resourceVersion"] = RevisionString(revision_);
  table[key] = object;
  Record("ADDED", resource, ns, object);
  return object;
}

Result<nlohmann::json> ObjectStore::Get(const std::string& resource, const std::string& ns,
                                        const std::string& name) const {
  std::lock_guard lock(mu_);
  auto t = tables_.find(resource);
  if (t == tables_.end()) return Error::NotFound(name);
  auto it = t->second.find(TableKey(ns, name));
  if (it == t->second.end()) return Error::NotFound(name);
  return it->second;
}

ObjectStore::ListResult ObjectStore::List(const std::string& resource, const std::string& ns) const {
  std::lock_guard lock(mu_);
  ListResult out;
  out.revision = revision_;
  auto t = tables_.find(resource);
  if (t == tables_.end()) return out;
  for (const auto& [key, object] : t->second) {
    if (!ns.empty() && key.compare(0, ns.size() + 1, ns + "/") != 0) continue;
    out.items.push_back(object);
  }
  return out;
}

Result<nlohmann::json> ObjectStore::Mutate(const std::string& resource, const std::string& ns, const std::string& name,
                                           const std::function<Status(Json&)>& mutate) {
  std::lock_guard lock(mu_);
  auto t = tables_.find(resource);
  if (t == tables_.end()) return Error::NotFound(name);
  auto it = t->second.find(TableKey(ns, name));
  if (it == t->second.end()) return Error::NotFound(name);
  const Json& current = it->second;
  Json next = current;
  Status s = mutate(next);
  if (!s.ok()) return s.error();
  Json& meta = next["metadata"];
  if (!meta.is_object()) return Error::InvalidArgument("metadata: required");
  std::string rv = meta.value("resourceVersion", "");
  if (!rv.empty() && rv != current["metadata"].value("resourceVersion", "")) {
    return Error::Conflict(
        "the object has been modified; please apply your changes to the latest version and try again");
  }
  // Compared with the current object as if it carried the same version: a
  // write that changes nothing else is a no-op.
  meta["resourceVersion"] = current["metadata"].value("resourceVersion", "");
  if (meta.value("name", name) != name) return Error::InvalidArgument("metadata.name: field is immutable");
  // Fields the server owns.
  for (const char* owned : {"uid", "creationTimestamp", "namespace", "deletionTimestamp", "generation"}) {
    if (current["metadata"].contains(owned)) {
      meta[owned] = current["metadata"][owned];
    } else {
      meta.erase(owned);
    }
  }
  meta["name"] = name;
  if (next == current) return current;  // a no-op write keeps its version, as the API server's
  if (next.value("spec", Json()) != current.value("spec", Json())) {
    meta["generation"] = current["metadata"].value("generation", 1) + 1;
  }
  ++revision_;
  meta["resourceVersion"] = RevisionString(revision_);
  if (Deleting(next) && !HasFinalizers(next)) {
    Json gone = next;
    t->second.erase(it);
    Record("DELETED", resource, ns, gone);
    return gone;
  }
  it->second = next;
  Record("MODIFIED", resource, ns, next);
  return next;
}

Result<nlohmann::json> ObjectStore::Delete(const std::string& resource, const std::string& ns, const std::string& name,
                                           const std::string& precondition_rv) {
  std::lock_guard lock(mu_);
  auto t = tables_.find(resource);
  if (t == tables_.end()) return Error::NotFound(name);
  auto it = t->second.find(TableKey(ns, name));
  if (it == t->second.end()) return Error::NotFound(name);
  if (!precondition_rv.empty() && precondition_rv != it->second["metadata"].value("resourceVersion", "")) {
    return Error::Conflict("the resourceVersion in the precondition does not match");
  }
  if (HasFinalizers(it->second)) {
    if (Deleting(it->second)) return it->second;
    Json& meta = it->second["metadata"];
    meta["deletionTimestamp"] = kube::FormatTimestamp(now_());
    meta["deletionGracePeriodSeconds"] = 0;
    ++revision_;
    meta["resourceVersion"] = RevisionString(revision_);
    Record("MODIFIED", resource, ns, it->second);
    return it->second;
  }
  Json gone = std::move(it->second);
  t->second.erase(it);
  ++revision_;
  gone["metadata"]["resourceVersion"] = RevisionString(revision_);
  Record("DELETED", resource, ns, gone);
  return gone;
}

std::optional<std::vector<WatchEvent>> ObjectStore::EventsSince(const std::string& resource, const std::string& ns,
                                                                uint64_t revision) const {
  std::lock_guard lock(mu_);
  if (revision < compacted_) return std::nullopt;
  std::vector<WatchEvent> out;
  // History is ordered by revision: skip to the first newer event.
  auto it = std::upper_bound(history_.begin(), history_.end(), revision,
                             [](uint64_t r, const WatchEvent& e) { return r < e.revision; });
  for (; it != history_.end(); ++it) {
    if (it->resource != resource) continue;
    if (!ns.empty() && it->namespace_ != ns) continue;
    out.push_back(*it);
  }
  return out;
}

uint64_t ObjectStore::WaitForChange(uint64_t revision, std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mu_);
  changed_.wait_until(lock, deadline, [&] { return revision_ > revision; });
  return revision_;
}

uint64_t ObjectStore::revision() const {
  std::lock_guard lock(mu_);
  return revision_;
}

void ObjectStore::Compact() {
  std::lock_guard lock(mu_);
  history_.clear();
  compacted_ = revision_;
}

void ObjectStore::WakeAll() const { changed_.notify_all(); }

}  // namespace adze::twin
