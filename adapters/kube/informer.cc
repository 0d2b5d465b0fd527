#include "adapters/kube/informer.h"

#include <algorithm>

#include "adapters/kube/object_codec.h"
#include "adapters/kube/watch_stream.h"

namespace adze::kube {

namespace {

// Whether a is a later version of the object than b. resourceVersions are
// opaque to clients, but the API server's (and the twin's) are etcd
// revisions; as client-go's MutationCache, compare them as integers, and
// call neither newer when one does not parse.
bool Newer(const nlohmann::json& a, const nlohmann::json& b) {
  const uint64_t ra = ResourceVersionOf(a), rb = ResourceVersionOf(b);
  return ra != 0 && rb != 0 && ra > rb;
}

constexpr std::chrono::milliseconds kBackoffStart{800};
constexpr std::chrono::milliseconds kBackoffMax{30000};

}  // namespace

Informer::Informer(RestClient& client, std::string path, std::function<void()> on_change,
                   std::chrono::milliseconds resync)
    : client_(client),
      path_(std::move(path)),
      on_change_(std::move(on_change)),
      resync_(resync),
      items_(std::make_shared<Items>()) {}

Informer::~Informer() { Stop(); }

void Informer::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Informer::Stop() {
  stop_.store(true);
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const Informer::Items> Informer::items() const {
  std::lock_guard lock(mu_);
  return items_;
}

void Informer::Observe(const nlohmann::json& object) {
  if (!object.is_object() || !object.contains("metadata")) return;
  {
    std::lock_guard lock(mu_);
    if (!items_) return;
    const std::string key = ObjectKey(object);
    auto held = items_->find(key);
    if (held != items_->end() && !Newer(object, *held->second)) return;
    if (auto gone = deleted_.find(key); held == items_->end() && gone != deleted_.end()) {
      const uint64_t rv = ResourceVersionOf(object);
      if (rv == 0 || gone->second == 0 || rv <= gone->second) return;  // deleted since
    }
    MutableItems()[key] = std::make_shared<const nlohmann::json>(object);
  }
  if (on_change_) on_change_();
}

Informer::Items& Informer::MutableItems() {
  // Readers copy items_ only under mu_, which is held: a count of 1 cannot
  // grow meanwhile. The acquire fence pairs with the release in the last
  // reader's decrement, so its reads of the map happen before our writes.
  if (items_.use_count() == 1) {
    std::atomic_thread_fence(std::memory_order_acquire);
  } else {
    items_ = std::make_shared<Items>(*items_);
  }
  return *items_;
}

std::string Informer::resource_version() const {
  std::lock_guard lock(mu_);
  return rv_;
}

InformerStats Informer::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

bool Informer::List() {
  auto list = client_.Call("GET", path_);
  std::lock_guard lock(mu_);
  ++stats_.lists;
  std::optional<ObjectList> page = list.ok() ? DecodeObjectList(std::move(*list)) : std::nullopt;
  if (!page) {
    ++stats_.failures;
    return false;
  }
  Items next;
  for (nlohmann::json& item : page->items) {
    std::string key = ObjectKey(item);
    next.emplace(std::move(key), std::make_shared<const nlohmann::json>(std::move(item)));
  }
  rv_ = std::move(page->resource_version);
  items_ = std::make_shared<Items>(std::move(next));
  return true;
}

Status Informer::Watch(bool* expired) {
  std::string rv;
  int timeout = 0;
  {
    std::lock_guard lock(mu_);
    rv = rv_;
    ++stats_.watches;
    timeout = std::uniform_int_distribution<int>(300, 600)(random_);
  }
  std::string sep = path_.find('?') == std::string::npos ? "?" : "&";
  std::string url = path_ + sep + "watch=true&allowWatchBookmarks=true&timeoutSeconds=" + std::to_string(timeout) +
                    "&resourceVersion=" + rv;
  auto last_resync = std::chrono::steady_clock::now();
  Status s = client_.Stream(
      url,
      [&](std::string_view line) {
        WatchEvent event = DecodeWatchEvent(line);
        using Type = WatchEvent::Type;
        if (event.type == Type::kExpired) *expired = true;
        if (event.type == Type::kExpired || event.type == Type::kError) return false;
        // Only well-formed objects enter the cache: decoders and snapshots
        // read metadata from every cached item.
        if (event.type == Type::kMalformed) return !stop_.load();
        bool changed = event.type != Type::kBookmark;
        {
          std::lock_guard lock(mu_);
          if (!event.resource_version.empty()) rv_ = event.resource_version;
          if (changed) {
            std::string key = ObjectKey(event.object);
            auto held = items_->find(key);
            if (event.type == Type::kDeleted) {
              if (held != items_->end()) MutableItems().erase(key);
              // Remembered so that a write answered before the deletion
              // (Observe) cannot bring the object back.
              if (deleted_.size() > 100000) deleted_.clear();
              deleted_[key] = ResourceVersionOf(event.object);
            } else if (held != items_->end() && Newer(*held->second, event.object)) {
              changed = false;  // this process wrote a later version (Observe)
            } else {
              MutableItems()[key] = std::make_shared<const nlohmann::json>(std::move(event.object));
            }
          }
          backoff_ = std::chrono::milliseconds(0);  // healthy
        }
        auto now = std::chrono::steady_clock::now();
        if (changed || now - last_resync >= resync_) {
          last_resync = now;
          if (on_change_) on_change_();
        }
        return !stop_.load();
      },
      &stop_);
  if (!s.ok() && IsGone(s.error())) *expired = true;
  return s;
}

void Informer::Backoff() {
  std::chrono::milliseconds wait;
  {
    std::lock_guard lock(mu_);
    ++stats_.failures;
    backoff_ = backoff_.count() == 0 ? kBackoffStart : std::min(kBackoffMax, backoff_ * 2);
    // Jitter: up to +100%, as client-go's wait.Jitter(1.0).
    wait = backoff_ + std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(0, backoff_.count())(random_));
  }
  std::unique_lock lock(mu_);
  wake_.wait_for(lock, wait, [&] { return stop_.load(); });
}

void Informer::Run() {
  bool need_list = true;
  while (!stop_.load()) {
    if (need_list) {
      if (!List()) {
        Backoff();
        continue;
      }
      synced_.store(true);
      if (on_change_) on_change_();
      need_list = false;
    }
    bool expired = false;
    Status s = Watch(&expired);
    if (stop_.load()) break;
    if (expired) {
      std::lock_guard lock(mu_);
      ++stats_.expired;
      need_list = true;
      continue;
    }
    if (!s.ok()) Backoff();
    // A watch that ended cleanly (server timeout, dropped stream) is reopened
    // from the last version at once.
  }
}

}  // namespace adze::kube
