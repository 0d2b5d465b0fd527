// InstanceTypes: an immutable list of instance types that copies share.
//
// A cloud provider answers "which types may this pool launch" many times a
// second (every provisioning pass, every consolidation probe, every launch);
// the answer changes only when availability or the node class does. Handing
// out one shared list until then makes each answer cost a reference count
// instead of a catalog's worth of strings and offerings.
// Thread-safety: the list never changes once built, so copies may be read
// from any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "catalog/instance_type.h"

namespace adze::catalog {

class InstanceTypes {
 public:
  InstanceTypes() = default;
  // Implicit: a vector of values is a list (tests and `adze plan` build them so).
  InstanceTypes(std::vector<InstanceType> types)  // NOLINT: implicit by design
      : types_(std::make_shared<const std::vector<InstanceType>>(std::move(types))) {}

  using const_iterator = std::vector<InstanceType>::const_iterator;
  const_iterator begin() const { return all().begin(); }
  const_iterator end() const { return all().end(); }
  size_t size() const { return all().size(); }
  bool empty() const { return all().empty(); }
  const InstanceType& operator[](size_t i) const { return all()[i]; }
  const InstanceType& front() const { return all().front(); }
  const InstanceType& back() const { return all().back(); }
  const std::vector<InstanceType>& all() const { return types_ ? *types_ : Empty(); }

  // True when both are the same shared list (not merely equal values).
  bool SharesWith(const InstanceTypes& other) const { return types_ == other.types_; }

 private:
  static const std::vector<InstanceType>& Empty() {
    static const std::vector<InstanceType> empty;
    return empty;
  }
  std::shared_ptr<const std::vector<InstanceType>> types_;
};

}  // namespace adze::catalog
