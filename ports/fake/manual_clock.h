// ManualClock: a ports::Clock that moves only when a test says so. Timers
// fire in (time, order set) order as Advance passes them.
// Thread-safety: none.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <utility>

#include "model/check.h"
#include "ports/clock.h"

namespace adze::ports::fake {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Time start = 1767571200LL * model::kSecond) : now_(start) {}

  Time Now() const override { return now_; }
  void At(Time when, std::function<void()> fire) override { timers_.emplace(std::pair{when, next_++}, std::move(fire)); }

  // Moves time forward by d, firing every timer due on the way.
  void Advance(model::Duration d) {
    ADZE_CHECK(d >= 0);
    const Time end = now_ + d;
    while (!timers_.empty() && timers_.begin()->first.first <= end) {
      auto node = timers_.extract(timers_.begin());
      now_ = std::max(now_, node.key().first);
      node.mapped()();
    }
    now_ = end;
  }
  size_t timers() const { return timers_.size(); }

 private:
  Time now_;
  uint64_t next_ = 0;
  std::map<std::pair<Time, uint64_t>, std::function<void()>> timers_;
};

}  // namespace adze::ports::fake
