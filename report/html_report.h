// HtmlReport: one self-contained HTML file for a simulation run (`adze
// simulate --report`) or a comparison (`adze compare --report`): the summary
// table and inline SVG charts — nodes by instance type over time, cost rate,
// pending pods, GPU allocation, the time-to-running distribution per system,
// and disruptions and interruptions on a timeline. No script, no external
// stylesheet, font or image: it opens offline and prints.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "model/result.h"
#include "report/comparison.h"
#include "sim/simulation.h"

namespace adze::report {

struct ReportRun {
  std::string system;         // "adze", "ca", ...
  const sim::RunResult* run;  // with its event log (SimulationOptions::record_events)
};

struct HtmlReport {
  std::string title;
  std::string subtitle;
  std::vector<ReportRun> runs;          // charts: one seed's runs, one per system
  const Comparison* comparison = nullptr;  // the table over all seeds; null: one run's table
  std::vector<std::string> notes;       // shown under the table
};

std::string RenderHtmlReport(const HtmlReport& report);

// Writes RenderHtmlReport to path. Errors name the path.
Status WriteHtmlReport(const HtmlReport& report, const std::string& path);

}  // namespace adze::report
