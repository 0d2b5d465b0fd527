#include "model/workloads.h"

#include <algorithm>
#include <cmath>

namespace adze::model {

namespace {

int32_t OfExpected(int32_t value, bool percent, int32_t expected) {
  return percent ? static_cast<int32_t>(std::ceil(value * expected / 100.0)) : value;
}

}  // namespace

bool PodDisruptionBudget::Selects(const Pod& pod) const {
  return meta.namespace_ == pod.meta.namespace_ && selector.Matches(pod.meta.labels);
}

int32_t PodDisruptionBudget::DisruptionsAllowed(int32_t expected, int32_t healthy) const {
  int32_t allowed = 0;
  if (min_available) {
    allowed = healthy - OfExpected(*min_available, min_available_percent, expected);
  } else if (max_unavailable) {
    allowed = OfExpected(*max_unavailable, max_unavailable_percent, expected) - (expected - healthy);
  }
  return std::max(0, allowed);
}

}  // namespace adze::model
