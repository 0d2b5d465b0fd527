#include "cli/compare_command.h"

#include <charconv>
#include <chrono>
#include <iostream>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "catalog/catalog.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "report/comparison.h"
#include "report/html_report.h"
#include "sim/baselines/cluster_autoscaler.h"
#include "sim/baselines/fixed_fleet.h"
#include "sim/baselines/node_group.h"
#include "sim/scenario/default_scenario.h"
#include "sim/scenario/scenario_decoder.h"
#include "sim/simulation.h"

namespace adze::cli {
namespace {

namespace bl = sim::baselines;

Result<std::vector<uint64_t>> ParseSeeds(const std::string& text) {
  auto number = [](std::string_view s) -> std::optional<uint64_t> {
    int64_t v = -1;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
    return static_cast<uint64_t>(v);
  };
  auto fail = [&] {
    return Error::InvalidArgument("--seeds: found \"" + text +
                                  "\", expected a seed (7), a range (1..5) or a list (1,4,9) of integers >= 0");
  };
  std::vector<uint64_t> seeds;
  if (size_t dots = text.find(".."); dots != std::string::npos) {
    auto lo = number(std::string_view(text).substr(0, dots));
    auto hi = number(std::string_view(text).substr(dots + 2));
    if (!lo || !hi || *hi < *lo) return fail();
    if (*hi - *lo >= 100) return Error::InvalidArgument("--seeds: at most 100 seeds (found " + text + ")");
    for (uint64_t s = *lo; s <= *hi; ++s) seeds.push_back(s);
    return seeds;
  }
  std::string_view rest = text;
  while (true) {
    const size_t comma = rest.find(',');
    auto v = number(rest.substr(0, comma));
    if (!v) return fail();
    seeds.push_back(*v);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  std::set<uint64_t> unique(seeds.begin(), seeds.end());
  if (unique.size() != seeds.size()) return Error::InvalidArgument("--seeds: a seed is listed twice in \"" + text + "\"");
  return seeds;
}

std::string SeedsText(const std::vector<uint64_t>& seeds) {
  if (seeds.size() > 2 && seeds.back() - seeds.front() + 1 == seeds.size()) {
    return fmt::format("{}..{}", seeds.front(), seeds.back());
  }
  return fmt::format("{}", fmt::join(seeds, ","));
}

struct System {
  std::string name;
  std::string description;
};

}  // namespace

int RunCompare(const CompareOptions& options, std::ostream& out, std::ostream& err) {
  if (options.output != "table" && options.output != "json") {
    err << "error: -o: unknown output format \"" << options.output << "\" (expected table or json)\n";
    return 1;
  }
  if (options.expander && !bl::ParseExpander(*options.expander)) {
    err << "error: --expander: unknown expander \"" << *options.expander
        << "\" (expected least-waste, price, priority, random or most-pods)\n";
    return 1;
  }
  std::set<std::string> against;
  {
    std::string_view rest = options.against;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      std::string name(rest.substr(0, comma));
      if (name != "ca" && name != "fixed" && name != "karpenter") {
        err << "error: --against: unknown system \"" << name << "\" (expected a list of ca, fixed, karpenter)\n";
        return 1;
      }
      against.insert(name);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }

  std::optional<sim::Scenario> scenario = LoadScenarioOrReport(options.file, err);
  if (!scenario) return 1;
  if (options.duration) {
    auto d = sim::ParseScenarioDuration(*options.duration);
    if (!d.ok() || *d <= 0) {
      err << "error: --duration: " << (d.ok() ? "must be positive" : d.error().message) << "\n";
      return 1;
    }
    scenario->duration = *d;
    scenario->changes.erase(std::remove_if(scenario->changes.begin(), scenario->changes.end(),
                                           [&](const sim::ManifestChange& c) { return c.at >= *d; }),
                            scenario->changes.end());
  }
  std::vector<uint64_t> seeds = {scenario->seed};
  if (options.seeds) {
    auto parsed = ParseSeeds(*options.seeds);
    if (!parsed.ok()) {
      err << "error: " << parsed.error().message << "\n";
      return 1;
    }
    seeds = *parsed;
  }

  const catalog::Catalog& catalog = catalog::Catalog::Embedded();
  std::vector<std::string> group_notes;
  const std::vector<bl::NodeGroup> groups = bl::NodeGroupsFor(*scenario, catalog, &group_notes);
  const bool need_ca = against.contains("ca") || against.contains("fixed");
  if (need_ca && groups.empty()) {
    err << "error: no Cluster Autoscaler node group could be derived from the scenario's NodePools\n";
    return 1;
  }
  bl::ClusterAutoscalerOptions ca_options = bl::OptionsFor(scenario->baselines.cluster_autoscaler);
  if (options.expander) ca_options.expander = *bl::ParseExpander(*options.expander);
  const bl::Expander expander = ca_options.expander;

  std::vector<System> systems = {{"adze", "adze's operator (adze packer, adze disruption)"}};
  if (against.contains("karpenter")) {
    systems.push_back({"karpenter", "Karpenter's reference: --packer karpenter --disruption karpenter"});
  }
  if (against.contains("ca")) {
    systems.push_back({"ca", fmt::format("Cluster Autoscaler on {} node groups, expander {}", groups.size(),
                                         bl::ExpanderName(expander))});
  }
  if (against.contains("fixed")) {
    systems.push_back({"fixed-peak", "a fixed on-demand fleet sized for the peak"});
    systems.push_back({"fixed-mean", "a fixed on-demand fleet sized for the mean"});
  }

  report::Comparison comparison;
  comparison.scenario = scenario->name;
  comparison.seeds = seeds;
  for (const auto& s : systems) {
    comparison.systems.push_back(s.name);
    comparison.descriptions.push_back(s.description);
  }
  comparison.values.assign(systems.size(), {});
  if (need_ca) {
    comparison.notes.push_back("Cluster Autoscaler (" + std::string(bl::ExpanderName(expander)) + " expander), " +
                               group_notes.front());
    for (size_t i = 1; i < group_notes.size(); ++i) comparison.notes.push_back("  " + group_notes[i]);
  }
  // The first seed's runs, kept for the report's charts.
  std::vector<std::unique_ptr<sim::RunResult>> first_runs(systems.size());

  for (size_t si = 0; si < seeds.size(); ++si) {
    sim::Scenario run_scenario = *scenario;
    run_scenario.seed = seeds[si];
    std::shared_ptr<bl::ClusterAutoscalerStats> stats;
    auto run = [&](const std::string& name, sim::SimulationOptions o) -> Result<sim::RunResult> {
      const auto start = std::chrono::steady_clock::now();
      if (options.progress) err << fmt::format("[seed {} · {}/{}] {} …", seeds[si], si + 1, seeds.size(), name) << std::flush;
      o.record_events = si == 0 && !options.report.empty();
      auto r = sim::RunSimulation(run_scenario, catalog, o);
      if (options.progress) {
        err << fmt::format(" {:.1f}s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }
      return r;
    };
    for (size_t k = 0; k < systems.size(); ++k) {
      const std::string& name = systems[k].name;
      sim::SimulationOptions o;
      if (name == "karpenter") {
        o.karpenter_packer = true;
        o.disruption = sim::SimulationOptions::Disruption::kKarpenter;
      } else if (name == "ca") {
        stats = std::make_shared<bl::ClusterAutoscalerStats>();
        o.autoscaler = [&, stats](const sim::AutoscalerWorld& w) -> std::unique_ptr<sim::Autoscaler> {
          return std::make_unique<bl::ClusterAutoscaler>(w, groups, ca_options, stats);
        };
      } else if (name == "fixed-peak" || name == "fixed-mean") {
        if (!stats) {  // sized after a CA run on the same seed, even when CA is not shown
          stats = std::make_shared<bl::ClusterAutoscalerStats>();
          sim::SimulationOptions ca;
          ca.autoscaler = [&, stats](const sim::AutoscalerWorld& w) -> std::unique_ptr<sim::Autoscaler> {
            return std::make_unique<bl::ClusterAutoscaler>(w, groups, ca_options, stats);
          };
          auto sizing = run("ca (to size the fixed fleets)", ca);
          if (!sizing.ok()) {
            err << "error: " << sizing.error().message << "\n";
            return 1;
          }
        }
        const bl::FixedFleetSpec spec =
            bl::SizeFixedFleet(*stats, name == "fixed-peak" ? bl::FleetSizing::kPeak : bl::FleetSizing::kMean);
        if (si == 0) {
          std::string sizes;
          for (size_t g = 0; g < spec.groups.size(); ++g) {
            sizes += fmt::format("{}{} × {}", sizes.empty() ? "" : ", ", spec.nodes[g], spec.groups[g].instance_types.front());
          }
          comparison.notes.push_back(fmt::format("{} (seed {}): {} — {}", name, seeds[si], sizes.empty() ? "no nodes" : sizes,
                                                 spec.how));
        }
        o.autoscaler = [spec](const sim::AutoscalerWorld& w) -> std::unique_ptr<sim::Autoscaler> {
          return std::make_unique<bl::FixedFleet>(w, spec);
        };
      }
      auto r = run(name, o);
      if (!r.ok()) {
        err << "error: " << r.error().message << "\n";
        return 1;
      }
      comparison.values[k].push_back(report::MetricsOf(*r));
      if (si == 0) first_runs[k] = std::make_unique<sim::RunResult>(std::move(r).value());
    }
  }

  const auto& metrics = report::ComparedMetrics();
  if (options.output == "json") {
    out << report::ComparisonToJson(comparison).dump(2) << "\n";
  } else {
    out << fmt::format("adze compare: scenario {}, {:.1f} h simulated, seed{} {}\n\n", scenario->name,
                       static_cast<double>(scenario->duration) / model::kHour, seeds.size() > 1 ? "s" : "",
                       SeedsText(seeds));
    for (const auto& n : comparison.notes) out << n << "\n";
    if (!comparison.notes.empty()) out << "\n";
    std::vector<Table::Column> cols = {{"metric"}};
    for (const auto& s : systems) cols.push_back({s.name, true});
    Table table(cols);
    for (size_t m = 0; m < metrics.size(); ++m) {
      std::vector<std::string> row = {metrics[m].label};
      for (size_t s = 0; s < systems.size(); ++s) row.push_back(report::FormatMetric(metrics[m], comparison.Mean(s, m)));
      table.AddRow(row);
    }
    out << (seeds.size() > 1 ? "Means over seeds\n" : "") << table.RenderText();
    if (systems.size() > 1) {
      std::vector<Table::Column> dcols = {{"metric"}};
      for (size_t s = 1; s < systems.size(); ++s) dcols.push_back({systems[s].name + " − adze", true});
      Table diff(dcols);
      for (size_t m = 0; m < metrics.size(); ++m) {
        std::vector<std::string> row = {metrics[m].label};
        for (size_t s = 1; s < systems.size(); ++s) {
          row.push_back(report::FormatDifference(metrics[m], comparison.DifferenceToAdze(s, m)));
        }
        diff.AddRow(row);
      }
      out << "\nDifference to adze (the system's figure minus adze's, paired by seed"
          << (seeds.size() > 1 ? "; mean [95% confidence interval]" : "") << "; positive: adze is lower)\n"
          << diff.RenderText();
      for (size_t s = 1; s < systems.size(); ++s) {
        const double base = comparison.Mean(s, 0);
        if (base <= 0) continue;
        out << fmt::format("adze costs {:.1f}% {} than {}\n", std::abs(100 * (1 - comparison.Mean(0, 0) / base)),
                           comparison.Mean(0, 0) <= base ? "less" : "more", systems[s].name);
      }
    }
  }
  if (!options.report.empty()) {
    report::HtmlReport html;
    html.title = "adze compare — " + scenario->name;
    html.subtitle = fmt::format("{:.1f} h simulated; seeds {}; charts from seed {}; generated by adze compare",
                                static_cast<double>(scenario->duration) / model::kHour, SeedsText(seeds), seeds.front());
    for (size_t k = 0; k < systems.size(); ++k) html.runs.push_back({systems[k].name, first_runs[k].get()});
    html.comparison = &comparison;
    html.notes = comparison.notes;
    for (size_t k = 0; k < systems.size(); ++k) html.notes.push_back(systems[k].name + ": " + systems[k].description);
    if (auto s = report::WriteHtmlReport(html, options.report); !s.ok()) {
      err << "error: --report: " << s.error().message << "\n";
      return 1;
    }
    if (options.output == "table") out << "\nwrote " << options.report << "\n";
  }
  return 0;
}

void RegisterCompareCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Compare adze with Cluster Autoscaler, fixed fleets and Karpenter on the same workload and draws");
  cmd->footer(
      "Without SCENARIO, compares on the built-in default scenario.\n"
      "Cluster Autoscaler's node groups come from the scenario's baselines: section, else are derived from\n"
      "its NodePools (printed with the table; docs/compare.md says how);\n"
      "the fixed fleets are sized after Cluster Autoscaler's run on the same seed (peak and mean node counts).\n"
      "Examples:\n"
      "  adze compare\n"
      "  adze compare examples/alibaba-trace.yaml --seeds 1..5 --report compare.html\n"
      "  adze compare --against ca --duration 6h -o json");
  cmd->add_option("SCENARIO", options->file, "Scenario file (apiVersion adze.dev/v1alpha1, kind Scenario)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--against", options->against, "Baselines, comma-separated: ca, fixed, karpenter")
      ->capture_default_str();
  cmd->add_option("--seeds", options->seeds, "Seeds: 7, 1..5 or 1,4,9 (default: the scenario's seed)");
  cmd->add_option("--duration", options->duration, "Simulated time (overrides the scenario's), e.g. 6h or 2d");
  cmd->add_option("--expander", options->expander,
                  "Cluster Autoscaler expander: least-waste, price, priority, random, most-pods "
                  "(default: the scenario's baselines.clusterAutoscaler.expander, else least-waste)");
  cmd->add_option("--report", options->report, "Write the self-contained HTML report to FILE");
  cmd->add_option("-o,--output", options->output, "Output format: table, json")->capture_default_str();
  cmd->add_flag_callback("--no-progress", [options] { options->progress = false; }, "Do not print progress on stderr");
  cmd->callback([options, &exit_code] { exit_code = RunCompare(*options, std::cout, std::cerr); });
}

}  // namespace adze::cli
