// InterruptionQueue: the messages EC2 sends about instances it is about to
// take away (spec §7) — in AWS an SQS queue fed by EventBridge; in the
// simulator, simulated EC2 posts to it directly.
// Thread-safety: implementations say.
#pragma once

#include <string>
#include <vector>

#include "model/duration.h"

namespace adze::ports {

struct InterruptionMessage {
  enum class Kind {
    kSpotInterrupted,          // two-minute warning
    kRebalanceRecommendation,  // event only
    kScheduledChange,
    kInstanceStopped,
    kInstanceTerminated,
  };
  Kind kind = Kind::kSpotInterrupted;
  std::string instance_id;
  model::Duration time = 0;  // when EC2 sent it
};

class InterruptionQueue {
 public:
  virtual ~InterruptionQueue() = default;
  // Every message received since the last call, oldest first.
  virtual std::vector<InterruptionMessage> Receive() = 0;
};

}  // namespace adze::ports
