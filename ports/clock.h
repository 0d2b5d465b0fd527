// Clock: the only source of time for controllers. Now() is absolute UTC time
// (microseconds since the Unix epoch) and never decreases; timers run a
// callback on the controllers' thread at or after a given time. The simulator
// implements it over its virtual clock (sim/sim_clock.h); `adze controller`
// over the system clock. Controllers never read a clock of their own.
// Thread-safety: implementations say; controllers call from one thread.
#pragma once

#include <functional>

#include "model/duration.h"

namespace adze::ports {

// UTC microseconds since 1970-01-01T00:00:00Z.
using Time = model::Duration;

class Clock {
 public:
  virtual ~Clock() = default;
  // Never smaller than an earlier answer.
  virtual Time Now() const = 0;
  // Runs `fire` on the controllers' thread once Now() >= when (at once, but
  // never from inside At, when `when` has passed).
  virtual void At(Time when, std::function<void()> fire) = 0;
};

}  // namespace adze::ports
