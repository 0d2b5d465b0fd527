#include "adapters/kube/rate_limiter.h"

#include <algorithm>
#include <thread>

namespace adze::kube {

RateLimiter::RateLimiter(double qps, int burst) : qps_(qps), burst_(burst), tokens_(burst) {}

RateLimiter::Clock::duration RateLimiter::Reserve(Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (!started_) {
    last_ = now;
    started_ = true;
  }
  if (now > last_) {
    double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * qps_);
    last_ = now;
  }
  tokens_ -= 1;
  if (tokens_ >= 0) return Clock::duration::zero();
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(-tokens_ / qps_));
}

void RateLimiter::Wait() {
  Clock::duration d = Reserve(Clock::now());
  if (d > Clock::duration::zero()) std::this_thread::sleep_for(d);
}

}  // namespace adze::kube
