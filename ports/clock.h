// Clock: the only source of time for controllers. The simulator advances a
// virtual clock; the real adapters read the wall clock. Times are SimTime
// microseconds (model::Duration) since the start of the run.
// Thread-safety: implementations say.
#pragma once

#include "model/duration.h"

namespace adze::ports {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual model::Duration Now() const = 0;
};

}  // namespace adze::ports
