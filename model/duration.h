// Durations as Kubernetes and Karpenter write them (Go's time.ParseDuration:
// "720h", "1h30m", "90s", "500ms"), held as whole microseconds, the unit of
// SimTime. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/result.h"

namespace adze::model {

// Microseconds.
using Duration = int64_t;
inline constexpr Duration kMicrosecond = 1;
inline constexpr Duration kMillisecond = 1000;
inline constexpr Duration kSecond = 1000 * kMillisecond;
inline constexpr Duration kMinute = 60 * kSecond;
inline constexpr Duration kHour = 60 * kMinute;

// Parses a Go duration: a sequence of <number><unit> with units ns us µs ms s
// m h, an optional sign; "0" alone is allowed. Errors explain what was wrong.
Result<Duration> ParseDuration(std::string_view text);

// The longest span a simulation derives from a real number (~73,000 years):
// far past the end of any run (a scenario lasts at most 100,000 days) and
// small enough that the clock plus such a span never overflows.
inline constexpr Duration kMaxDerivedSpan = INT64_MAX / 4;

// `seconds` as a Duration, clamped into [0, kMaxDerivedSpan]; NaN and +inf
// read as kMaxDerivedSpan ("not within this run"). For spans computed at run
// time from random draws and rates (a pull time, a gap between arrivals):
// casting a double beyond int64 is undefined behaviour and in practice gave
// times in the past, so every such conversion goes through here. Inputs are
// bounded by the decoders too; this makes the conversion safe whatever they
// let through.
Duration SaturatingSeconds(double seconds);

// Shortest Go-style spelling: "720h", "1h30m", "90s" -> "1m30s", "500ms",
// "1.5ms", "1us" (ASCII "us", which ParseDuration accepts).
std::string FormatDuration(Duration d);

}  // namespace adze::model
