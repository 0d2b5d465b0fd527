// The adze-packer flag `adze plan`, `adze simulate` and `adze controller`
// share: --fewer-nodes-premium (scheduling::SolverOptions::fewer_nodes_premium).
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "model/result.h"

namespace adze::cli {

inline constexpr const char* kFewerNodesPremiumHelp =
    "adze packer: launch fewer, larger GPU nodes when they cost at most this much more per hour than the cheapest "
    "packing (and no more than Karpenter's), e.g. 50%: a burst waits on fewer boots and later pods find room on "
    "nodes already up; 0 (the default) buys the cheapest";

// "50%" → 0.5; "0" → 0. A percentage from 0% to 1000%; the error says what
// was found and what was expected.
Result<double> ParseFewerNodesPremium(const std::string& text);

}  // namespace adze::cli
