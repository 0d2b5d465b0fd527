// WallClock: ports::Clock over the system clock for `adze controller`.
// Now() never decreases (a clock step backwards reads as no time passing);
// timers set with At() run when the controller loop calls RunDue(), on its
// thread, in (time, order set) order.
// Thread-safety: At/Now from any thread; RunDue from the controller thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <utility>

#include "ports/clock.h"

namespace adze::kube {

class WallClock final : public ports::Clock {
 public:
  ports::Time Now() const override;
  void At(ports::Time when, std::function<void()> fire) override;
  // Runs every timer that is due; returns how many ran.
  size_t RunDue();

 private:
  mutable std::mutex mu_;
  mutable ports::Time last_ = 0;
  uint64_t seq_ = 0;
  std::map<std::pair<ports::Time, uint64_t>, std::function<void()>> timers_;
};

}  // namespace adze::kube
