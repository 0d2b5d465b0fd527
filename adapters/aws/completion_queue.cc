#include "adapters/aws/completion_queue.h"

#include <chrono>

namespace adze::adapters::aws {

void CompletionQueue::Post(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(fn));
  }
  cv_.notify_all();
}

PostFn CompletionQueue::Poster() {
  return [this](std::function<void()> fn) { Post(std::move(fn)); };
}

int CompletionQueue::RunPending() {
  std::deque<std::function<void()>> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(queue_);
  }
  for (auto& fn : batch) fn();
  return static_cast<int>(batch.size());
}

int CompletionQueue::WaitAndRunPending(model::Duration timeout) {
  {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::microseconds(timeout), [this] { return !queue_.empty(); });
  }
  return RunPending();
}

size_t CompletionQueue::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

}  // namespace adze::adapters::aws
