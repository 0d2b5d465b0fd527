#include "adapters/twin/kwok_cloud_provider.h"

#include <limits>
#include <utility>

#include "model/labels.h"

namespace adze::twin {
namespace {

constexpr std::string_view kPrefix = "kwok://";
constexpr model::Duration kUnavailableTtl = 3 * model::kMinute;  // Karpenter's ICE cache TTL

}  // namespace

KwokCloudProvider::KwokCloudProvider(const catalog::Catalog& catalog, ports::Clock& clock, NodeClassLookup node_classes,
                                     ClaimList claims)
    : catalog_(catalog), clock_(clock), node_classes_(std::move(node_classes)), claims_(std::move(claims)) {}

const std::vector<catalog::InstanceType>& KwokCloudProvider::Types(const std::string& node_class) {
  auto it = types_.find(node_class);
  if (it != types_.end()) return it->second;
  model::EC2NodeClass nc =
      node_classes_ ? node_classes_(node_class).value_or(model::EC2NodeClass{}) : model::EC2NodeClass{};
  return types_[node_class] = catalog::ResolveInstanceTypes(catalog_, nc, catalog::CapacityOptions{});
}

Result<catalog::InstanceTypes> KwokCloudProvider::GetInstanceTypes(const model::NodePool& pool) {
  const std::vector<catalog::InstanceType>& all = Types(pool.node_class_ref.name);
  model::Requirements reqs;
  for (const model::Requirement& r : pool.NodeRequirements().All()) {
    if (r.key() != model::label::kZone && r.key() != model::label::kZoneId && r.key() != model::label::kCapacityType) {
      reqs.Add(r);
    }
  }
  std::vector<catalog::InstanceType> out;
  model::Duration now = clock_.Now();
  for (const catalog::InstanceType& t : all) {
    if (reqs.Intersects(t.requirements).has_value()) continue;
    catalog::InstanceType copy = t;
    for (catalog::Offering& o : copy.offerings) {
      auto u = unavailable_until_.find({o.capacity_type, t.name, o.zone});
      if (u != unavailable_until_.end() && u->second > now) o.available = false;
    }
    out.push_back(std::move(copy));
  }
  return catalog::InstanceTypes(std::move(out));
}

void KwokCloudProvider::Create(const model::NodeClaim& claim, model::Duration deadline, ports::LaunchDone done) {
  (void)deadline;  // a KWOK launch is instant
  const std::vector<catalog::InstanceType>& all = Types(claim.node_class_ref.name);
  const catalog::InstanceType* best_type = nullptr;
  const catalog::Offering* best = nullptr;
  model::Duration now = clock_.Now();
  for (const catalog::InstanceType& t : all) {
    const model::Requirement* type_req = claim.requirements.Find(model::label::kInstanceType);
    if (type_req != nullptr && !type_req->Has(t.name)) continue;
    if (claim.requirements.Intersects(t.requirements).has_value()) continue;
    if (!model::ResourceList::Fits(claim.requests, t.Allocatable())) continue;
    for (const catalog::Offering& o : t.offerings) {
      if (!o.available) continue;
      auto u = unavailable_until_.find({o.capacity_type, t.name, o.zone});
      if (u != unavailable_until_.end() && u->second > now) continue;
      const model::Requirement* zone = claim.requirements.Find(model::label::kZone);
      const model::Requirement* ct = claim.requirements.Find(model::label::kCapacityType);
      if ((zone != nullptr && !zone->Has(o.zone)) || (ct != nullptr && !ct->Has(o.capacity_type))) continue;
      if (best == nullptr || o.price_per_hour < best->price_per_hour) {
        best = &o;
        best_type = &t;
      }
    }
  }
  Result<ports::Instance> result =
      Error::InsufficientCapacity("no offering of the catalog fits NodeClaim " + claim.meta.name);
  if (best != nullptr) {
    ports::Instance i;
    i.id = claim.meta.name;
    i.provider_id = std::string(kPrefix) + claim.meta.name;
    i.instance_type = best_type->name;
    i.zone = best->zone;
    i.capacity_type = best->capacity_type;
    i.price_per_hour = best->price_per_hour;
    i.launched_at = now;
    i.node_claim = claim.meta.name;
    auto pool = claim.meta.labels.find(model::label::kNodePool);
    if (pool != claim.meta.labels.end()) i.node_pool = pool->second;
    launched_[i.provider_id] = i;
    result = i;
  }
  // The answer comes later, on the controller thread (never inside Create).
  clock_.At(now, [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

Status KwokCloudProvider::Delete(const std::string& provider_id) {
  if (!Get(provider_id)) return Error::NotFound("instance " + provider_id + " not found");
  terminated_.insert(provider_id);
  launched_.erase(provider_id);
  return OkStatus();
}

std::optional<ports::Instance> KwokCloudProvider::Get(const std::string& provider_id) const {
  for (const ports::Instance& i : List()) {
    if (i.provider_id == provider_id) return i;
  }
  return std::nullopt;
}

std::vector<ports::Instance> KwokCloudProvider::List() const {
  std::map<std::string, ports::Instance> out = launched_;
  if (claims_) {
    for (const ports::NodeClaimInfo& c : claims_()) {
      const std::string& pid = c.claim.provider_id;
      if (pid.rfind(kPrefix, 0) != 0 || out.contains(pid)) continue;
      ports::Instance i;
      i.id = pid.substr(kPrefix.size());
      i.provider_id = pid;
      i.instance_type = c.instance_type;
      i.zone = c.zone;
      i.capacity_type = c.capacity_type;
      i.price_per_hour = c.price_per_hour;
      i.launched_at = c.launched_at.value_or(c.created_at);
      i.node_claim = c.claim.meta.name;
      i.node_pool = c.node_pool;
      out[pid] = i;
    }
  }
  std::vector<ports::Instance> list;
  for (auto& [pid, i] : out) {
    if (!terminated_.contains(pid)) list.push_back(std::move(i));
  }
  return list;
}

void KwokCloudProvider::MarkUnavailable(const ports::OfferingKey& key) {
  unavailable_until_[key] = clock_.Now() + kUnavailableTtl;
}

std::optional<std::string> KwokCloudProvider::IsDrifted(const model::NodeClaim&) const { return std::nullopt; }

}  // namespace adze::twin
