#include "sim/run_summary.h"

#include <algorithm>
#include <cmath>

namespace adze::sim {

Percentiles ComputePercentiles(std::vector<double> seconds) {
  Percentiles p;
  if (seconds.empty()) return p;
  std::sort(seconds.begin(), seconds.end());
  p.count = static_cast<int64_t>(seconds.size());
  double sum = 0;
  for (double s : seconds) sum += s;
  p.mean = sum / static_cast<double>(seconds.size());
  auto rank = [&](double q) {
    const size_t i = static_cast<size_t>(std::ceil(q * static_cast<double>(seconds.size()))) - 1;
    return seconds[std::min(i, seconds.size() - 1)];
  };
  p.p50 = rank(0.50);
  p.p95 = rank(0.95);
  p.p99 = rank(0.99);
  p.max = seconds.back();
  return p;
}

}  // namespace adze::sim
