#include "adapters/kube/informer.h"

#include <algorithm>

namespace adze::kube {
namespace {

bool IsObjectWithMetadata(const nlohmann::json& o) {
  if (!o.is_object()) return false;
  auto m = o.find("metadata");
  return m != o.end() && m->is_object();
}

std::string KeyOf(const nlohmann::json& o) {
  const nlohmann::json& m = o.value("metadata", nlohmann::json::object());
  std::string ns = m.value("namespace", "");
  std::string name = m.value("name", "");
  return ns.empty() ? name : ns + "/" + name;
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
      items_(std::make_shared<const Items>()) {}

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
  if (!list.ok() || !list->contains("items")) {
    ++stats_.failures;
    return false;
  }
  Items next;
  if (!(*list)["items"].is_array()) {
    ++stats_.failures;
    return false;
  }
  for (nlohmann::json& item : (*list)["items"]) {
    if (!IsObjectWithMetadata(item)) continue;  // a server's garbage is never cached
    std::string key = KeyOf(item);
    next.emplace(std::move(key), std::make_shared<const nlohmann::json>(std::move(item)));
  }
  const nlohmann::json& list_meta = (*list)["metadata"];
  rv_ = list_meta.is_object() ? list_meta.value("resourceVersion", "") : "";
  items_ = std::make_shared<const Items>(std::move(next));
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
        nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
        if (!event.is_object()) return true;
        std::string type = event.value("type", "");
        nlohmann::json& object = event["object"];
        if (type == "ERROR") {
          if (object.is_object() && object.value("code", 0) == 410) *expired = true;
          return false;
        }
        // Only well-formed objects enter the cache: decoders and snapshots
        // read metadata from every cached item.
        if (!IsObjectWithMetadata(object)) return !stop_.load();
        const nlohmann::json& meta = object["metadata"];
        std::string new_rv = meta.contains("resourceVersion") && meta["resourceVersion"].is_string()
                                 ? meta["resourceVersion"].get<std::string>()
                                 : "";
        bool changed = type != "BOOKMARK";
        {
          std::lock_guard lock(mu_);
          if (!new_rv.empty()) rv_ = new_rv;
          if (changed) {
            Items next = *items_;
            std::string key = KeyOf(object);
            if (type == "DELETED") {
              next.erase(key);
            } else {
              next[key] = std::make_shared<const nlohmann::json>(std::move(object));
            }
            items_ = std::make_shared<const Items>(std::move(next));
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
