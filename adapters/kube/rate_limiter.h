// RateLimiter: client-side QPS and burst, a token bucket as client-go's
// flowcontrol (Karpenter runs its client at 200 QPS, burst 300). Each request
// takes a token; tokens refill at qps per second up to burst.
// Thread-safety: thread-safe.
#pragma once

#include <chrono>
#include <mutex>

namespace adze::kube {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // REQUIRES: qps > 0, burst >= 1.
  RateLimiter(double qps, int burst);

  // Takes a token at time now; returns how long the caller must wait before
  // using it (zero when one was available). Tokens taken ahead are owed, so
  // waits add up in order.
  Clock::duration Reserve(Clock::time_point now);
  // Reserve(now) and sleep that long.
  void Wait();

 private:
  std::mutex mu_;
  double qps_;
  double burst_;
  double tokens_;
  Clock::time_point last_{};
  bool started_ = false;
};

}  // namespace adze::kube
