// `adze simulate`: runs a scenario (a file, or the built-in default) on the
// deterministic EKS + EC2 simulator with adze's controllers and prints what
// it cost and how long pods waited. A progress line on a terminal shows the
// simulated time and events per second; --out DIR writes summary.json,
// timeseries.csv and events.jsonl; -o json prints the summary as JSON.
// Thread-safety: not thread-safe (a command runs once).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/disruption_flags.h"

namespace adze::cli {

struct SimulateOptions {
  std::string file;                 // empty: the built-in default scenario
  // --seed overrides the scenario's: an integer from 0 to 2^63-1, checked
  // here as the scenario's `seed` field is (a command line that clamped or
  // wrapped would run another seed than the user typed).
  std::optional<std::string> seed;
  std::optional<std::string> duration;  // --duration overrides (Go duration or 7d)
  std::string out_dir;              // --out DIR
  std::string report;               // --report FILE.html: the self-contained HTML report
  std::string output = "table";     // -o table | json
  std::string packer = "adze";      // --packer adze | karpenter
  std::string disruption = "adze";  // --disruption adze | karpenter | off
  bool progress = true;             // --no-progress turns the progress line off
  bool headroom = false;            // --headroom: adze disruption keeps room for demand in every pool
  size_t max_replacements = 1;      // --max-replacements N: adze disruption's replacements per consolidation
  // --lost-work-payback D: adze consolidation repays redone work within D
  std::string lost_work_payback = DefaultLostWorkPayback();
  bool size_for_arrivals = true;    // --no-arrival-sizing: the adze packer sizes claims for the batch only
  std::string fewer_nodes_premium = "0";  // --fewer-nodes-premium 50%: the adze packer's premium for fewer nodes
  bool print_scenario = false;      // --print-default-scenario
};

int RunSimulate(const SimulateOptions& options, std::ostream& out, std::ostream& err, bool err_is_terminal);

void RegisterSimulateCommand(CLI::App& app, int& exit_code);

}  // namespace adze::cli
