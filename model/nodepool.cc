#include "model/nodepool.h"

namespace adze::model {

std::string_view DisruptionReasonName(DisruptionReason r) {
  switch (r) {
    case DisruptionReason::kUnderutilized: return "Underutilized";
    case DisruptionReason::kEmpty: return "Empty";
    case DisruptionReason::kDrifted: return "Drifted";
  }
  return "?";
}

}  // namespace adze::model
