// RunReport: a simulation run written out for machines — the summary as
// JSON, the per-minute time series as CSV, and the event log as JSON lines.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/result.h"
#include "sim/simulation.h"

namespace adze::report {

// The summary as an ordered JSON document. With include_wall_clock false the
// wall-clock fields (decision times, run time) are left out, so two runs of
// the same scenario and seed give the same bytes.
nlohmann::ordered_json SummaryToJson(const sim::RunSummary& summary, bool include_wall_clock = true);

// Header plus one row per simulated minute.
std::string TimeseriesCsv(const std::vector<sim::TimeseriesRow>& rows);

// Writes summary.json, timeseries.csv and events.jsonl into dir (created if
// missing). Errors name the file that could not be written.
Status WriteRunFiles(const sim::RunResult& result, const std::string& dir);

}  // namespace adze::report
