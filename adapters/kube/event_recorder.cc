#include "adapters/kube/event_recorder.h"

#include <chrono>
#include <optional>

#include "adapters/kube/object_codec.h"

namespace adze::kube {

namespace {
constexpr auto kDrainOnStop = std::chrono::seconds(2);
}  // namespace

EventRecorder::EventRecorder(RestConfig config, ClientOptions options, std::function<int64_t()> now,
                             size_t max_queued)
    : client_(std::move(config), options), now_(std::move(now)), max_queued_(max_queued) {}

EventRecorder::~EventRecorder() { Stop(); }

void EventRecorder::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void EventRecorder::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EventRecorder::Record(const std::string& kind, const std::string& ns, const std::string& name,
                           const std::string& reason, const std::string& message, bool warning) {
  const std::string event_ns = ns.empty() ? "default" : ns;
  const std::string when = FormatTimestamp(now_());
  nlohmann::json event{{"apiVersion", "v1"},
                       {"kind", "Event"},
                       {"metadata", {{"generateName", name + "."}, {"namespace", event_ns}}},
                       {"involvedObject",
                        {{"kind", kind}, {"name", name}, {"apiVersion", kind == "NodeClaim" ? "karpenter.sh/v1" : "v1"}}},
                       {"reason", reason},
                       {"message", message},
                       {"type", warning ? "Warning" : "Normal"},
                       {"source", {{"component", "karpenter"}}},
                       {"firstTimestamp", when},
                       {"lastTimestamp", when},
                       {"count", 1}};
  if (!ns.empty()) event["involvedObject"]["namespace"] = ns;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= max_queued_) {
      ++stats_.dropped;
      return;
    }
    queue_.push_back(std::move(event));
  }
  wake_.notify_one();
}

EventStats EventRecorder::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void EventRecorder::Run() {
  std::optional<std::chrono::steady_clock::time_point> drain_until;
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_ && !drain_until) drain_until = std::chrono::steady_clock::now() + kDrainOnStop;
    if (queue_.empty() || (drain_until && std::chrono::steady_clock::now() >= *drain_until)) {
      if (stopping_) {
        stats_.dropped += queue_.size();
        queue_.clear();
        return;
      }
      continue;
    }
    nlohmann::json event = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    const std::string path = "/api/v1/namespaces/" + event["metadata"]["namespace"].get<std::string>() + "/events";
    const bool ok = client_.Call("POST", path, &event).ok();
    lock.lock();
    ++(ok ? stats_.written : stats_.failed);
  }
}

}  // namespace adze::kube
