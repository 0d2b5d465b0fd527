#include "ports/metrics_registry.h"

namespace adze::ports {

void MetricsRegistry::Add(std::string_view counter, double delta, const MetricLabels& labels) {
  counters_[KeyOf(counter, labels)] += delta;
}

void MetricsRegistry::Set(std::string_view gauge, double value, const MetricLabels& labels) {
  gauges_[KeyOf(gauge, labels)] = value;
}

void MetricsRegistry::Observe(std::string_view histogram, double value, const MetricLabels& labels) {
  histograms_[KeyOf(histogram, labels)].push_back(value);
}

double MetricsRegistry::Counter(std::string_view name, const MetricLabels& labels) const {
  auto it = counters_.find(KeyOf(name, labels));
  return it == counters_.end() ? 0 : it->second;
}

double MetricsRegistry::Gauge(std::string_view name, const MetricLabels& labels) const {
  auto it = gauges_.find(KeyOf(name, labels));
  return it == gauges_.end() ? 0 : it->second;
}

std::map<std::string, double> MetricsRegistry::CounterBy(std::string_view name, const std::string& label) const {
  std::map<std::string, double> by;
  for (const auto& [key, value] : counters_) {
    if (key.first != name) continue;
    auto it = key.second.find(label);
    by[it == key.second.end() ? std::string() : it->second] += value;
  }
  return by;
}

const std::vector<double>& MetricsRegistry::Observations(std::string_view name, const MetricLabels& labels) const {
  static const std::vector<double> kNone;
  auto it = histograms_.find(KeyOf(name, labels));
  return it == histograms_.end() ? kNone : it->second;
}

}  // namespace adze::ports
