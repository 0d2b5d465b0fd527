// Admission: what the twin checks before it stores an object — the same
// validation adze applies to the object in a manifest file (model/codec's
// decoders, Karpenter's CRD and webhook rules for NodePool and EC2NodeClass)
// — so a bad object is refused with 422 Invalid and the field at fault, as a
// real API server with Karpenter's CRDs installed would.
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "adapters/twin/resource_table.h"

namespace adze::twin {

struct AdmissionError {
  std::string field;    // "spec.template.spec.requirements[0].operator"
  std::string message;  // what was wrong
};

// nullopt when the object is acceptable.
std::optional<AdmissionError> Admit(const ResourceType& type, const nlohmann::json& object);

}  // namespace adze::twin
