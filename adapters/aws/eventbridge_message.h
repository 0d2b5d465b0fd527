// ParseEventBridgeMessage: the body of an interruption-queue message — an
// EventBridge event as EventBridge delivers it to SQS — into the events
// Karpenter acts on (spec §7; Karpenter's pkg/controllers/interruption/messages):
//   aws.ec2 "EC2 Spot Instance Interruption Warning"       → kSpotInterrupted
//   aws.ec2 "EC2 Instance Rebalance Recommendation"        → kRebalanceRecommendation
//   aws.health "AWS Health Event", service EC2,
//     eventTypeCategory scheduledChange, per affected instance → kScheduledChange
//   aws.ec2 "EC2 Instance State-change Notification"
//     stopping/stopped                                     → kInstanceStopped
//     shutting-down/terminated                             → kInstanceTerminated
//   aws.ec2 "EC2 Capacity Reservation Instance Interruption Warning"
//                                                          → kScheduledChange (*)
// (*) ports::InterruptionMessage has no capacity-reservation kind; the node
// is deleted as for a scheduled change, and marking the reservation
// unavailable is left to DescribeCapacityReservations.
// Events Karpenter ignores (other states, other services) parse to no event;
// a body that is not such an event is an error (the caller logs and deletes).
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "model/result.h"
#include "ports/interruption_queue.h"

namespace adze::adapters::aws {

// Kind, instance id and time (UTC µs) are set; the receipt handle is not.
Result<std::vector<ports::InterruptionMessage>> ParseEventBridgeMessage(const std::string& body);

}  // namespace adze::adapters::aws
