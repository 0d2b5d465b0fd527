#include "controllers/arrival_sizing.h"

#include <algorithm>
#include <limits>

#include "catalog/instance_type.h"

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

size_t SizeForArrivals(scheduling::NewClaim& claim, const std::vector<model::Pod>& pods, size_t expected,
                       double fewer_nodes_premium) {
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
  struct Option {
    const catalog::InstanceType* type;
    size_t served;
    double per_pod;
  };
  std::vector<Option> options;
  options.reserve(claim.instance_types.size());
  double lowest = std::numeric_limits<double>::infinity();
  for (const catalog::InstanceType* type : claim.instance_types) {
    const size_t n = served(*type);
    options.push_back({type, n, PriceFor(*type, claim) / static_cast<double>(n)});
    lowest = std::min(lowest, options.back().per_pod);
  }
  if (options.empty()) return 0;
  // The first with the lowest price per pod served; with a premium on a GPU
  // claim, the first serving the most within it.
  const bool premium = fewer_nodes_premium > 0 && claim.instance_types.front()->HasAccelerators();
  const double limit = premium ? (1 + fewer_nodes_premium) * lowest : lowest;
  const Option* best = nullptr;
  for (const Option& o : options) {
    if (o.per_pod > limit) continue;
    if (best == nullptr || (premium ? o.served > best->served : o.per_pod < best->per_pod)) best = &o;
  }
  if (best == nullptr) return 0;
  const size_t best_served = best->served;
  if (best->type == claim.instance_types.front()) return best_served - own;
  // Every type serving as many is at least as dear: the chosen one leads.
  std::erase_if(claim.instance_types, [&](const catalog::InstanceType* t) { return served(*t) < best_served; });
  claim.price_per_hour = PriceFor(*claim.instance_types.front(), claim);
  return best_served - own;
}

}  // namespace adze::controllers
