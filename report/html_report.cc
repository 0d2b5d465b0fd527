#include "report/html_report.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/svg_chart.h"

namespace adze::report {
namespace {

constexpr const char* kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0 auto;
       max-width: 1000px; padding: 16px 20px; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
p.sub { color: #555; margin-top: 0; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e3e3e3; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #999; }
td.better { color: #006d2c; } td.worse { color: #b30000; }
.scroll { overflow-x: auto; }
figure { margin: 12px 0 20px; }
svg.chart { width: 100%; height: auto; display: block; }
ul.notes { font-size: 13px; color: #444; }
@media print { body { max-width: none; } figure, table { break-inside: avoid; } .scroll { overflow: visible; } }
)";

// What one run's event log says, reduced to what the charts draw.
struct RunData {
  std::vector<double> ttr;  // seconds
  // (minute, type) → nodes; types by node-hours, descending.
  std::vector<std::string> types;
  std::vector<std::vector<double>> nodes_by_type;  // [type][minute]
  std::vector<std::pair<double, int>> marks;       // (hour, kind)
};

const std::vector<std::string>& MarkKinds() {
  static const std::vector<std::string> kKinds = {"spot interruption", "consolidation / scale-down", "pod evicted",
                                                  "pod lost with node", "insufficient capacity"};
  return kKinds;
}

RunData Reduce(const sim::RunResult& run) {
  RunData d;
  const size_t minutes = run.timeseries.size() + 1;
  std::map<std::string, std::string> type_of;  // claim → type
  std::map<std::string, std::vector<std::pair<double, int>>> changes;  // type → (t seconds, ±1)
  std::set<std::string> interrupted;
  for (const std::string& line : run.events) {
    const auto e = nlohmann::json::parse(line, nullptr, false);
    if (e.is_discarded()) continue;
    const std::string type = e.value("type", "");
    const double t = e.value("t", 0.0);
    const std::string reason = e.value("reason", "");
    if (type == "pod_running") {
      d.ttr.push_back(e.value("time_to_running", 0.0));
    } else if (type == "claim_launched") {
      const std::string it = e.value("instance_type", "");
      type_of[e.value("claim", "")] = it;
      changes[it].emplace_back(t, +1);
    } else if (type == "claim_terminated") {
      auto it = type_of.find(e.value("claim", ""));
      if (it != type_of.end()) {
        changes[it->second].emplace_back(t, -1);
        type_of.erase(it);
      }
    } else if (type == "pod_evicted") {
      d.marks.emplace_back(t / 3600, 2);
    } else if (type == "pod_lost") {
      d.marks.emplace_back(t / 3600, 3);
    } else if (type == "insufficient_capacity") {
      d.marks.emplace_back(t / 3600, 4);
    } else if (type == "disruption_executed") {
      d.marks.emplace_back(t / 3600, 1);
    }
    if ((type == "claim_deletion_requested" || type == "claim_terminated") && reason == "scale_down") {
      if (type == "claim_deletion_requested") d.marks.emplace_back(t / 3600, 1);
    }
    if ((type == "claim_deletion_requested" || type == "claim_terminated") &&
        reason.find("interrupt") != std::string::npos && interrupted.insert(e.value("claim", "")).second) {
      d.marks.emplace_back(t / 3600, 0);
    }
  }
  // Per-minute counts, types ordered by node-minutes.
  std::vector<std::pair<double, std::string>> ranked;
  std::map<std::string, std::vector<double>> series;
  for (auto& [type, ch] : changes) {
    std::stable_sort(ch.begin(), ch.end());
    std::vector<double> counts(minutes, 0);
    size_t i = 0;
    double n = 0, total = 0;
    for (size_t m = 0; m < minutes; ++m) {
      while (i < ch.size() && ch[i].first <= static_cast<double>(m) * 60) n += ch[i++].second;
      counts[m] = n;
      total += n;
    }
    ranked.emplace_back(-total, type);
    series[type] = std::move(counts);
  }
  std::sort(ranked.begin(), ranked.end());
  constexpr size_t kShown = 7;
  std::vector<double> other(minutes, 0);
  bool has_other = false;
  for (size_t r = 0; r < ranked.size(); ++r) {
    const auto& s = series[ranked[r].second];
    if (r < kShown) {
      d.types.push_back(ranked[r].second);
      d.nodes_by_type.push_back(s);
    } else {
      has_other = true;
      for (size_t m = 0; m < minutes; ++m) other[m] += s[m];
    }
  }
  if (has_other) {
    d.types.push_back("other types");
    d.nodes_by_type.push_back(std::move(other));
  }
  return d;
}

std::string SummaryTable(const HtmlReport& r) {
  // Metrics down, systems across: it fits a laptop's width and a printed page.
  const auto& metrics = ComparedMetrics();
  auto header = [](const std::vector<std::string>& names) {
    std::string h = "<thead><tr><th>metric</th>";
    for (const auto& n : names) h += "<th>" + Escape(n) + "</th>";
    return h + "</tr></thead>";
  };
  std::string out;
  if (r.comparison != nullptr) {
    const Comparison& c = *r.comparison;
    out += "<div class=\"scroll\"><table class=\"summary\">" + header(c.systems) + "<tbody>";
    for (size_t m = 0; m < metrics.size(); ++m) {
      out += "<tr><td>" + Escape(metrics[m].label) + "</td>";
      for (size_t s = 0; s < c.systems.size(); ++s) {
        out += "<td>" + Escape(FormatMetric(metrics[m], c.Mean(s, m))) + "</td>";
      }
      out += "</tr>";
    }
    out += "</tbody></table></div>";
    if (c.systems.size() > 1) {
      out += fmt::format(
          "<p class=\"sub\">Means over {} seed(s). Below: each baseline’s figure minus adze’s, paired by seed{}; "
          "green where adze is lower (better), red where adze is higher (worse).</p>",
          c.seeds.size(), c.seeds.size() > 1 ? ", mean [95 % confidence interval]" : "");
      std::vector<std::string> names;
      for (size_t s = 1; s < c.systems.size(); ++s) names.push_back(c.systems[s] + " − adze");
      out += "<div class=\"scroll\"><table class=\"summary\">" + header(names) + "<tbody>";
      for (size_t m = 0; m < metrics.size(); ++m) {
        out += "<tr><td>" + Escape(metrics[m].label) + "</td>";
        for (size_t s = 1; s < c.systems.size(); ++s) {
          const Interval d = c.DifferenceToAdze(s, m);
          // Lower is better for every figure but GPU-hours used (the workload's own).
          const bool neutral = metrics[m].key == "gpu_hours_used" ||
                               FormatMetric(metrics[m], std::abs(d.mean)) == FormatMetric(metrics[m], 0);
          const char* cls = neutral ? "" : d.mean > 0 ? " class=\"better\"" : " class=\"worse\"";
          // The mean, and under it the interval in small type: narrow columns.
          const std::string text = FormatDifference(metrics[m], d);
          const size_t bracket = text.find(" [");
          std::string cell = Escape(text.substr(0, bracket));
          if (bracket != std::string::npos) cell += "<br><small>" + Escape(text.substr(bracket + 1)) + "</small>";
          out += fmt::format("<td{}>{}</td>", cls, cell);
        }
        out += "</tr>";
      }
      out += "</tbody></table></div>";
    }
  } else {
    std::vector<std::string> names;
    std::vector<std::vector<double>> values;
    for (const auto& run : r.runs) {
      names.push_back(run.system);
      values.push_back(MetricsOf(*run.run));
    }
    out += "<div class=\"scroll\"><table class=\"summary\">" + header(names) + "<tbody>";
    for (size_t m = 0; m < metrics.size(); ++m) {
      out += "<tr><td>" + Escape(metrics[m].label) + "</td>";
      for (const auto& v : values) out += "<td>" + Escape(FormatMetric(metrics[m], v[m])) + "</td>";
      out += "</tr>";
    }
    out += "</tbody></table></div>";
  }
  return out;
}

}  // namespace

std::string RenderHtmlReport(const HtmlReport& r) {
  std::vector<RunData> data;
  double hours = 0;
  for (const auto& run : r.runs) {
    data.push_back(Reduce(*run.run));
    hours = std::max(hours, static_cast<double>(run.run->summary.duration) / model::kHour);
  }
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<title>" + Escape(r.title) + "</title><style>" + kStyle + "</style></head><body>\n";
  html += "<h1>" + Escape(r.title) + "</h1><p class=\"sub\">" + Escape(r.subtitle) + "</p>\n";
  html += "<h2>Summary</h2>" + SummaryTable(r);

  auto time_series = [&](const std::string& id, const std::string& title, const std::string& y_label,
                         auto value, bool step) {
    ChartSpec c{id, title, "time (h)", y_label, {}, false, step, false};
    for (size_t i = 0; i < r.runs.size(); ++i) {
      Series s{r.runs[i].system, {}, false, static_cast<int>(i)};
      for (const auto& row : r.runs[i].run->timeseries) s.points.emplace_back(row.minute / 60.0, value(row));
      c.series.push_back(std::move(s));
    }
    return RenderChart(c);
  };
  html += "<h2>Cost and capacity</h2>";
  html += time_series("cost-rate", "Cost rate of the nodes up", "$ per hour",
                      [](const sim::TimeseriesRow& row) { return row.cost_per_hour; }, false);
  {
    ChartSpec c{"gpu-allocation", "GPUs provisioned (solid) and requested by bound pods (dashed)", "time (h)", "GPUs",
                {}, false, true, false};
    for (size_t i = 0; i < r.runs.size(); ++i) {
      Series prov{r.runs[i].system + " provisioned", {}, false, static_cast<int>(i)};
      Series req{r.runs[i].system + " requested", {}, true, static_cast<int>(i)};
      for (const auto& row : r.runs[i].run->timeseries) {
        prov.points.emplace_back(row.minute / 60.0, static_cast<double>(row.gpus_provisioned));
        req.points.emplace_back(row.minute / 60.0, static_cast<double>(row.gpus_requested));
      }
      c.series.push_back(std::move(prov));
      c.series.push_back(std::move(req));
    }
    html += RenderChart(c);
  }
  html += "<h2>Nodes by instance type</h2>";
  for (size_t i = 0; i < r.runs.size(); ++i) {
    ChartSpec c{"nodes-by-type-" + r.runs[i].system, "Nodes by instance type — " + r.runs[i].system, "time (h)",
                "nodes", {}, true, false, false};
    for (size_t t = 0; t < data[i].types.size(); ++t) {
      Series s{data[i].types[t], {}, false, static_cast<int>(t)};
      for (size_t m = 0; m < data[i].nodes_by_type[t].size(); ++m) {
        s.points.emplace_back(static_cast<double>(m) / 60.0, data[i].nodes_by_type[t][m]);
      }
      c.series.push_back(std::move(s));
    }
    html += RenderChart(c);
  }
  html += "<h2>Pods</h2>";
  html += time_series("pending-pods", "Pending pods", "pods",
                      [](const sim::TimeseriesRow& row) { return static_cast<double>(row.pods_pending); }, true);
  {
    ChartSpec c{"time-to-running", "Time from pod creation to running (cumulative share of pods)",
                "time to running (s, log scale)", "share of pods", {}, false, false, true};
    for (size_t i = 0; i < r.runs.size(); ++i) {
      c.series.push_back(Series{r.runs[i].system, Cdf(data[i].ttr), false, static_cast<int>(i)});
    }
    html += RenderChart(c);
  }
  html += "<h2>Disruptions and interruptions</h2>";
  {
    std::vector<TimelineRow> rows;
    for (size_t i = 0; i < r.runs.size(); ++i) rows.push_back(TimelineRow{r.runs[i].system, data[i].marks});
    html += RenderTimeline("disruptions", "Disruptions and interruptions over time", "time (h)", hours, MarkKinds(),
                           rows);
  }
  if (!r.notes.empty()) {
    html += "<h2>How the systems were set up</h2><ul class=\"notes\">";
    for (const auto& n : r.notes) html += "<li>" + Escape(n) + "</li>";
    html += "</ul>";
  }
  html += "<p class=\"sub\">Generated by adze. Self-contained: no scripts, fonts or network requests.</p>";
  html += "</body></html>\n";
  return html;
}

Status WriteHtmlReport(const HtmlReport& report, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  out << RenderHtmlReport(report);
  out.close();
  if (!out) return Error::Internal("cannot write " + path);
  return OkStatus();
}

}  // namespace adze::report
