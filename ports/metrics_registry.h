// MetricsRegistry: an in-memory Metrics sink that keeps every series, and
// every observation of each histogram (so a run summary can compute exact
// percentiles). The simulator reads its summary from it.
// Thread-safety: none; one thread writes and reads.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ports/metrics.h"

namespace adze::ports {

class MetricsRegistry final : public Metrics {
 public:
  void Add(std::string_view counter, double delta, const MetricLabels& labels = {}) override;
  void Set(std::string_view gauge, double value, const MetricLabels& labels = {}) override;
  void Observe(std::string_view histogram, double value, const MetricLabels& labels = {}) override;

  // 0 for a series never written.
  double Counter(std::string_view name, const MetricLabels& labels = {}) const;
  double Gauge(std::string_view name, const MetricLabels& labels = {}) const;
  // The counter's series by the value of one label (e.g. reason → count).
  std::map<std::string, double> CounterBy(std::string_view name, const std::string& label) const;
  // Every observation, in the order made.
  const std::vector<double>& Observations(std::string_view name, const MetricLabels& labels = {}) const;

 private:
  using Key = std::pair<std::string, MetricLabels>;
  static Key KeyOf(std::string_view name, const MetricLabels& labels) { return {std::string(name), labels}; }

  std::map<Key, double> counters_;
  std::map<Key, double> gauges_;
  std::map<Key, std::vector<double>> histograms_;
};

}  // namespace adze::ports
