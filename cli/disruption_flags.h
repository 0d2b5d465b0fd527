// The adze-disruption flag `adze simulate` and `adze controller` share:
// --lost-work-payback (controllers/disruption/lost_work.h).
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "model/duration.h"
#include "model/result.h"

namespace adze::cli {

inline constexpr const char* kLostWorkPaybackHelp =
    "adze disruption: evict pods that run to completion (Jobs, bare pods) only when the consolidation's savings "
    "repay the work they redo within this time (annotation adze.dev/checkpoint-interval bounds it); 0 ignores lost "
    "work, as Karpenter does";

// The flag's default, as the help shows it.
std::string DefaultLostWorkPayback();

// A duration ≥ 0. The error says what was found and what was expected.
Result<model::Duration> ParseLostWorkPayback(const std::string& text);

}  // namespace adze::cli
