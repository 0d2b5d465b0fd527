// Comparison: the figures `adze compare` puts side by side for each system
// (adze and its baselines) and seed, and the paired differences to adze with
// a 95 % confidence interval over seeds (Student's t on the per-seed
// differences: every system sees the same workload and draws for a seed, so
// the seeds pair up).
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/simulation.h"

namespace adze::report {

struct MetricDef {
  std::string key;    // JSON name
  std::string label;  // for people
  std::string unit;   // "$", "h", "s", "" (a count)
};

// The compared figures, in table order: cost, GPU-hours provisioned / used /
// idle, time to running p50 / p95 / p99, pod-hours pending, pods never
// scheduled, spot interruptions, training GPU-hours lost, nodes launched.
const std::vector<MetricDef>& ComparedMetrics();

// One value per ComparedMetrics() entry. Pod-hours pending integrates the
// per-minute pending count of the time series.
std::vector<double> MetricsOf(const sim::RunResult& run);

struct Interval {
  double mean = 0;
  std::optional<double> low, high;  // absent with fewer than two seeds
};
// a[i] − b[i] over the seeds. REQUIRES: a.size() == b.size() > 0.
Interval PairedDifference(const std::vector<double>& a, const std::vector<double>& b);

struct Comparison {
  std::string scenario;
  std::vector<uint64_t> seeds;
  std::vector<std::string> systems;       // "adze" first
  std::vector<std::string> descriptions;  // per system
  // values[system][seed][metric]
  std::vector<std::vector<std::vector<double>>> values;
  std::vector<std::string> notes;  // how the baselines were built (node groups, fleet sizes)

  // Mean over seeds of one system's metric.
  double Mean(size_t system, size_t metric) const;
  // The system's metric minus adze's (system 0), paired by seed.
  Interval DifferenceToAdze(size_t system, size_t metric) const;
};

// Human-readable value: "$1,234.56", "12.3 h", "45.6 s", "17".
std::string FormatMetric(const MetricDef& m, double v);
std::string FormatDifference(const MetricDef& m, const Interval& d);

nlohmann::ordered_json ComparisonToJson(const Comparison& c);

}  // namespace adze::report
