// `adze compare`: runs a scenario with adze and with the autoscalers a team
// would otherwise use — Cluster Autoscaler on node groups, fixed fleets sized
// for the peak and for the mean, and Karpenter's reference (--packer
// karpenter --disruption karpenter) — on the same workload and random draws,
// for one or more seeds, and prints one table per system with the
// differences to adze (a 95 % confidence interval over seeds). --report
// writes the self-contained HTML report. Progress goes to stderr; stdout is
// the same bytes for the same inputs.
// Thread-safety: not thread-safe (a command runs once).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace adze::cli {

struct CompareOptions {
  std::string file;                      // empty: the built-in default scenario
  std::string against = "ca,fixed,karpenter";
  std::optional<std::string> seeds;      // "1..5", "1,4,9" or "7"; default: the scenario's seed
  std::optional<std::string> duration;   // overrides the scenario's
  std::optional<std::string> expander;   // overrides baselines.clusterAutoscaler.expander
  std::string report;                    // --report FILE.html
  std::string output = "table";          // table | json
  bool progress = true;
};

int RunCompare(const CompareOptions& options, std::ostream& out, std::ostream& err);

void RegisterCompareCommand(CLI::App& app, int& exit_code);

}  // namespace adze::cli
