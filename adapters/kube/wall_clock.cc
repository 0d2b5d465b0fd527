#include "adapters/kube/wall_clock.h"

#include <chrono>
#include <vector>

namespace adze::kube {

ports::Time WallClock::Now() const {
  ports::Time t =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::lock_guard lock(mu_);
  if (t > last_) last_ = t;
  return last_;
}

void WallClock::At(ports::Time when, std::function<void()> fire) {
  std::lock_guard lock(mu_);
  timers_.emplace(std::make_pair(when, seq_++), std::move(fire));
}

size_t WallClock::RunDue() {
  ports::Time now = Now();
  std::vector<std::function<void()>> due;
  {
    std::lock_guard lock(mu_);
    while (!timers_.empty() && timers_.begin()->first.first <= now) {
      due.push_back(std::move(timers_.begin()->second));
      timers_.erase(timers_.begin());
    }
  }
  for (auto& f : due) f();  // a timer may set another: it runs next call
  return due.size();
}

}  // namespace adze::kube
