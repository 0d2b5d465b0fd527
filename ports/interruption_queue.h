// InterruptionQueue: the messages EC2 sends about instances it is about to
// take away (spec §7) — in AWS an SQS queue fed by EventBridge; in the
// simulator, simulated EC2 posts to it directly. It behaves like SQS: a
// received message stays in the queue, invisible for the visibility timeout
// (SQS default 30 s), and comes back unless it is deleted with its receipt
// handle.
// Thread-safety: implementations say.
#pragma once

#include <string>
#include <vector>

#include "model/duration.h"
#include "model/result.h"

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
  // ReceiptHandle of this receipt: what Delete takes. A message received
  // again gets a new one.
  std::string receipt_handle;
};

class InterruptionQueue {
 public:
  virtual ~InterruptionQueue() = default;
  // SQS ReceiveMessage: up to max_messages (1–10) visible messages, oldest
  // first, waiting at most max_wait for one to arrive (0: return at once).
  // Errors: kThrottled, kUnavailable, ... (try again later).
  virtual Result<std::vector<InterruptionMessage>> Receive(int max_messages, model::Duration max_wait) = 0;
  // SQS DeleteMessage. kNotFound for an unknown or expired receipt handle.
  virtual Status Delete(const std::string& receipt_handle) = 0;
};

}  // namespace adze::ports
