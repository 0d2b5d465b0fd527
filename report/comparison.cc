#include "report/comparison.h"

#include <cmath>

#include <fmt/format.h>

namespace adze::report {

const std::vector<MetricDef>& ComparedMetrics() {
  static const std::vector<MetricDef> kMetrics = {
      {"cost_usd", "cost", "$"},
      {"gpu_hours_provisioned", "GPU-hours provisioned", "h"},
      {"gpu_hours_used", "GPU-hours used", "h"},
      {"gpu_hours_idle", "GPU-hours idle", "h"},
      {"time_to_running_p50_s", "time to running p50", "s"},
      {"time_to_running_p95_s", "time to running p95", "s"},
      {"time_to_running_p99_s", "time to running p99", "s"},
      // Without pods re-created after evictions, which restart quickly and
      // flatter an autoscaler that evicts more (sim/run_summary.h).
      {"arrivals_time_to_running_p95_s", "arrivals' time to running p95", "s"},
      {"pod_hours_pending", "pod-hours pending", "h"},
      {"pods_never_scheduled", "pods never scheduled", ""},
      {"spot_interruptions", "spot interruptions", ""},
      {"training_gpu_hours_lost", "training GPU-hours lost", "h"},
      {"nodes_launched", "nodes launched", ""},
  };
  return kMetrics;
}

std::vector<double> MetricsOf(const sim::RunResult& run) {
  const sim::RunSummary& s = run.summary;
  double pending_minutes = 0;
  for (const auto& row : run.timeseries) pending_minutes += static_cast<double>(row.pods_pending);
  return {s.cost_usd,
          s.gpu_hours_provisioned,
          s.gpu_hours_requested,
          std::max(0.0, s.gpu_hours_provisioned - s.gpu_hours_requested),
          s.time_to_running.p50,
          s.time_to_running.p95,
          s.time_to_running.p99,
          s.time_to_running_of_arrivals.p95,
          pending_minutes / 60.0,
          static_cast<double>(s.pods_never_scheduled),
          static_cast<double>(s.spot_interruption_warnings),
          s.training_gpu_hours_lost,
          static_cast<double>(s.nodes_launched)};
}

namespace {
// Two-sided 95 % Student t quantiles for 1..30 degrees of freedom.
double T975(size_t dof) {
  static const double kT[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                              2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                              2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  return dof >= 1 && dof <= 30 ? kT[dof - 1] : 1.960;
}
}  // namespace

Interval PairedDifference(const std::vector<double>& a, const std::vector<double>& b) {
  const size_t n = a.size();
  Interval out;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += a[i] - b[i];
  out.mean = sum / static_cast<double>(n);
  if (n < 2) return out;
  double ss = 0;
  for (size_t i = 0; i < n; ++i) ss += (a[i] - b[i] - out.mean) * (a[i] - b[i] - out.mean);
  const double half = T975(n - 1) * std::sqrt(ss / static_cast<double>(n - 1)) / std::sqrt(static_cast<double>(n));
  out.low = out.mean - half;
  out.high = out.mean + half;
  return out;
}

double Comparison::Mean(size_t system, size_t metric) const {
  double sum = 0;
  for (const auto& seed : values[system]) sum += seed[metric];
  return values[system].empty() ? 0 : sum / static_cast<double>(values[system].size());
}

Interval Comparison::DifferenceToAdze(size_t system, size_t metric) const {
  std::vector<double> a, b;
  for (size_t i = 0; i < seeds.size(); ++i) {
    a.push_back(values[system][i][metric]);
    b.push_back(values[0][i][metric]);
  }
  return PairedDifference(a, b);
}

std::string FormatMetric(const MetricDef& m, double v) {
  if (m.unit == "$") return fmt::format("${:.2f}", v);
  if (m.unit == "h") return fmt::format("{:.1f} h", v);
  if (m.unit == "s") return fmt::format("{:.1f} s", v);
  if (std::fabs(v - std::round(v)) < 1e-9) return fmt::format("{:.0f}", v);
  return fmt::format("{:.1f}", v);
}

std::string FormatDifference(const MetricDef& m, const Interval& d) {
  auto signed_value = [&](double v) {
    std::string s = FormatMetric(m, std::fabs(v));
    // What rounds to zero carries no sign ("0.0 s", not "-0.0 s").
    if (s == FormatMetric(m, 0)) return s;
    return (v < 0 ? "-" : "+") + s;
  };
  std::string out = signed_value(d.mean);
  if (d.low && d.high) out += " [" + signed_value(*d.low) + ", " + signed_value(*d.high) + "]";
  return out;
}

nlohmann::ordered_json ComparisonToJson(const Comparison& c) {
  nlohmann::ordered_json j;
  j["scenario"] = c.scenario;
  j["seeds"] = c.seeds;
  j["notes"] = c.notes;
  const auto& metrics = ComparedMetrics();
  nlohmann::ordered_json systems = nlohmann::ordered_json::array();
  for (size_t s = 0; s < c.systems.size(); ++s) {
    nlohmann::ordered_json sys;
    sys["name"] = c.systems[s];
    sys["description"] = c.descriptions[s];
    nlohmann::ordered_json mean, per_seed = nlohmann::ordered_json::array(), diff;
    for (size_t m = 0; m < metrics.size(); ++m) mean[metrics[m].key] = c.Mean(s, m);
    for (size_t i = 0; i < c.seeds.size(); ++i) {
      nlohmann::ordered_json row;
      row["seed"] = c.seeds[i];
      for (size_t m = 0; m < metrics.size(); ++m) row[metrics[m].key] = c.values[s][i][m];
      per_seed.push_back(row);
    }
    sys["mean"] = mean;
    sys["per_seed"] = per_seed;
    if (s > 0) {
      for (size_t m = 0; m < metrics.size(); ++m) {
        const Interval d = c.DifferenceToAdze(s, m);
        nlohmann::ordered_json dj;
        dj["mean"] = d.mean;
        if (d.low) dj["ci95_low"] = *d.low;
        if (d.high) dj["ci95_high"] = *d.high;
        diff[metrics[m].key] = dj;
      }
      sys["minus_adze"] = diff;
    }
    systems.push_back(sys);
  }
  j["systems"] = systems;
  return j;
}

}  // namespace adze::report
