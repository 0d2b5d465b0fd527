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

ResourceList NodePool::RemainingLimits(const ResourceList& usage) const {
  ResourceList remaining;
  for (const auto& [name, limit] : limits) remaining.Set(name, limit - usage.Get(name));
  return remaining;
}

Requirements NodePool::NodeRequirements() const {
  Requirements out;
  for (const Requirement& r : requirements) out.Add(r);
  for (const auto& [key, value] : template_labels) out.Add(Requirement::In(key, {value}));
  return out;
}

}  // namespace adze::model
