#include "adapters/twin/sqs_queues.h"

#include <algorithm>
#include <cstdio>

namespace adze::twin {

SqsQueues::SqsQueues(std::string url_prefix) : url_prefix_(std::move(url_prefix)) {}

std::string SqsQueues::Create(const std::string& name) {
  std::lock_guard lock(mu_);
  queues_.try_emplace(name);
  return url_prefix_ + "/" + name;
}

std::optional<std::string> SqsQueues::UrlOf(const std::string& name) const {
  std::lock_guard lock(mu_);
  if (!queues_.contains(name)) return std::nullopt;
  return url_prefix_ + "/" + name;
}

std::optional<std::string> SqsQueues::NameOf(const std::string& url_or_name) const {
  std::lock_guard lock(mu_);
  const std::string name = url_or_name.substr(url_or_name.rfind('/') + 1);
  if (!queues_.contains(name)) return std::nullopt;
  return name;
}

// Any URL whose last path segment names a queue (clients may rewrite the host).
SqsQueues::Queue* SqsQueues::FindLocked(const std::string& url_or_name) {
  auto it = queues_.find(url_or_name.substr(url_or_name.rfind('/') + 1));
  return it == queues_.end() ? nullptr : &it->second;
}

const SqsQueues::Queue* SqsQueues::FindLocked(const std::string& url_or_name) const {
  auto it = queues_.find(url_or_name.substr(url_or_name.rfind('/') + 1));
  return it == queues_.end() ? nullptr : &it->second;
}

void SqsQueues::PushLocked(Queue& q, const std::string& body) {
  char id[48];
  const uint64_t n = next_id_++;
  std::snprintf(id, sizeof id, "%08llx-0000-4000-8000-%012llx", static_cast<unsigned long long>(n & 0xffffffff),
                static_cast<unsigned long long>(n));
  q.entries.push_back(Entry{SqsMessage{id, "", body, 0}, Clock::now()});
}

Result<std::string> SqsQueues::Send(const std::string& url, const std::string& body) {
  std::string id;
  {
    std::lock_guard lock(mu_);
    Queue* q = FindLocked(url);
    if (q == nullptr) return Error::NotFound("The specified queue does not exist: " + url);
    PushLocked(*q, body);
    id = q->entries.back().message.message_id;
  }
  arrived_.notify_all();
  return id;
}

void SqsQueues::Broadcast(const std::string& body) {
  {
    std::lock_guard lock(mu_);
    for (auto& [name, q] : queues_) PushLocked(q, body);
  }
  arrived_.notify_all();
}

Result<std::vector<SqsMessage>> SqsQueues::Receive(const std::string& url, int max_messages,
                                                   std::chrono::milliseconds wait,
                                                   std::optional<std::chrono::seconds> visibility) {
  const auto deadline = Clock::now() + wait;
  max_messages = std::clamp(max_messages, 1, 10);
  std::unique_lock lock(mu_);
  for (;;) {
    Queue* q = FindLocked(url);
    if (q == nullptr) return Error::NotFound("The specified queue does not exist: " + url);
    const auto now = Clock::now();
    std::vector<SqsMessage> out;
    auto next_visible = Clock::time_point::max();
    for (Entry& e : q->entries) {
      if (e.visible_at > now) {
        next_visible = std::min(next_visible, e.visible_at);
        continue;
      }
      if (static_cast<int>(out.size()) >= max_messages) break;
      e.message.receipt_handle = e.message.message_id + "#" + std::to_string(next_id_++);
      ++e.message.receive_count;
      e.visible_at = now + visibility.value_or(kDefaultVisibility);
      out.push_back(e.message);
    }
    if (!out.empty() || now >= deadline || shutdown_) return out;
    arrived_.wait_until(lock, std::min(deadline, next_visible));
  }
}

Status SqsQueues::Delete(const std::string& url, const std::string& receipt_handle) {
  std::lock_guard lock(mu_);
  Queue* q = FindLocked(url);
  if (q == nullptr) return Error::NotFound("The specified queue does not exist: " + url);
  auto it = std::find_if(q->entries.begin(), q->entries.end(),
                         [&](const Entry& e) { return e.message.receipt_handle == receipt_handle; });
  if (it == q->entries.end() || receipt_handle.empty()) {
    return Error::NotFound("The receipt handle \"" + receipt_handle + "\" is not valid.");
  }
  q->entries.erase(it);
  return OkStatus();
}

Result<std::pair<size_t, size_t>> SqsQueues::Depth(const std::string& url) const {
  std::lock_guard lock(mu_);
  const Queue* q = FindLocked(url);
  if (q == nullptr) return Error::NotFound("The specified queue does not exist: " + url);
  const auto now = Clock::now();
  size_t visible = 0;
  for (const Entry& e : q->entries) visible += e.visible_at <= now ? 1 : 0;
  return std::make_pair(visible, q->entries.size() - visible);
}

void SqsQueues::Shutdown() {
  {
    std::lock_guard lock(mu_);
    shutdown_ = true;
  }
  arrived_.notify_all();
}

}  // namespace adze::twin
