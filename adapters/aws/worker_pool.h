// WorkerPool: a few threads that run blocking calls (CreateFleet over HTTP)
// off the controllers' thread. Tasks run in submission order as threads free
// up. The destructor finishes every submitted task, then joins (each task
// has its own deadline, so this is bounded).
// Thread-safety: Submit is thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace adze::adapters::aws {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(std::function<void()> task);

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace adze::adapters::aws
