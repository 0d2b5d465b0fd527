#include "scheduling/predicates/offerings.h"

namespace adze::scheduling {

bool OfferingUsable(const catalog::Offering& o, const ReservationCounts* left) {
  if (!o.available) return false;
  if (o.capacity_type != model::label::kCapacityTypeReserved) return true;
  if (left) {
    auto it = left->find(o.reservation_id);
    return it != left->end() && it->second > 0;
  }
  return o.reservation_count > 0;
}

bool OfferingCompatible(const catalog::Offering& o, const model::Requirements& reqs) {
  const model::Requirement* zone = reqs.Find(model::label::kZone);
  if (zone && !zone->Has(o.zone)) return false;
  const model::Requirement* ct = reqs.Find(model::label::kCapacityType);
  if (ct && !ct->Has(o.capacity_type)) return false;
  if (!o.reservation_id.empty()) {
    const model::Requirement* id = reqs.Find(model::label::kCapacityReservationId);
    if (id && !id->Has(o.reservation_id)) return false;
  }
  return true;
}

std::optional<double> CheapestUsableOffering(const catalog::InstanceType& type, const model::Requirements& reqs,
                                             const ReservationCounts* left) {
  const model::Requirement* zone = reqs.Find(model::label::kZone);
  const model::Requirement* ct = reqs.Find(model::label::kCapacityType);
  std::optional<double> best;
  for (const catalog::Offering& o : type.offerings) {
    if (!OfferingUsable(o, left)) continue;
    if (zone && !zone->Has(o.zone)) continue;
    if (ct && !ct->Has(o.capacity_type)) continue;
    if (!o.reservation_id.empty() && !OfferingCompatible(o, reqs)) continue;
    if (!best || o.price_per_hour < *best) best = o.price_per_hour;
  }
  return best;
}

std::string OfferingGap(const catalog::InstanceType& type, const model::Requirements& reqs) {
  const model::Requirement zone = reqs.Get(model::label::kZone);
  const model::Requirement ct = reqs.Get(model::label::kCapacityType);
  bool any_available = false;
  for (const catalog::Offering& o : type.offerings) any_available |= OfferingUsable(o);
  if (!any_available) return "no available offering (unpriced, or marked unavailable)";
  return "no available offering for " + zone.ToString() + " and " + ct.ToString();
}

Verdict OfferingsPredicate::Check(const PodView&, const Candidate& c) const {
  if (!c.type || !c.offering_requirements) return Verdict::Pass();
  if (CheapestUsableOffering(*c.type, *c.offering_requirements)) return Verdict::Pass();
  return Verdict::Fail(c.explain ? OfferingGap(*c.type, *c.offering_requirements) : "");
}

}  // namespace adze::scheduling
