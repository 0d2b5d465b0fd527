// EncodeEventBridgeEvent: an interruption message of the twin's EC2 as the
// EventBridge event AWS delivers to the interruption queue (the JSON that
// adapters/aws/eventbridge_message.cc parses; event shapes from the EC2 and
// AWS Health user guides: "EC2 Spot Instance Interruption Warning", "EC2
// Instance Rebalance Recommendation", "EC2 Instance State-change
// Notification", "AWS Health Event" with eventTypeCategory scheduledChange).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "ports/interruption_queue.h"

namespace adze::twin {

// `wall_time` (µs since the Unix epoch) becomes the event's "time".
std::string EncodeEventBridgeEvent(const ports::InterruptionMessage& message, int64_t wall_time,
                                   const std::string& region, const std::string& account, uint64_t event_number);

// RFC 3339 in UTC with seconds: 2026-12-04T05:00:00Z.
std::string Iso8601Seconds(int64_t wall_time);

}  // namespace adze::twin
