#include "controllers/arrival_sizing.h"

#include <algorithm>
#include <limits>

namespace adze::controllers {

void PoolArrivals::Record(const std::string& pool, model::Duration now, size_t pods) {
  if (pods > 0) arrivals_[pool].emplace_back(now, pods);
}

double PoolArrivals::Expected(const std::string& pool, model::Duration now, model::Duration horizon) {
  auto it = arrivals_.find(pool);
  if (it == arrivals_.end()) return 0;
  auto& seen = it->second;
  while (!seen.empty() && seen.front().first <= now - window_) seen.pop_front();
  size_t pods = 0;
  for (const auto& [at, n] : seen) pods += n;
  return static_cast<double>(pods) * static_cast<double>(horizon) / static_cast<double>(window_);
}

namespace {

bool Contains(const std::vector<std::string>& values, const std::string& v) {
  return values.empty() || std::find(values.begin(), values.end(), v) != values.end();
}

// The claim's cheapest offering of the type, within its zones and capacity types.
double PriceFor(const catalog::InstanceType& type, const scheduling::NewClaim& claim) {
  double best = std::numeric_limits<double>::infinity();
  for (const catalog::Offering& o : type.offerings) {
    if (o.available && Contains(claim.zones, o.zone) && Contains(claim.capacity_types, o.capacity_type)) {
      best = std::min(best, o.price_per_hour);
    }
  }
  return best;
}

}  // namespace

size_t SizeForArrivals(scheduling::NewClaim& claim, const std::vector<model::Pod>& pods, size_t expected) {
  if (expected == 0 || claim.pods.empty() || !claim.reservation_ids.empty()) return 0;
  model::ResourceList shape;
  for (size_t i : claim.pods) shape = model::ResourceList::Max(shape, pods[i].EffectiveRequests());
  const size_t own = claim.pods.size();
  auto served = [&](const catalog::InstanceType& type) {
    model::ResourceList room = type.Allocatable();
    room.Subtract(claim.requests);
    const size_t more = static_cast<size_t>(model::ResourceList::CopiesThatFit(shape, room, static_cast<int64_t>(expected)));
    return own + more;
  };
  const catalog::InstanceType* best = nullptr;
  double best_per_pod = std::numeric_limits<double>::infinity();
  size_t best_served = own;
  for (const catalog::InstanceType* type : claim.instance_types) {
    const double price = PriceFor(*type, claim);
    const size_t n = served(*type);
    const double per_pod = price / static_cast<double>(n);
    if (per_pod < best_per_pod) {
      best = type;
      best_per_pod = per_pod;
      best_served = n;
    }
  }
  if (best == nullptr || best == claim.instance_types.front()) return best_served - own;
  // Every type serving as many is at least as dear: the chosen one leads.
  std::erase_if(claim.instance_types, [&](const catalog::InstanceType* t) { return served(*t) < best_served; });
  claim.price_per_hour = PriceFor(*claim.instance_types.front(), claim);
  return best_served - own;
}

}  // namespace adze::controllers
