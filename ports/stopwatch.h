// Stopwatch: elapsed real (wall) time, for the controllers' own decision
// times. Separate from Clock on purpose: in the simulator Clock is virtual,
// but how long a decision took is a real measurement of adze itself.
// Thread-safety: SteadyStopwatch is stateless and thread-safe.
#pragma once

#include <chrono>

namespace adze::ports {

class Stopwatch {
 public:
  virtual ~Stopwatch() = default;
  // Seconds on a monotonic clock with an arbitrary origin.
  virtual double Seconds() const = 0;
};

// std::chrono::steady_clock.
class SteadyStopwatch final : public Stopwatch {
 public:
  double Seconds() const override {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
};

}  // namespace adze::ports
