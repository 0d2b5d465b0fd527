// CompletionQueue: how answers computed on worker threads get back to the
// thread that runs the controllers. Workers Post() closures; the controller
// loop calls RunPending() (or WaitAndRunPending()) between passes, and the
// closures — e.g. CreateFleet's callback — run there, so the provider and the
// controllers never see another thread (ec2_api.h's contract).
// Thread-safety: Post and Poster are thread-safe; RunPending and
// WaitAndRunPending must be called from one thread (the controllers').
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

#include "model/duration.h"

namespace adze::adapters::aws {

// Hands a closure to the thread that must run it.
using PostFn = std::function<void(std::function<void()>)>;

class CompletionQueue {
 public:
  void Post(std::function<void()> fn);
  // A PostFn bound to this queue. REQUIRES: the queue outlives it.
  PostFn Poster();
  // Runs every closure posted so far, in posting order; returns how many.
  int RunPending();
  // Waits up to `timeout` for a closure to be posted, then RunPending().
  int WaitAndRunPending(model::Duration timeout);
  size_t pending() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
};

}  // namespace adze::adapters::aws
