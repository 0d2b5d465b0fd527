#include "sim/ec2/simulated_ec2.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string_view>
#include <utility>

#include "model/labels.h"
#include "model/requirement.h"

namespace adze::sim {
namespace {

namespace label = model::label;
using catalog::InstanceType;
using catalog::Offering;
using model::Requirement;
using ports::OfferingKey;

const std::string kOnDemand(label::kCapacityTypeOnDemand);
const std::string kSpot(label::kCapacityTypeSpot);
const std::string kReserved(label::kCapacityTypeReserved);

// Spec §3.1: reserved offerings are priced so that they always sort first.
constexpr double kReservedPriceDivisor = 10'000'000;

// ASSUMPTION: the representative monthly interruption probability of each
// Spot Advisor band (<5, 5–10, 10–15, 15–20, >20 %): the band's midpoint, and
// 25 % for the open-ended top band. An unknown band reads as the top band.
constexpr double kBandMonthlyProbability[] = {0.025, 0.075, 0.125, 0.175, 0.25};
constexpr double kHoursPerMonth = 30 * 24;
// Interruption draws further out than this are not scheduled (a century).
constexpr double kMaxInterruptionHours = 100 * 365 * 24;

std::string KeyString(const OfferingKey& k) { return k.capacity_type + ":" + k.instance_type + ":" + k.zone; }

bool PatternMatches(std::string_view pattern, std::string_view value) {
  if (pattern.empty() || pattern == "*") return true;
  if (pattern.back() == '*') {
    pattern.remove_suffix(1);
    return value.substr(0, pattern.size()) == pattern;
  }
  return pattern == value;
}

// Karpenter's exotic filter (spec §3.2 step 3): accelerators and metal sizes.
bool IsExotic(const InstanceType& t) {
  for (std::string_view r : {model::resource::kNvidiaGpu, model::resource::kAmdGpu, model::resource::kHabanaGaudi,
                             model::resource::kNeuron}) {
    if (t.capacity.Get(r).milli() > 0) return true;
  }
  return t.info != nullptr && t.info->size.find("metal") != std::string::npos;
}

// Zone, zone-id and capacity-type list the values of the available offerings
// (catalog/instance_type.h); rebuilt when availability changes.
void RebuildOfferingRequirements(InstanceType& t) {
  model::Requirements r;
  for (const Requirement& q : t.requirements.All()) {
    const std::string& k = q.key();
    if (k == label::kZone || k == label::kZoneId || k == label::kCapacityType) continue;
    r.Add(q);
  }
  std::set<std::string> zones, zone_ids, capacity_types;
  for (const Offering& o : t.offerings) {
    if (!o.available) continue;
    zones.insert(o.zone);
    zone_ids.insert(o.zone_id);
    capacity_types.insert(o.capacity_type);
  }
  r.Add(Requirement::In(std::string(label::kZone), {zones.begin(), zones.end()}));
  if (!zone_ids.empty()) r.Add(Requirement::In(std::string(label::kZoneId), {zone_ids.begin(), zone_ids.end()}));
  r.Add(Requirement::In(std::string(label::kCapacityType), {capacity_types.begin(), capacity_types.end()}));
  t.requirements = std::move(r);
}

// FNV-1a over length-prefixed fields: a stable hash for drift.
class Hasher {
 public:
  Hasher& Add(std::string_view s) {
    AddU64(s.size());
    for (unsigned char c : s) Byte(c);
    return *this;
  }
  Hasher& AddU64(uint64_t v) {
    for (int i = 0; i < 8; ++i) Byte(static_cast<unsigned char>(v >> (8 * i)));
    return *this;
  }
  Hasher& AddBool(bool b) { return AddU64(b ? 1 : 0); }
  template <typename T>
  Hasher& AddOpt(const std::optional<T>& v) {
    AddBool(v.has_value());
    if (v) AddU64(static_cast<uint64_t>(*v));
    return *this;
  }
  Hasher& AddQuantity(const std::optional<model::Quantity>& q) {
    AddBool(q.has_value());
    if (q) AddU64(static_cast<uint64_t>(q->milli()));
    return *this;
  }
  Hasher& AddResources(const model::ResourceList& rl) {
    AddU64(rl.entries().size());
    for (const auto& [name, q] : rl) Add(name).AddU64(static_cast<uint64_t>(q.milli()));
    return *this;
  }
  Hasher& AddMap(const std::map<std::string, std::string>& m) {
    AddU64(m.size());
    for (const auto& [k, v] : m) Add(k).Add(v);
    return *this;
  }
  Hasher& AddTerms(const std::vector<model::SelectorTerm>& terms) {
    AddU64(terms.size());
    for (const model::SelectorTerm& t : terms) {
      AddMap(t.tags).Add(t.id).Add(t.name).Add(t.owner).Add(t.alias).Add(t.ssm_parameter);
    }
    return *this;
  }
  uint64_t value() const { return h_; }

 private:
  void Byte(unsigned char c) {
    h_ ^= c;
    h_ *= 0x100000001b3ULL;
  }
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

// The image the node class resolves to: a term's id, else an id derived from
// the terms (ASSUMPTION: one image per node class, for every type).
std::string ResolveImageId(const model::EC2NodeClass& nc) {
  for (const model::SelectorTerm& t : nc.ami_selector_terms) {
    if (!t.id.empty()) return t.id;
  }
  Hasher h;
  h.AddTerms(nc.ami_selector_terms).Add(model::AmiFamilyName(nc.EffectiveAmiFamily()));
  char buf[32];
  std::snprintf(buf, sizeof buf, "ami-%017" PRIx64, h.value() & uint64_t{0xfffffffffffffff});
  return buf;
}

// The static drift hash: the spec minus selector terms, with the AMI family
// in effect and the kubelet settings (spec §1.3).
uint64_t SpecHash(const model::EC2NodeClass& nc) {
  Hasher h;
  h.Add(model::AmiFamilyName(nc.EffectiveAmiFamily())).Add(nc.role).Add(nc.instance_profile).AddMap(nc.tags);
  h.AddOpt(nc.kubelet.max_pods).AddOpt(nc.kubelet.pods_per_core);
  h.AddResources(nc.kubelet.kube_reserved).AddResources(nc.kubelet.system_reserved);
  h.AddU64(nc.kubelet.eviction_hard.size());
  for (const auto& [signal, t] : nc.kubelet.eviction_hard) {
    h.Add(signal).AddQuantity(t.quantity).AddBool(t.percent.has_value());
    if (t.percent) h.AddU64(static_cast<uint64_t>(std::llround(*t.percent * 1e6)));
  }
  h.AddU64(nc.block_device_mappings.size());
  for (const model::BlockDeviceMapping& m : nc.block_device_mappings) {
    const model::EbsVolume& e = m.ebs;
    h.Add(m.device_name).AddBool(m.root_volume).AddQuantity(e.volume_size).Add(e.volume_type).AddOpt(e.iops);
    h.AddOpt(e.throughput).AddOpt(e.encrypted).Add(e.kms_key_id).AddOpt(e.delete_on_termination);
    h.Add(e.snapshot_id).AddOpt(e.volume_initialization_rate);
  }
  h.AddBool(nc.instance_store_raid0).Add(nc.user_data);
  return h.value();
}

// ASSUMPTION (see the header): reservations a node class may launch into.
bool ReservationSelected(const model::EC2NodeClass& nc, const std::string& reservation_id) {
  if (nc.capacity_reservation_selector_terms.empty()) return true;
  return std::any_of(
      nc.capacity_reservation_selector_terms.begin(), nc.capacity_reservation_selector_terms.end(),
      [&](const model::SelectorTerm& t) { return t.id.empty() || t.id == reservation_id; });
}

}  // namespace

SimulatedEc2::SimulatedEc2(const catalog::Catalog& catalog, const Ec2Options& options,
                           std::vector<model::EC2NodeClass> node_classes, catalog::CapacityOptions base,
                           EventQueue& events, uint64_t seed)
    : catalog_(catalog),
      options_(options),
      base_(std::move(base)),
      events_(events),
      seed_(seed),
      alive_(std::make_shared<bool>(true)) {
  for (model::EC2NodeClass& nc : node_classes) {
    std::string name = nc.meta.name;
    node_classes_.insert_or_assign(std::move(name), std::move(nc));
  }
  for (const CapacityReservation& r : options_.reservations) {
    reservations_.insert_or_assign(r.id, ReservationState{r, 0});
  }
}

const model::EC2NodeClass* SimulatedEc2::FindNodeClass(const std::string& name) const {
  auto it = node_classes_.find(name);
  return it == node_classes_.end() ? nullptr : &it->second;
}

int32_t SimulatedEc2::ConfiguredPoolSize(const OfferingKey& key) const {
  int32_t size = options_.default_pool_size;
  for (const CapacityPool& p : options_.pools) {  // later entries win
    if (PatternMatches(p.instance_type, key.instance_type) && (p.zone.empty() || p.zone == key.zone) &&
        (p.capacity_type.empty() || p.capacity_type == key.capacity_type)) {
      size = p.size;
    }
  }
  return size;
}

SimulatedEc2::PoolState& SimulatedEc2::Pool(const OfferingKey& key) {
  auto it = pools_.find(key);
  if (it == pools_.end()) it = pools_.emplace(key, PoolState{ConfiguredPoolSize(key), 0, 0}).first;
  return it->second;
}

bool SimulatedEc2::InIceCache(const PoolState& pool) const { return pool.unavailable_until > events_.Now(); }

SimulatedEc2::TypeCache* SimulatedEc2::Types(const std::string& node_class) {
  const model::EC2NodeClass* nc = FindNodeClass(node_class);
  if (nc == nullptr) return nullptr;
  auto it = type_caches_.find(node_class);
  if (it == type_caches_.end()) {
    ++counters_.type_resolutions;
    TypeCache cache;
    cache.resolution = counters_.type_resolutions;
    cache.types = catalog::ResolveInstanceTypes(catalog_, *nc, base_);
    cache.sources.resize(cache.types.size());
    for (size_t i = 0; i < cache.types.size(); ++i) {
      InstanceType& t = cache.types[i];
      std::vector<OfferingSource>& src = cache.sources[i];
      for (const Offering& o : t.offerings) {
        src.push_back(OfferingSource{o.available, &Pool(OfferingKey{o.capacity_type, t.name, o.zone}), nullptr});
      }
    }
    // Reserved offerings, one per reservation, in a zone the type is offered in.
    std::vector<bool> has_reserved(cache.types.size(), false);
    for (auto& [id, res] : reservations_) {
      if (!ReservationSelected(*nc, id)) continue;
      auto t_it = std::lower_bound(cache.types.begin(), cache.types.end(), res.spec.instance_type,
                                   [](const InstanceType& t, const std::string& name) { return t.name < name; });
      if (t_it == cache.types.end() || t_it->name != res.spec.instance_type) continue;
      const size_t i = static_cast<size_t>(t_it - cache.types.begin());
      InstanceType& t = *t_it;
      auto base = std::find_if(t.offerings.begin(), t.offerings.end(), [&](const Offering& o) {
        return o.zone == res.spec.zone && o.capacity_type == kOnDemand;
      });
      if (base == t.offerings.end()) continue;  // type not offered (or zone not allowed) there
      const bool priced = base->price_per_hour > 0;
      Offering o{base->zone, base->zone_id, kReserved, base->price_per_hour / kReservedPriceDivisor,
                 priced, id, res.spec.count};
      t.offerings.push_back(std::move(o));
      cache.sources[i].push_back(OfferingSource{priced, nullptr, &res});
      has_reserved[i] = true;
    }
    for (size_t i = 0; i < cache.types.size(); ++i) {
      if (!has_reserved[i]) continue;
      InstanceType& t = cache.types[i];
      std::vector<size_t> order(t.offerings.size());
      std::iota(order.begin(), order.end(), 0);
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const Offering& x = t.offerings[a];
        const Offering& y = t.offerings[b];
        return std::tie(x.zone, x.capacity_type, x.reservation_id) < std::tie(y.zone, y.capacity_type, y.reservation_id);
      });
      std::vector<Offering> offerings;
      std::vector<OfferingSource> sources;
      for (size_t j : order) {
        offerings.push_back(std::move(t.offerings[j]));
        sources.push_back(cache.sources[i][j]);
      }
      t.offerings = std::move(offerings);
      cache.sources[i] = std::move(sources);
      RebuildOfferingRequirements(t);
    }
    it = type_caches_.emplace(node_class, std::move(cache)).first;
  }
  Patch(it->second);
  return &it->second;
}

void SimulatedEc2::Patch(TypeCache& cache) {
  for (size_t i = 0; i < cache.types.size(); ++i) {
    InstanceType& t = cache.types[i];
    const std::vector<OfferingSource>& src = cache.sources[i];
    bool changed = false;
    for (size_t j = 0; j < t.offerings.size(); ++j) {
      Offering& o = t.offerings[j];
      const OfferingSource& s = src[j];
      bool available = s.base_available;
      if (s.reservation != nullptr) {
        const int32_t remaining = std::max(0, s.reservation->spec.count - s.reservation->used);
        o.reservation_count = remaining;
        available = available && remaining > 0;
      } else {
        const PoolState& p = *s.pool;
        available = available && p.size > 0 && !InIceCache(p) && (!reveal_full_pools_ || p.used < p.size);
      }
      if (available != o.available) {
        o.available = available;
        changed = true;
      }
    }
    if (changed) RebuildOfferingRequirements(t);
  }
}

Result<std::vector<InstanceType>> SimulatedEc2::GetInstanceTypes(const model::NodePool& pool) {
  TypeCache* cache = Types(pool.node_class_ref.name);
  if (cache == nullptr) {
    return Error::NotFound("NodePool " + pool.meta.name + ": EC2NodeClass \"" + pool.node_class_ref.name +
                           "\" not found");
  }
  PoolFilter& f = pool_filters_[pool.meta.name];
  if (f.resolution != cache->resolution || f.node_class != pool.node_class_ref.name ||
      f.requirements != pool.requirements || f.template_labels != pool.template_labels) {
    f.node_class = pool.node_class_ref.name;
    f.resolution = cache->resolution;
    f.requirements = pool.requirements;
    f.template_labels = pool.template_labels;
    f.types.clear();
    auto type_level = [](std::string_view key) {
      return key != label::kZone && key != label::kZoneId && key != label::kCapacityType;
    };
    model::Requirements reqs;
    for (const Requirement& r : pool.requirements) {
      if (type_level(r.key())) reqs.Add(r);
    }
    for (const auto& [key, value] : pool.template_labels) {
      if (type_level(key)) reqs.Add(Requirement::In(key, {value}));
    }
    for (size_t i = 0; i < cache->types.size(); ++i) {
      if (!reqs.Intersects(cache->types[i].requirements).has_value()) f.types.push_back(i);
    }
  }
  std::vector<InstanceType> out;
  out.reserve(f.types.size());
  for (size_t i : f.types) out.push_back(cache->types[i]);
  return out;
}

void SimulatedEc2::MarkUnavailable(const OfferingKey& key) {
  PoolState& p = Pool(key);
  p.unavailable_until = std::max(p.unavailable_until, events_.Now() + kUnavailableTtl);
}

bool SimulatedEc2::IsUnavailable(const OfferingKey& key) const {
  auto it = pools_.find(key);
  return it != pools_.end() && InIceCache(it->second);
}

int32_t SimulatedEc2::PoolUsed(const OfferingKey& key) const {
  auto it = pools_.find(key);
  return it == pools_.end() ? 0 : it->second.used;
}

int32_t SimulatedEc2::PoolSize(const OfferingKey& key) const {
  auto it = pools_.find(key);
  return it == pools_.end() ? ConfiguredPoolSize(key) : it->second.size;
}

std::optional<int32_t> SimulatedEc2::ReservationRemaining(const std::string& reservation_id) const {
  auto it = reservations_.find(reservation_id);
  if (it == reservations_.end()) return std::nullopt;
  return std::max(0, it->second.spec.count - it->second.used);
}

Result<ports::Instance> SimulatedEc2::Create(const model::NodeClaim& claim) {
  ++counters_.create_calls;
  const std::string& nc_name = claim.node_class_ref.name;
  const model::EC2NodeClass* nc = FindNodeClass(nc_name);
  TypeCache* cache = Types(nc_name);
  if (nc == nullptr || cache == nullptr) {
    return Error::NotFound("NodeClaim " + claim.meta.name + ": EC2NodeClass \"" + nc_name + "\" not found");
  }
  const model::Requirements& reqs = claim.requirements;
  const Requirement type_req = reqs.Get(label::kInstanceType);
  const Requirement zone_req = reqs.Get(label::kZone);
  const Requirement zone_id_req = reqs.Get(label::kZoneId);
  const Requirement ct_req = reqs.Get(label::kCapacityType);
  const Requirement reservation_req = reqs.Get(label::kCapacityReservationId);
  bool min_values = false;
  for (const Requirement& r : reqs.All()) min_values = min_values || r.min_values().has_value();

  // Spec §3.2 step 1: types whose allocatable fits the requests and that have
  // an available offering compatible with the claim.
  struct Candidate {
    size_t type;
    std::vector<size_t> offerings;
    double cheapest = 0;
  };
  std::vector<Candidate> candidates;
  bool launchable = false;
  for (size_t i = 0; i < cache->types.size(); ++i) {
    const InstanceType& t = cache->types[i];
    if (!type_req.Has(t.name)) continue;
    if (!model::ResourceList::Fits(claim.requests, t.Allocatable())) continue;
    launchable = true;
    if (reqs.Intersects(t.requirements).has_value()) continue;
    Candidate c{i, {}, 0};
    for (size_t j = 0; j < t.offerings.size(); ++j) {
      const Offering& o = t.offerings[j];
      if (!o.available || !zone_req.Has(o.zone) || !zone_id_req.Has(o.zone_id) || !ct_req.Has(o.capacity_type)) {
        continue;
      }
      if (o.capacity_type == kReserved && !reservation_req.Has(o.reservation_id)) continue;
      c.offerings.push_back(j);
    }
    if (!c.offerings.empty()) candidates.push_back(std::move(c));
  }
  if (!launchable) {
    return Error::InvalidArgument("NodeClaim " + claim.meta.name + " names no instance type EC2NodeClass \"" +
                                  nc_name + "\" can launch (" + type_req.ToString() + ")");
  }
  auto offering = [&](const Candidate& c, size_t j) -> const Offering& { return cache->types[c.type].offerings[j]; };

  // Step 3, the exotic filter: accelerated and metal types only when nothing
  // else fits (skipped with minValues).
  if (!min_values) {
    std::vector<Candidate> plain;
    for (const Candidate& c : candidates) {
      if (!IsExotic(cache->types[c.type])) plain.push_back(c);
    }
    if (!plain.empty()) candidates = std::move(plain);
  }
  // Step 4: with spot and on-demand both allowed, no spot offering dearer than
  // the cheapest on-demand one.
  if (!min_values && ct_req.Has(kSpot) && ct_req.Has(kOnDemand)) {
    std::optional<double> cheapest_od;
    for (const Candidate& c : candidates) {
      for (size_t j : c.offerings) {
        const Offering& o = offering(c, j);
        if (o.capacity_type == kOnDemand && (!cheapest_od || o.price_per_hour < *cheapest_od)) {
          cheapest_od = o.price_per_hour;
        }
      }
    }
    if (cheapest_od) {
      for (Candidate& c : candidates) {
        std::erase_if(c.offerings, [&](size_t j) {
          const Offering& o = offering(c, j);
          return o.capacity_type == kSpot && o.price_per_hour > *cheapest_od;
        });
      }
      std::erase_if(candidates, [](const Candidate& c) { return c.offerings.empty(); });
    }
  }
  // Step 5: cheapest first (ties by name), at most 60 types.
  for (Candidate& c : candidates) {
    c.cheapest = offering(c, c.offerings.front()).price_per_hour;
    for (size_t j : c.offerings) c.cheapest = std::min(c.cheapest, offering(c, j).price_per_hour);
  }
  std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.cheapest != b.cheapest) return a.cheapest < b.cheapest;
    return cache->types[a.type].name < cache->types[b.type].name;
  });
  if (candidates.size() > kMaxFleetTypes) candidates.resize(kMaxFleetTypes);

  // Spec §3.3: the first of reserved, spot, on-demand with an available offering.
  std::string capacity_type;
  for (const std::string* ct : {&kReserved, &kSpot, &kOnDemand}) {
    if (!ct_req.Has(*ct)) continue;
    for (const Candidate& c : candidates) {
      for (size_t j : c.offerings) {
        if (offering(c, j).capacity_type == *ct) capacity_type = *ct;
      }
    }
    if (!capacity_type.empty()) break;
  }
  if (capacity_type.empty()) {
    ++counters_.insufficient_capacity_failures;
    return Error::InsufficientCapacity("NodeClaim " + claim.meta.name +
                                       ": no available offering of a compatible instance type");
  }

  // Spec §3.4: one override per (type, zone) of the capacity type; reserved:
  // one reservation per type and zone, the one with most capacity left.
  struct Override {
    const InstanceType* type;
    const Offering* offering;
    const OfferingSource* source;
    int32_t spare = 0;
  };
  std::vector<Override> overrides;
  for (const Candidate& c : candidates) {
    for (size_t j : c.offerings) {
      const Offering& o = offering(c, j);
      if (o.capacity_type != capacity_type) continue;
      const OfferingSource& s = cache->sources[c.type][j];
      const int32_t spare = s.reservation != nullptr ? s.reservation->spec.count - s.reservation->used
                                                     : s.pool->size - s.pool->used;
      Override ov{&cache->types[c.type], &o, &s, std::max(0, spare)};
      if (capacity_type == kReserved) {
        auto same = std::find_if(overrides.begin(), overrides.end(), [&](const Override& x) {
          return x.type == ov.type && x.offering->zone == o.zone;
        });
        if (same != overrides.end()) {
          if (ov.spare > same->spare) *same = ov;
          continue;
        }
      }
      overrides.push_back(ov);
    }
  }
  auto by_price = [](const Override& a, const Override& b) {
    if (a.offering->price_per_hour != b.offering->price_per_hour) {
      return a.offering->price_per_hour < b.offering->price_per_hour;
    }
    if (a.type->name != b.type->name) return a.type->name < b.type->name;
    return a.offering->zone < b.offering->zone;
  };
  if (capacity_type == kSpot) {
    // ASSUMPTION (price-capacity-optimized): the deep pools are those with at
    // least half the largest spare capacity; the cheapest deep pool first,
    // then the other pools with spare capacity by price, full pools last.
    int32_t max_spare = 0;
    for (const Override& ov : overrides) max_spare = std::max(max_spare, ov.spare);
    const int32_t deep = (max_spare + 1) / 2;
    auto tier = [&](const Override& ov) { return ov.spare == 0 ? 2 : (ov.spare >= deep ? 0 : 1); };
    std::sort(overrides.begin(), overrides.end(), [&](const Override& a, const Override& b) {
      if (tier(a) != tier(b)) return tier(a) < tier(b);
      if (a.offering->price_per_hour != b.offering->price_per_hour) {
        return a.offering->price_per_hour < b.offering->price_per_hour;
      }
      if (a.spare != b.spare) return a.spare > b.spare;
      return by_price(a, b);
    });
  } else {
    std::sort(overrides.begin(), overrides.end(), by_price);  // lowest-price
  }

  std::vector<std::string> tried;
  for (const Override& ov : overrides) {
    const OfferingKey key{capacity_type, ov.type->name, ov.offering->zone};
    if (ov.source->reservation != nullptr) {
      const ReservationState& r = *ov.source->reservation;
      if (r.used < r.spec.count) return Launch(claim, *ov.type, *ov.offering, *nc);
      // Spec §3.5: reserved launches mark the reservation (its count), not the ICE cache.
      tried.push_back("ReservationCapacityExceeded " + KeyString(key) + " (" + r.spec.id + ")");
      continue;
    }
    if (ov.source->pool->used < ov.source->pool->size) return Launch(claim, *ov.type, *ov.offering, *nc);
    MarkUnavailable(key);
    ++counters_.insufficient_capacity_errors[key];
    ++counters_.insufficient_capacity_errors_total;
    tried.push_back("InsufficientInstanceCapacity " + KeyString(key));
  }
  ++counters_.insufficient_capacity_failures;
  std::string message = "NodeClaim " + claim.meta.name + ": no capacity for any override:";
  for (const std::string& t : tried) message += " " + t + ";";
  if (tried.empty()) message += " none";
  return Error::InsufficientCapacity(std::move(message));
}

ports::Instance SimulatedEc2::Launch(const model::NodeClaim& claim, const InstanceType& type, const Offering& offering,
                                     const model::EC2NodeClass& node_class) {
  const uint64_t seq = next_instance_++;
  char id[32];
  std::snprintf(id, sizeof id, "i-%017" PRIx64, seq);
  InstanceRecord rec;
  rec.seq = seq;
  ports::Instance& inst = rec.instance;
  inst.id = id;
  inst.provider_id = "aws:///" + offering.zone + "/" + inst.id;
  inst.instance_type = type.name;
  inst.zone = offering.zone;
  inst.capacity_type = offering.capacity_type;
  inst.reservation_id = offering.reservation_id;
  inst.image_id = ResolveImageId(node_class);
  inst.price_per_hour = offering.price_per_hour;
  inst.launched_at = events_.Now();
  inst.node_claim = claim.meta.name;
  if (auto it = claim.meta.labels.find(label::kNodePool); it != claim.meta.labels.end()) inst.node_pool = it->second;
  rec.node_class = node_class.meta.name;
  rec.hashes = DriftHashes{inst.image_id, Hasher().AddTerms(node_class.subnet_selector_terms).value(),
                           Hasher().AddTerms(node_class.security_group_selector_terms).value(), SpecHash(node_class)};
  rec.gpus = type.info != nullptr ? type.info->gpu_count : 0;

  if (offering.capacity_type == kReserved) {
    ++reservations_.at(offering.reservation_id).used;
  } else {
    ++Pool(OfferingKey{offering.capacity_type, type.name, offering.zone}).used;
  }
  ++counters_.launches;
  ++counters_.launches_by_capacity_type[offering.capacity_type];
  by_provider_id_.emplace(inst.provider_id, seq);
  running_.insert(seq);
  ports::Instance out = inst;
  instances_.emplace(seq, std::move(rec));
  if (offering.capacity_type == kSpot && options_.spot_interruptions) ScheduleSpotInterruption(seq, type);
  return out;
}

void SimulatedEc2::ScheduleSpotInterruption(uint64_t seq, const InstanceType& type) {
  const InstanceRecord& rec = instances_.at(seq);
  const std::string name = "ec2/spot/" + type.name + "/" + rec.instance.zone;
  auto it = spot_streams_.find(name);
  if (it == spot_streams_.end()) it = spot_streams_.emplace(name, ports::RandomStream(seed_, name)).first;
  ports::RandomStream& stream = it->second;
  // Two draws per launch, always, so a pool's stream advances the same way
  // whatever the multiplier.
  const double u_interrupt = stream.Uniform();
  const double u_lead = stream.Uniform();

  const std::optional<int32_t> band = type.info != nullptr ? type.info->spot_interruption_band : std::nullopt;
  const double p = band ? kBandMonthlyProbability[std::clamp<int32_t>(*band, 0, 4)] : kBandMonthlyProbability[4];
  const double rate_per_hour = -std::log1p(-p) / kHoursPerMonth * options_.spot_interruption_multiplier;
  if (!(rate_per_hour > 0)) return;
  const double hours = -std::log1p(-u_interrupt) / rate_per_hour;
  if (!(hours < kMaxInterruptionHours)) return;

  const Duration launched = rec.instance.launched_at;
  const Duration warning = launched + static_cast<Duration>(std::llround(hours * static_cast<double>(kHour)));
  const Duration lead = static_cast<Duration>(u_lead * static_cast<double>(kRebalanceLeadMax));
  const Duration rebalance = std::max(launched, warning - lead);

  std::weak_ptr<bool> alive = alive_;
  auto terminate = [this, alive, seq] {
    if (alive.expired()) return;
    InstanceRecord* r = FindRunning(seq);
    if (r == nullptr) return;
    Terminate(*r);
    ++counters_.spot_interruptions;
    Post(ports::InterruptionMessage::Kind::kInstanceTerminated, r->instance.id);
  };
  auto warn = [this, alive, seq, terminate] {
    if (alive.expired()) return;
    InstanceRecord* r = FindRunning(seq);
    if (r == nullptr) return;
    ++counters_.spot_interruption_warnings;
    Post(ports::InterruptionMessage::Kind::kSpotInterrupted, r->instance.id);
    events_.After(kSpotNotice, terminate);
  };
  events_.At(rebalance, [this, alive, seq, warning, warn] {
    if (alive.expired()) return;
    InstanceRecord* r = FindRunning(seq);
    if (r == nullptr) return;
    ++counters_.rebalance_recommendations;
    Post(ports::InterruptionMessage::Kind::kRebalanceRecommendation, r->instance.id);
    events_.At(warning, warn);
  });
}

SimulatedEc2::InstanceRecord* SimulatedEc2::FindRunning(uint64_t seq) {
  if (!running_.contains(seq)) return nullptr;
  return &instances_.at(seq);
}

void SimulatedEc2::Post(ports::InterruptionMessage::Kind kind, const std::string& instance_id) {
  messages_.push_back(ports::InterruptionMessage{kind, instance_id, events_.Now()});
}

std::vector<ports::InterruptionMessage> SimulatedEc2::Receive() {
  std::vector<ports::InterruptionMessage> out;
  out.swap(messages_);
  return out;
}

namespace {

// Adds one instance's cost and usage from its launch to end.
void Accrue(Ec2Bill& bill, const ports::Instance& inst, int32_t gpus, Duration end) {
  const Duration ran = std::max<Duration>(0, end - inst.launched_at);
  const Duration billed = std::max(ran, SimulatedEc2::kMinimumBilled);
  const int64_t billed_seconds = (billed + kSecond - 1) / kSecond;  // whole seconds, rounded up
  const double usd = inst.price_per_hour * static_cast<double>(billed_seconds) / 3600.0;
  const double hours = static_cast<double>(ran) / static_cast<double>(kHour);
  bill.total_usd += usd;
  bill.usd_by_capacity_type[inst.capacity_type] += usd;
  bill.instance_hours += hours;
  bill.instance_hours_by_capacity_type[inst.capacity_type] += hours;
  bill.gpu_hours += hours * gpus;
}

}  // namespace

void SimulatedEc2::Terminate(InstanceRecord& record) {
  ports::Instance& inst = record.instance;
  ADZE_CHECK(!inst.terminated);
  inst.terminated = true;
  record.terminated_at = events_.Now();
  running_.erase(record.seq);
  if (inst.capacity_type == kReserved) {
    --reservations_.at(inst.reservation_id).used;
  } else {
    --Pool(OfferingKey{inst.capacity_type, inst.instance_type, inst.zone}).used;
  }
  Accrue(closed_, inst, record.gpus, record.terminated_at);
  ++counters_.terminations;
}

Status SimulatedEc2::Delete(const std::string& provider_id) {
  auto it = by_provider_id_.find(provider_id);
  if (it == by_provider_id_.end()) return Error::NotFound("instance " + provider_id + " not found");
  InstanceRecord& rec = instances_.at(it->second);
  if (rec.instance.terminated) return Error::NotFound("instance " + provider_id + " already terminated");
  Terminate(rec);
  return OkStatus();
}

std::optional<ports::Instance> SimulatedEc2::Get(const std::string& provider_id) const {
  auto it = by_provider_id_.find(provider_id);
  if (it == by_provider_id_.end()) return std::nullopt;
  return instances_.at(it->second).instance;
}

std::vector<ports::Instance> SimulatedEc2::List() const {
  std::vector<ports::Instance> out;
  out.reserve(running_.size());
  for (uint64_t seq : running_) out.push_back(instances_.at(seq).instance);
  return out;
}

Ec2Bill SimulatedEc2::Bill() const {
  Ec2Bill bill = closed_;
  const Duration now = events_.Now();
  for (uint64_t seq : running_) {
    const InstanceRecord& rec = instances_.at(seq);
    Accrue(bill, rec.instance, rec.gpus, now);
  }
  return bill;
}

std::optional<std::string> SimulatedEc2::IsDrifted(const model::NodeClaim& claim) const {
  auto it = by_provider_id_.find(claim.provider_id);
  if (it == by_provider_id_.end()) return std::nullopt;
  const InstanceRecord& rec = instances_.at(it->second);
  if (rec.instance.terminated) return std::nullopt;
  const model::EC2NodeClass* nc = FindNodeClass(rec.node_class);
  if (nc == nullptr) return std::nullopt;
  // The order of Karpenter's AWS provider (pkg/cloudprovider/drift.go): the
  // static hash first, then AMI, security groups, subnets.
  if (SpecHash(*nc) != rec.hashes.spec) return "NodeClassDrift";
  if (ResolveImageId(*nc) != rec.hashes.image_id) return "AMIDrift";
  if (Hasher().AddTerms(nc->security_group_selector_terms).value() != rec.hashes.security_groups) {
    return "SecurityGroupDrift";
  }
  if (Hasher().AddTerms(nc->subnet_selector_terms).value() != rec.hashes.subnets) return "SubnetDrift";
  return std::nullopt;
}

void SimulatedEc2::UpdateNodeClass(const model::EC2NodeClass& node_class) {
  node_classes_.insert_or_assign(node_class.meta.name, node_class);
  type_caches_.erase(node_class.meta.name);
}

}  // namespace adze::sim
