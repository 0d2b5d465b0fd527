#include "cli/simulate_command.h"

#include <unistd.h>

#include <charconv>
#include <iostream>
#include <limits>
#include <memory>

#include <fmt/format.h>

#include "catalog/catalog.h"
#include "cli/disruption_flags.h"
#include "cli/packer_flags.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "model/duration.h"
#include "report/html_report.h"
#include "report/run_report.h"
#include "sim/scenario/default_scenario.h"
#include "sim/scenario/scenario_decoder.h"
#include "sim/simulation.h"

namespace adze::cli {

namespace {

std::string Money(double usd) { return fmt::format("${:.2f}", usd); }
std::string Secs(double s) { return fmt::format("{:.1f}s", s); }

void PrintSummary(const sim::RunSummary& s, std::ostream& out) {
  out << fmt::format("scenario {}  seed {}  simulated {:.1f}h  ({} events in {:.2f}s wall)\n\n", s.scenario, s.seed,
                     static_cast<double>(s.duration) / model::kHour, s.events_processed, s.wall_seconds);
  Table cost({{"cost"}, {"value", true}});
  cost.AddRow({"total", Money(s.cost_usd)});
  for (const auto& [ct, usd] : s.cost_usd_by_capacity_type) cost.AddRow({"  " + ct, Money(usd)});
  cost.AddRow({"instance-hours", fmt::format("{:.1f}", s.instance_hours)});
  cost.AddRow({"GPU-hours provisioned", fmt::format("{:.1f}", s.gpu_hours_provisioned)});
  cost.AddRow({"GPU-hours requested", fmt::format("{:.1f}", s.gpu_hours_requested)});
  cost.AddRow({"GPU utilisation",
               fmt::format("{:.1f}%", s.gpu_hours_provisioned > 0 ? 100 * s.gpu_hours_requested / s.gpu_hours_provisioned : 0)});
  out << cost.RenderText() << "\n";

  Table ttr({{"time to running"}, {"pods", true}, {"mean", true}, {"p50", true}, {"p95", true}, {"p99", true}});
  auto row = [&](const std::string& name, const sim::Percentiles& p) {
    ttr.AddRow({name, std::to_string(p.count), Secs(p.mean), Secs(p.p50), Secs(p.p95), Secs(p.p99)});
  };
  row("total", s.time_to_running);
  for (const char* phase : {"decision", "launch", "boot_registration", "gpu_initialization", "binding", "image",
                            "model_weights"}) {
    auto it = s.time_to_running_by_phase.find(phase);
    if (it != s.time_to_running_by_phase.end()) row(std::string("  ") + phase, it->second);
  }
  row("arrivals (no re-created pods)", s.time_to_running_of_arrivals);
  out << ttr.RenderText() << "\n";

  Table events({{"events"}, {"count", true}});
  events.AddRow({"pods created", std::to_string(s.pods_created)});
  events.AddRow({"pods completed", std::to_string(s.pods_completed)});
  events.AddRow({"pods running at end", std::to_string(s.pods_running_at_end)});
  events.AddRow({"pods pending at end", std::to_string(s.pods_pending_at_end)});
  events.AddRow({"pods evicted", std::to_string(s.pods_evicted)});
  events.AddRow({"pods lost with their node", std::to_string(s.pods_lost_with_node)});
  events.AddRow({"nodes launched", std::to_string(s.nodes_launched)});
  for (const auto& [ct, n] : s.nodes_launched_by_capacity_type) events.AddRow({"  " + ct, std::to_string(n)});
  for (const auto& [reason, n] : s.nodes_terminated_by_reason) {
    events.AddRow({"nodes terminated: " + reason, std::to_string(n)});
  }
  events.AddRow({"nodes at end", std::to_string(s.nodes_at_end)});
  events.AddRow({"spot interruption warnings", std::to_string(s.spot_interruption_warnings)});
  events.AddRow({"rebalance recommendations", std::to_string(s.rebalance_recommendations)});
  events.AddRow({"insufficient-capacity errors", std::to_string(s.insufficient_capacity_errors)});
  for (const auto& [reason, n] : s.disruptions_by_reason) {
    events.AddRow({"nodes disrupted: " + reason, std::to_string(n)});
  }
  events.AddRow({"disruption savings ($/h at decision)", fmt::format("{:.2f}", s.disruption_savings_per_hour)});
  events.AddRow({"disruption savings (rest of run)", Money(s.disruption_savings_usd)});
  events.AddRow({"nodes expired", std::to_string(s.nodes_expired)});
  events.AddRow({"training jobs completed", std::to_string(s.training_jobs_completed)});
  events.AddRow({"training jobs unfinished", std::to_string(s.training_jobs_unfinished)});
  events.AddRow({"training restarts", std::to_string(s.training_restarts)});
  events.AddRow({"training GPU-hours lost", fmt::format("{:.1f}", s.training_gpu_hours_lost)});
  events.AddRow({"provisioning passes", std::to_string(s.provisioning_passes)});
  events.AddRow({"NodeClaims created", std::to_string(s.node_claims_created)});
  events.AddRow({"disruption decision p50 / p99 (wall)",
                 fmt::format("{:.2f} / {:.2f} ms", s.disruption_decision_wall_ms.p50, s.disruption_decision_wall_ms.p99)});
  events.AddRow({"decision time p50 / p99 (wall)",
                 fmt::format("{:.2f} / {:.2f} ms", s.decision_wall_ms.p50, s.decision_wall_ms.p99)});
  out << events.RenderText();
}

}  // namespace

int RunSimulate(const SimulateOptions& options, std::ostream& out, std::ostream& err, bool err_is_terminal) {
  if (options.print_scenario) {
    out << sim::DefaultScenarioText();
    return 0;
  }
  if (options.output != "table" && options.output != "json") {
    err << "error: -o: unknown output format \"" << options.output << "\" (expected table or json)\n";
    return 1;
  }
  if (options.disruption != "adze" && options.disruption != "karpenter" && options.disruption != "off") {
    err << "error: --disruption: unknown mode \"" << options.disruption << "\" (expected adze, karpenter or off)\n";
    return 1;
  }
  if (options.packer != "adze" && options.packer != "karpenter") {
    err << "error: --packer: unknown packer \"" << options.packer << "\" (expected adze or karpenter)\n";
    return 1;
  }
  std::optional<sim::Scenario> scenario = LoadScenarioOrReport(options.file, err);
  if (!scenario) return 1;
  if (options.seed) {
    // The same range as the scenario's `seed` field.
    int64_t seed = -1;
    const std::string& text = *options.seed;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || seed < 0) {
      err << "error: --seed: found \"" << text << "\", expected an integer from 0 to "
          << std::numeric_limits<int64_t>::max() << "\n";
      return 1;
    }
    scenario->seed = static_cast<uint64_t>(seed);
  }
  if (options.duration) {
    auto d = sim::ParseScenarioDuration(*options.duration);
    if (!d.ok() || *d <= 0) {
      err << "error: --duration: " << (d.ok() ? "must be positive" : d.error().message) << "\n";
      return 1;
    }
    scenario->duration = *d;
    for (const auto& change : scenario->changes) {
      if (change.at >= scenario->duration) {
        err << "error: --duration: " << *options.duration << " ends the run before the scenario's change at "
            << model::FormatDuration(change.at) << ", which would never apply\n";
        return 1;
      }
    }
  }

  Result<model::Duration> lost_work_payback = ParseLostWorkPayback(options.lost_work_payback);
  if (!lost_work_payback.ok()) {
    err << "error: --lost-work-payback: " << lost_work_payback.error().message << "\n";
    return 1;
  }
  Result<double> fewer_nodes_premium = ParseFewerNodesPremium(options.fewer_nodes_premium);
  if (!fewer_nodes_premium.ok()) {
    err << "error: --fewer-nodes-premium: " << fewer_nodes_premium.error().message << "\n";
    return 1;
  }

  // Contradicting flags (issue 15 class 6): headroom is part of adze's
  // disruption only.
  if (options.headroom && options.disruption != "adze") {
    err << "warning: --headroom has no effect with --disruption " << options.disruption
        << " (only adze disruption keeps headroom)\n";
  }
  if (!options.size_for_arrivals && options.packer != "adze") {
    err << "warning: --no-arrival-sizing has no effect with --packer " << options.packer
        << " (only the adze packer sizes claims for arrivals)\n";
  }
  if (*fewer_nodes_premium > 0 && options.packer != "adze") {
    err << "warning: --fewer-nodes-premium has no effect with --packer " << options.packer
        << " (only the adze packer weighs node count against cost)\n";
  }

  sim::SimulationOptions sim_options;
  sim_options.record_events = !options.out_dir.empty() || !options.report.empty();
  sim_options.karpenter_packer = options.packer == "karpenter";
  sim_options.disruption = options.disruption == "karpenter" ? sim::SimulationOptions::Disruption::kKarpenter
                           : options.disruption == "off"     ? sim::SimulationOptions::Disruption::kOff
                                                             : sim::SimulationOptions::Disruption::kAdze;
  sim_options.headroom = options.headroom;
  sim_options.max_replacements = options.max_replacements;
  sim_options.lost_work_payback = *lost_work_payback;
  sim_options.size_for_arrivals = options.size_for_arrivals;
  sim_options.fewer_nodes_premium = *fewer_nodes_premium;
  const bool show_progress = options.progress && err_is_terminal;
  if (show_progress) {
    sim_options.on_progress = [&err](const sim::Progress& p) {
      const double frac = p.end > 0 ? static_cast<double>(p.now) / static_cast<double>(p.end) : 1;
      const int width = 30;
      const int filled = static_cast<int>(frac * width);
      err << fmt::format("\r[{}{}] {:5.1f}%  simulated {:.1f}h of {:.1f}h  {:.0f} events/s ", std::string(filled, '#'),
                         std::string(width - filled, '.'), 100 * frac, static_cast<double>(p.now) / model::kHour,
                         static_cast<double>(p.end) / model::kHour,
                         p.wall_seconds > 0 ? static_cast<double>(p.events) / p.wall_seconds : 0.0)
          << std::flush;
    };
  }
  auto result = sim::RunSimulation(*scenario, catalog::Catalog::Embedded(), sim_options);
  if (show_progress) err << "\r" << std::string(100, ' ') << "\r" << std::flush;
  if (!result.ok()) {
    err << "error: " << result.error().message << "\n";
    return 1;
  }
  if (!options.out_dir.empty()) {
    if (auto s = report::WriteRunFiles(*result, options.out_dir); !s.ok()) {
      err << "error: " << s.error().message << "\n";
      return 1;
    }
  }
  if (!options.report.empty()) {
    report::HtmlReport html;
    html.title = "adze simulate — " + result->summary.scenario;
    html.subtitle = fmt::format("{:.1f} h simulated, seed {}, packer {}, disruption {}; generated by adze simulate",
                                static_cast<double>(result->summary.duration) / model::kHour, result->summary.seed,
                                options.packer, options.disruption);
    html.runs.push_back({options.packer == "adze" && options.disruption == "adze" ? "adze" : options.packer, &*result});
    if (auto s = report::WriteHtmlReport(html, options.report); !s.ok()) {
      err << "error: --report: " << s.error().message << "\n";
      return 1;
    }
  }
  if (options.output == "json") {
    out << report::SummaryToJson(result->summary).dump(2) << "\n";
  } else {
    PrintSummary(result->summary, out);
    if (!options.out_dir.empty()) {
      out << "\nwrote " << options.out_dir << "/summary.json, timeseries.csv, events.jsonl\n";
    }
    if (!options.report.empty()) out << "\nwrote " << options.report << "\n";
  }
  return 0;
}

void RegisterSimulateCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "Simulate a cluster over days: cost, time to running, interruptions, cold starts");
  cmd->footer(
      "Without FILE, runs the built-in default scenario (print it with --print-default-scenario).\n"
      "Examples:\n"
      "  adze simulate\n"
      "  adze simulate examples/snapshot-preseed-off.yaml --out runs/off\n"
      "  adze simulate examples/alibaba-trace.yaml --seed 7 -o json");
  cmd->add_option("FILE", options->file, "Scenario file (apiVersion adze.dev/v1alpha1, kind Scenario)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--seed", options->seed, "Random seed (overrides the scenario's)");
  cmd->add_option("--duration", options->duration, "Simulated time (overrides the scenario's), e.g. 48h or 7d");
  cmd->add_option("--out", options->out_dir, "Write summary.json, timeseries.csv and events.jsonl into DIR");
  cmd->add_option("--report", options->report,
                  "Write a self-contained HTML report (charts and summary) to FILE");
  cmd->add_option("-o,--output", options->output, "Output format: table, json")->capture_default_str();
  cmd->add_option("--packer", options->packer, "Provisioning packer: adze or karpenter")->capture_default_str();
  cmd->add_option("--disruption", options->disruption,
                  "Disruption: adze (whole-cluster consolidation), karpenter (Karpenter's reference limits: "
                  "100 candidates, 1 min / 3 min budgets, one replacement) or off")
      ->capture_default_str();
  cmd->add_flag_callback("--headroom", [options] { options->headroom = true; },
                         "adze disruption: keep room for each pool's recent demand, so arrivals start without a "
                         "cold start, at the price of idle capacity (per pool: annotation adze.dev/headroom)");
  cmd->add_option("--max-replacements", options->max_replacements,
                  "adze disruption: nodes one consolidation may launch to replace the ones it removes (Karpenter: 1; "
                  "more can free pod slots sooner at the cost of churn)")
      ->check(CLI::Range(size_t{1}, size_t{1000}))
      ->capture_default_str();
  cmd->add_option("--lost-work-payback", options->lost_work_payback, kLostWorkPaybackHelp)->capture_default_str();
  cmd->add_flag_callback("--no-headroom", [options] { options->headroom = false; },
                         "No headroom in pools without the annotation (the default; Karpenter keeps none)");
  cmd->add_flag_callback("--no-arrival-sizing", [options] { options->size_for_arrivals = false; },
                         "adze packer: size new claims for the pods of the batch only, not also for the pods their "
                         "pool expects before the claims are ready (Karpenter's packer never does)");
  cmd->add_option("--fewer-nodes-premium", options->fewer_nodes_premium, kFewerNodesPremiumHelp)->capture_default_str();
  cmd->add_flag_callback("--no-progress", [options] { options->progress = false; }, "Do not show the progress line");
  cmd->add_flag("--print-default-scenario", options->print_scenario, "Print the built-in scenario and exit");
  cmd->callback([options, &exit_code] {
    exit_code = RunSimulate(*options, std::cout, std::cerr, isatty(STDERR_FILENO) != 0);
  });
}

}  // namespace adze::cli
