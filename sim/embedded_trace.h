// The alibaba-gpu-2023 default task list (data/traces/alibaba-gpu-2023/
// openb_pod_list_default.csv), embedded at build time so that a Trace
// workload without a path needs no files at run time.
#pragma once

#include <string_view>

namespace adze::sim {

std::string_view EmbeddedDefaultTraceCsv();
inline constexpr std::string_view kEmbeddedDefaultTraceName = "built-in:alibaba-gpu-2023/openb_pod_list_default.csv";

}  // namespace adze::sim
