// Offerings (spec §2.8c, §3.1): an instance type survives only with an
// available offering whose zone and capacity type the requirements allow.
// Offerings marked unavailable (the insufficient-capacity cache) and
// reserved offerings with no instances left do not count.
#pragma once

#include <map>
#include <optional>

#include "scheduling/predicates/predicate.h"

namespace adze::scheduling {

// Reservation id -> instances left in this solve.
using ReservationCounts = std::map<std::string, int32_t, std::less<>>;

class OfferingsPredicate final : public Predicate {
 public:
  std::string_view Name() const override { return "offerings"; }
  Verdict Check(const PodView& pod, const Candidate& c) const override;
};

// True when o can be launched: available and, if reserved, with an instance
// left (in `left` when given, else in o.reservation_count).
bool OfferingUsable(const catalog::Offering& o, const ReservationCounts* left = nullptr);

// True when o's zone and capacity type are allowed by reqs.
bool OfferingCompatible(const catalog::Offering& o, const model::Requirements& reqs);

// The cheapest usable compatible offering's price; nullopt when none.
std::optional<double> CheapestUsableOffering(const catalog::InstanceType& type, const model::Requirements& reqs,
                                             const ReservationCounts* left = nullptr);

// "no available offering for <zone req> and <capacity-type req>".
std::string OfferingGap(const catalog::InstanceType& type, const model::Requirements& reqs);

}  // namespace adze::scheduling
