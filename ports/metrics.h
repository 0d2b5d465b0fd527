// Metrics: the sink the operator and controllers write counters, gauges and
// histograms to (names and labels follow Karpenter's where one exists, e.g.
// karpenter_nodeclaims_created_total). The simulator's summary reads an
// in-memory sink (ports/metrics_registry.h); `adze controller` will serve
// the same values on /metrics.
// Thread-safety: implementations say; controllers call from one thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace adze::ports {

// Label name → value; ordered so that a series has one spelling.
using MetricLabels = std::map<std::string, std::string>;

class Metrics {
 public:
  virtual ~Metrics() = default;
  // Adds `delta` (>= 0) to a counter.
  virtual void Add(std::string_view counter, double delta, const MetricLabels& labels = {}) = 0;
  virtual void Set(std::string_view gauge, double value, const MetricLabels& labels = {}) = 0;
  // Records one observation of a histogram (e.g. a decision time in seconds).
  virtual void Observe(std::string_view histogram, double value, const MetricLabels& labels = {}) = 0;
};

}  // namespace adze::ports
