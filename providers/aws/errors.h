// AWS error codes → adze ErrorCodes, in one place (Karpenter's
// pkg/errors/errors.go). The provider classifies every AwsError it sees here
// and nowhere else.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "model/result.h"
#include "providers/aws/ec2_api.h"

namespace adze::providers::aws {

// The per-override CreateFleet error codes that mean "this offering has no
// capacity now" (spec §3.5): each marks its offering unavailable for the ICE TTL.
bool IsUnfulfillableCapacity(std::string_view code);
// Codes that mark a reservation rather than the offering (spec §3.5).
bool IsReservationCapacityExceeded(std::string_view code);
// Throttling codes (RequestLimitExceeded, Throttling, ...): retry later.
bool IsThrottling(std::string_view code);
// Not-found codes (InvalidInstanceID.NotFound, InvalidLaunchTemplateName.NotFoundException, ...).
bool IsNotFound(std::string_view code);
// A missing launch template: invalidate the cache and retry once (spec §3.5).
bool IsLaunchTemplateNotFound(std::string_view code);

// The adze error for an AWS error: ICE-class → kInsufficientCapacity,
// throttling → kThrottled, not found → kNotFound, UnauthorizedOperation /
// AuthFailure → kPermissionDenied, RequestTimeout / deadline → kDeadlineExceeded,
// InvalidParameter* → kInvalidArgument, 5xx-class (InternalError, Unavailable,
// ServiceUnavailable) → kUnavailable, anything else → kInternal. The message
// reads "<code>: <message>".
Error ToError(const AwsError& error);

}  // namespace adze::providers::aws
