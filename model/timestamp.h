// Timestamps as Kubernetes writes them in object metadata (RFC 3339:
// "2024-05-01T12:00:00Z", "2024-05-01T12:00:00.5+02:00"), held as
// microseconds since the Unix epoch, the unit of SimTime. adze plans on the
// order of creation times (spec §2.4), never on their distance to "now".
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "model/duration.h"
#include "model/result.h"

namespace adze::model {

// Parses an RFC 3339 date-time (a 'T' or ' ' between date and time, optional
// fraction of a second, 'Z' or a ±HH:MM offset). Errors say what was wrong.
Result<Duration> ParseTimestamp(std::string_view text);

}  // namespace adze::model
