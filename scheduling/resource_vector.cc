#include "scheduling/resource_vector.h"

#include <algorithm>

namespace adze::scheduling {

ResourceSpace::ResourceSpace() {
  names_ = {std::string(model::resource::kCpu), std::string(model::resource::kMemory),
            std::string(model::resource::kPods)};
}

void ResourceSpace::AddNames(const model::ResourceList& list) {
  for (const auto& [name, q] : list) {
    if (std::find(names_.begin(), names_.end(), name) != names_.end()) continue;
    if (names_.size() < kMaxResources) names_.push_back(name);
  }
}

ResourceVector ResourceSpace::ToVector(const model::ResourceList& list) const {
  ResourceVector v;
  for (size_t i = 0; i < names_.size(); ++i) v[i] = list.Get(names_[i]).milli();
  return v;
}

model::ResourceList ResourceSpace::ToList(const ResourceVector& v) const {
  model::ResourceList out;
  for (size_t i = 0; i < names_.size(); ++i) {
    if (v[i] == 0) continue;
    bool binary = names_[i] == model::resource::kMemory || names_[i] == model::resource::kEphemeralStorage;
    out.Set(names_[i], model::Quantity::FromMilli(v[i], binary ? model::Quantity::Format::kBinarySI
                                                               : model::Quantity::Format::kDecimalSI));
  }
  return out;
}

}  // namespace adze::scheduling
