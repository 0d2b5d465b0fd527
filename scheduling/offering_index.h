// OfferingIndex: the offerings of one solve with their zone and capacity type
// interned to bit positions, and OfferingFilter, the offerings a claim's
// requirements allow, resolved once per claim. Filtering a type's offerings
// by a claim's zone and capacity-type requirements is then a few bit tests
// instead of string compares (the solver's hottest path, spec §9 speed).
// Thread-safety: an index is filled once (Intern) and then only read; reads
// may run concurrently.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/instance_type.h"
#include "model/check.h"
#include "model/labels.h"
#include "model/requirements.h"

namespace adze::scheduling {

// Offerings with their zone and capacity type interned to bit positions, so
// filtering a type's offerings by a claim's zone and capacity-type
// requirements is a few bit tests instead of string compares.
struct CompactOffering {
  uint64_t zone_bit = 0;
  uint64_t capacity_type_bit = 0;
  double price = 0;
  const catalog::Offering* offering = nullptr;
};

class OfferingIndex {
 public:
  // REQUIRES: called for every offering before any Mask.
  void Intern(const catalog::Offering& o) {
    Bit(zones_, o.zone);
    Bit(capacity_types_, o.capacity_type);
  }
  CompactOffering Compact(const catalog::Offering& o) const {
    return {Bit(zones_, o.zone), Bit(capacity_types_, o.capacity_type), o.price_per_hour, &o};
  }
  // Bits of the names req allows (all when req is null).
  uint64_t ZoneMask(const model::Requirement* req) const { return Mask(zones_, req); }
  uint64_t CapacityTypeMask(const model::Requirement* req) const { return Mask(capacity_types_, req); }
  uint64_t ZoneBit(const std::string& zone) const { return Bit(zones_, zone); }
  uint64_t CapacityTypeBit(const std::string& ct) const { return Bit(capacity_types_, ct); }

 private:
  static uint64_t Bit(const std::vector<std::string>& names, const std::string& name) {
    auto it = std::find(names.begin(), names.end(), name);
    size_t i = static_cast<size_t>(it - names.begin());
    return i < 64 ? uint64_t{1} << i : 0;
  }
  static uint64_t Bit(std::vector<std::string>& names, const std::string& name) {
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      names.push_back(name);
      it = names.end() - 1;
    }
    size_t i = static_cast<size_t>(it - names.begin());
    ADZE_CHECK(i < 64);  // zones and capacity types of one region
    return uint64_t{1} << i;
  }
  static uint64_t Mask(const std::vector<std::string>& names, const model::Requirement* req) {
    uint64_t m = 0;
    for (size_t i = 0; i < names.size() && i < 64; ++i) {
      if (!req || req->Has(names[i])) m |= uint64_t{1} << i;
    }
    return m;
  }
  std::vector<std::string> zones_, capacity_types_;
};

// The offerings a claim's requirements allow, resolved once per claim.
struct OfferingFilter {
  OfferingFilter(const OfferingIndex& index, const model::Requirements& reqs)
      : zones(index.ZoneMask(reqs.Find(model::label::kZone))),
        capacity_types(index.CapacityTypeMask(reqs.Find(model::label::kCapacityType))),
        reservation(reqs.Find(model::label::kCapacityReservationId)) {}
  bool Allows(const CompactOffering& o) const {
    if (!(o.zone_bit & zones) || !(o.capacity_type_bit & capacity_types)) return false;
    return !reservation || o.offering->reservation_id.empty() || reservation->Has(o.offering->reservation_id);
  }
  // The cheapest usable allowed offering; nullopt when none.
  std::optional<double> Cheapest(const std::vector<CompactOffering>& offers) const {
    std::optional<double> best;
    for (const CompactOffering& o : offers) {
      if (!Allows(o)) continue;
      if (!best || o.price < *best) best = o.price;
    }
    return best;
  }
  uint64_t zones;
  uint64_t capacity_types;
  const model::Requirement* reservation;
};

}  // namespace adze::scheduling
