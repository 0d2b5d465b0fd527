// PrometheusMetrics: the ports::Metrics sink of `adze controller`, rendered in
// the Prometheus text exposition format (version 0.0.4) for /metrics.
// Counters, gauges, and histograms with fixed buckets (no observation is
// kept). Series the operator writes under adze_ names are also exported under
// Karpenter's name where Karpenter has one (same labels), so dashboards built
// for Karpenter work: e.g. adze_nodeclaims_created_total is also
// karpenter_nodeclaims_created_total.
// Thread-safety: thread-safe (the operator writes, the HTTP thread renders).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ports/metrics.h"

namespace adze::kube {

class PrometheusMetrics final : public ports::Metrics {
 public:
  void Add(std::string_view counter, double delta, const ports::MetricLabels& labels = {}) override;
  void Set(std::string_view gauge, double value, const ports::MetricLabels& labels = {}) override;
  void Observe(std::string_view histogram, double value, const ports::MetricLabels& labels = {}) override;
  // Declares a metric with its help text, so it is exported (at 0) before its
  // first write.
  void Declare(const std::string& name, const std::string& type, const std::string& help);

  std::string Render() const;
  double Value(const std::string& name, const ports::MetricLabels& labels = {}) const;

  // Karpenter's name for an adze_ series, or "" (the table in the .cc).
  static std::string KarpenterName(std::string_view adze_name);

 private:
  struct Histogram {
    std::vector<uint64_t> counts;  // per bucket (cumulative on render)
    double sum = 0;
    uint64_t count = 0;
  };
  struct Family {
    std::string type;  // counter | gauge | histogram
    std::string help;
    std::map<ports::MetricLabels, double> values;
    std::map<ports::MetricLabels, Histogram> histograms;
  };
  void AddLocked(const std::string& name, double delta, const ports::MetricLabels& labels);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

}  // namespace adze::kube
