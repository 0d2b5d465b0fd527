#include "providers/aws/aws_cloud_provider.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string_view>
#include <utility>

#include "model/labels.h"
#include "model/requirement.h"
#include "providers/aws/errors.h"
#include "providers/aws/node_class_hash.h"

namespace adze::providers::aws {
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

// Tags Karpenter puts on what it launches (spec §3.4).
constexpr std::string_view kTagNodePool = "karpenter.sh/nodepool";
constexpr std::string_view kTagNodeClaim = "karpenter.sh/nodeclaim";
constexpr std::string_view kTagNodeClass = "karpenter.k8s.aws/ec2nodeclass";
constexpr std::string_view kTagNodeClassHash = "karpenter.k8s.aws/ec2nodeclass-hash";

std::string KeyString(const OfferingKey& k) { return k.capacity_type + ":" + k.instance_type + ":" + k.zone; }

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

// ASSUMPTION (see the header): reservations a node class may launch into.
bool ReservationSelected(const model::EC2NodeClass& nc, const std::string& reservation_id) {
  if (nc.capacity_reservation_selector_terms.empty()) return true;
  return std::any_of(
      nc.capacity_reservation_selector_terms.begin(), nc.capacity_reservation_selector_terms.end(),
      [&](const model::SelectorTerm& t) { return t.id.empty() || t.id == reservation_id; });
}

// The SSM parameter an EKS AMI alias (family@version) resolves through.
std::string AliasParameter(const std::string& alias) {
  const size_t at = alias.find('@');
  const std::string family = alias.substr(0, at);
  const std::string version = at == std::string::npos ? "latest" : alias.substr(at + 1);
  return "/aws/service/eks/optimized-ami/" + family + "/" + version + "/image_id";
}

std::string InstanceIdOf(const std::string& provider_id) {
  const size_t slash = provider_id.rfind('/');
  return slash == std::string::npos ? provider_id : provider_id.substr(slash + 1);
}

}  // namespace

AwsCloudProvider::AwsCloudProvider(Ec2Api& ec2, const ports::Clock& clock, Post post,
                                   std::vector<model::EC2NodeClass> node_classes, catalog::CapacityOptions base,
                                   AwsProviderOptions options)
    : ec2_(ec2),
      clock_(clock),
      post_(std::move(post)),
      base_(std::move(base)),
      options_(std::move(options)),
      alive_(std::make_shared<bool>(true)) {
  for (model::EC2NodeClass& nc : node_classes) {
    std::string name = nc.meta.name;
    node_classes_.insert_or_assign(std::move(name), std::move(nc));
  }
}

const model::EC2NodeClass* AwsCloudProvider::FindNodeClass(const std::string& name) const {
  auto it = node_classes_.find(name);
  return it == node_classes_.end() ? nullptr : &it->second;
}

Result<const AwsCloudProvider::Catalog*> AwsCloudProvider::LoadCatalog() {
  if (catalog_) return &*catalog_;
  auto types = ec2_.DescribeInstanceTypes();
  if (!types.IsSuccess()) return ToError(types.GetError());
  auto offerings = ec2_.DescribeInstanceTypeOfferings();
  if (!offerings.IsSuccess()) return ToError(offerings.GetError());
  auto spot = ec2_.DescribeSpotPriceHistory();
  if (!spot.IsSuccess()) return ToError(spot.GetError());
  auto od = ec2_.GetOnDemandPrices();
  if (!od.IsSuccess()) return ToError(od.GetError());
  Catalog c;
  c.infos = std::make_shared<const std::vector<catalog::InstanceTypeInfo>>(
      std::move(std::move(types).GetResult().instance_types));
  for (const InstanceTypeOffering& o : offerings.GetResult().offerings) c.offered.emplace(o.instance_type, o.location);
  for (const SpotPrice& p : spot.GetResult().prices) c.spot_prices[{p.instance_type, p.availability_zone}] = p.spot_price;
  c.od_prices = od.GetResult().usd_per_hour;
  catalog_ = std::move(c);
  return &*catalog_;
}

Result<const AwsCloudProvider::NodeClassView*> AwsCloudProvider::View(const std::string& name) const {
  if (auto it = views_.find(name); it != views_.end()) return &it->second;
  const model::EC2NodeClass* nc = FindNodeClass(name);
  if (nc == nullptr) return Error::NotFound("EC2NodeClass \"" + name + "\" not found");
  NodeClassView v;
  v.static_hash = StaticHash(*nc);
  v.static_hash_tag = std::to_string(v.static_hash);
  // Images: aliases and SSM parameters through SSM, the rest through DescribeImages.
  std::vector<Image> images;
  SelectorTerms describe;
  for (const model::SelectorTerm& t : nc->ami_selector_terms) {
    if (t.alias.empty() && t.ssm_parameter.empty()) {
      describe.push_back(t);
      continue;
    }
    auto p = ec2_.GetParameter(t.alias.empty() ? t.ssm_parameter : AliasParameter(t.alias));
    if (!p.IsSuccess()) return ToError(p.GetError());
    images.push_back(Image{p.GetResult().value, "", "", ""});
  }
  if (!describe.empty()) {
    auto r = ec2_.DescribeImages(DescribeImagesRequest{describe});
    if (!r.IsSuccess()) return ToError(r.GetError());
    for (const Image& i : r.GetResult().images) images.push_back(i);
  }
  // Newest first; equal dates in the order the terms name them.
  std::stable_sort(images.begin(), images.end(),
                   [](const Image& a, const Image& b) { return a.creation_date > b.creation_date; });
  for (const Image& i : images) v.image_ids.push_back(i.image_id);

  auto subnets = ec2_.DescribeSubnets(nc->subnet_selector_terms);
  if (!subnets.IsSuccess()) return ToError(subnets.GetError());
  std::map<std::string, int32_t> free_ips;
  for (const Subnet& s : subnets.GetResult().subnets) {
    v.subnet_ids.insert(s.subnet_id);
    auto it = free_ips.find(s.availability_zone);
    if (it == free_ips.end() || s.available_ip_address_count > it->second ||
        (s.available_ip_address_count == it->second && s.subnet_id < v.subnet_by_zone[s.availability_zone])) {
      free_ips[s.availability_zone] = s.available_ip_address_count;
      v.subnet_by_zone[s.availability_zone] = s.subnet_id;
    }
  }
  auto groups = ec2_.DescribeSecurityGroups(nc->security_group_selector_terms);
  if (!groups.IsSuccess()) return ToError(groups.GetError());
  for (const SecurityGroup& g : groups.GetResult().security_groups) v.security_group_ids.push_back(g.group_id);
  std::sort(v.security_group_ids.begin(), v.security_group_ids.end());
  return &views_.emplace(name, std::move(v)).first->second;
}

Result<AwsCloudProvider::TypeCache*> AwsCloudProvider::Types(const std::string& name) {
  const model::EC2NodeClass* nc = FindNodeClass(name);
  if (nc == nullptr) return Error::NotFound("EC2NodeClass \"" + name + "\" not found");
  auto it = type_caches_.find(name);
  if (it == type_caches_.end()) {
    auto cat = LoadCatalog();
    if (!cat.ok()) return cat.error();
    auto view = View(name);
    if (!view.ok()) return view.error();
    auto reservations = ec2_.DescribeCapacityReservations();
    if (!reservations.IsSuccess()) return ToError(reservations.GetError());
    const Catalog& c = **cat;
    ++counters_.type_resolutions;
    TypeCache cache;
    cache.resolution = counters_.type_resolutions;
    for (const catalog::InstanceTypeInfo& info : *c.infos) {
      if (!info.in_latest_ec2_snapshot && !base_.include_retired) continue;
      cache.types.push_back(catalog::ResolveInstanceType(info, *nc, base_));
    }
    std::sort(cache.types.begin(), cache.types.end(),
              [](const InstanceType& a, const InstanceType& b) { return a.name < b.name; });
    cache.sources.resize(cache.types.size());
    for (size_t i = 0; i < cache.types.size(); ++i) {
      InstanceType& t = cache.types[i];
      for (Offering& o : t.offerings) {
        // Spot needs a spot market (a price); on-demand needs the type
        // offered in the zone and a price. Both need a subnet in the zone.
        // The prices come from the price calls, not from the row: a row
        // DescribeInstanceTypes answered over HTTP carries none.
        bool offered = (*view)->subnet_by_zone.contains(o.zone);
        if (o.capacity_type == kSpot) {
          auto p = c.spot_prices.find({t.name, o.zone});
          offered = offered && p != c.spot_prices.end();
          if (p != c.spot_prices.end()) o.price_per_hour = p->second;
        } else {
          auto p = c.od_prices.find(t.name);
          offered = offered && p != c.od_prices.end() && c.offered.contains({t.name, o.zone});
          if (p != c.od_prices.end()) o.price_per_hour = p->second;
        }
        cache.sources[i].push_back(OfferingSource{offered, ""});
      }
    }
    // Reserved offerings, one per reservation, in a zone the type is offered in.
    std::vector<bool> has_reserved(cache.types.size(), false);
    for (const CapacityReservation& res : reservations.GetResult().capacity_reservations) {
      if (!ReservationSelected(*nc, res.capacity_reservation_id)) continue;
      auto t_it = std::lower_bound(cache.types.begin(), cache.types.end(), res.instance_type,
                                   [](const InstanceType& t, const std::string& n) { return t.name < n; });
      if (t_it == cache.types.end() || t_it->name != res.instance_type) continue;
      const size_t i = static_cast<size_t>(t_it - cache.types.begin());
      InstanceType& t = *t_it;
      auto base = std::find_if(t.offerings.begin(), t.offerings.end(), [&](const Offering& o) {
        return o.zone == res.availability_zone && o.capacity_type == kOnDemand;
      });
      if (base == t.offerings.end()) continue;  // type not offered (or zone not allowed) there
      const bool priced = base->price_per_hour > 0;
      Offering o{base->zone, base->zone_id, kReserved, base->price_per_hour / kReservedPriceDivisor,
                 priced, res.capacity_reservation_id, res.available_instance_count};
      t.offerings.push_back(std::move(o));
      cache.sources[i].push_back(OfferingSource{priced, res.capacity_reservation_id});
      cache.reservation_remaining[res.capacity_reservation_id] = res.available_instance_count;
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
    it = type_caches_.emplace(name, std::move(cache)).first;
  } else if (!it->second.reservation_remaining.empty()) {
    // Reservation counts move with every launch and termination.
    auto reservations = ec2_.DescribeCapacityReservations();
    if (!reservations.IsSuccess()) return ToError(reservations.GetError());
    for (const CapacityReservation& res : reservations.GetResult().capacity_reservations) {
      auto r = it->second.reservation_remaining.find(res.capacity_reservation_id);
      if (r != it->second.reservation_remaining.end()) r->second = res.available_instance_count;
    }
  }
  Patch(it->second);
  return &it->second;
}

bool AwsCloudProvider::InIceCache(const OfferingKey& key) const {
  auto it = unavailable_until_.find(key);
  return it != unavailable_until_.end() && it->second > clock_.Now();
}

void AwsCloudProvider::Patch(TypeCache& cache) {
  // Without reservations, availability moves only when the ICE cache gains
  // an entry or one expires: until then the last patch still holds.
  const model::Duration now = clock_.Now();
  if (cache.reservation_remaining.empty() && cache.patched_at_ice_change == ice_changes_ && now < cache.patch_valid_until) {
    return;
  }
  cache.patched_at_ice_change = ice_changes_;
  cache.patch_valid_until = std::numeric_limits<model::Duration>::max();
  for (const auto& [key, until] : unavailable_until_) {
    if (until > now) cache.patch_valid_until = std::min(cache.patch_valid_until, until);
  }
  for (size_t i = 0; i < cache.types.size(); ++i) {
    InstanceType& t = cache.types[i];
    const std::vector<OfferingSource>& src = cache.sources[i];
    bool changed = false;
    for (size_t j = 0; j < t.offerings.size(); ++j) {
      Offering& o = t.offerings[j];
      const OfferingSource& s = src[j];
      bool available = s.base_available;
      if (!s.reservation_id.empty()) {
        const int32_t remaining = std::max(0, cache.reservation_remaining.at(s.reservation_id));
        if (o.reservation_count != remaining) ++cache.availability;
        o.reservation_count = remaining;
        available = available && remaining > 0;
      } else {
        available = available && !InIceCache(OfferingKey{o.capacity_type, t.name, o.zone});
      }
      if (available != o.available) {
        o.available = available;
        changed = true;
      }
    }
    if (changed) {
      RebuildOfferingRequirements(t);
      ++cache.availability;
    }
  }
}

Result<catalog::InstanceTypes> AwsCloudProvider::GetInstanceTypes(const model::NodePool& pool) {
  auto types = Types(pool.node_class_ref.name);
  if (!types.ok()) {
    if (types.error().code != ErrorCode::kNotFound) return types.error();
    return Error::NotFound("NodePool " + pool.meta.name + ": EC2NodeClass \"" + pool.node_class_ref.name +
                           "\" not found");
  }
  TypeCache* cache = *types;
  PoolFilter& f = pool_filters_[pool.meta.name];
  if (f.resolution != cache->resolution || f.node_class != pool.node_class_ref.name ||
      f.requirements != pool.requirements || f.template_labels != pool.template_labels) {
    f.node_class = pool.node_class_ref.name;
    f.resolution = cache->resolution;
    f.requirements = pool.requirements;
    f.template_labels = pool.template_labels;
    f.types.clear();
    f.availability = ~uint64_t{0};
    auto type_level = [](std::string_view key) {
      return key != label::kZone && key != label::kZoneId && key != label::kCapacityType;
    };
    model::Requirements reqs;
    for (const Requirement& r : pool.NodeRequirements().All()) {
      if (type_level(r.key())) reqs.Add(r);
    }
    for (size_t i = 0; i < cache->types.size(); ++i) {
      if (!reqs.Intersects(cache->types[i].requirements).has_value()) f.types.push_back(i);
    }
  }
  if (f.availability != cache->availability) {
    std::vector<InstanceType> out;
    out.reserve(f.types.size());
    for (size_t i : f.types) out.push_back(cache->types[i]);
    f.answer = std::move(out);
    f.availability = cache->availability;
  }
  return f.answer;
}

void AwsCloudProvider::MarkUnavailable(const OfferingKey& key) {
  model::Duration& until = unavailable_until_[key];
  until = std::max(until, clock_.Now() + options_.unavailable_ttl);
  ++ice_changes_;
}

bool AwsCloudProvider::IsUnavailable(const OfferingKey& key) const { return InIceCache(key); }

void AwsCloudProvider::Fail(ports::LaunchDone done, Error error) {
  post_([done = std::move(done), error = std::move(error)]() mutable { done(std::move(error)); });
}

Result<std::string> AwsCloudProvider::LaunchTemplate(const model::EC2NodeClass& nc, const NodeClassView& view) {
  const std::string image = view.image_ids.empty() ? "" : view.image_ids.front();
  Hasher h;
  h.AddU64(view.static_hash).Add(image);
  for (const std::string& g : view.security_group_ids) h.Add(g);
  const std::string name = "karpenter.k8s.aws/" + std::to_string(h.value());
  if (launch_templates_.contains(name)) return name;
  CreateLaunchTemplateRequest req{name, image, view.security_group_ids, nc.user_data,
                                  Tags{{std::string(kTagNodeClass), nc.meta.name}}, nc.block_device_mappings};
  auto r = ec2_.CreateLaunchTemplate(req);
  if (!r.IsSuccess() && r.GetError().code != "InvalidLaunchTemplateName.AlreadyExistsException") {
    return ToError(r.GetError());
  }
  ++counters_.launch_templates_created;
  launch_templates_.insert(name);
  return name;
}

void AwsCloudProvider::Create(const model::NodeClaim& claim, model::Duration deadline, ports::LaunchDone done) {
  ++counters_.create_calls;
  const std::string& nc_name = claim.node_class_ref.name;
  const model::EC2NodeClass* nc = FindNodeClass(nc_name);
  auto types = Types(nc_name);
  if (nc == nullptr || !types.ok()) {
    if (nc != nullptr) return Fail(std::move(done), types.error());
    return Fail(std::move(done),
                Error::NotFound("NodeClaim " + claim.meta.name + ": EC2NodeClass \"" + nc_name + "\" not found"));
  }
  TypeCache* cache = *types;
  auto view = View(nc_name);
  if (!view.ok()) return Fail(std::move(done), view.error());
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
    return Fail(std::move(done),
                Error::InvalidArgument("NodeClaim " + claim.meta.name + " names no instance type EC2NodeClass \"" +
                                       nc_name + "\" can launch (" + type_req.ToString() + ")"));
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
  if (candidates.size() > options_.max_fleet_types) candidates.resize(options_.max_fleet_types);

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
    return Fail(std::move(done), Error::InsufficientCapacity("NodeClaim " + claim.meta.name +
                                                             ": no available offering of a compatible instance type"));
  }
  if (clock_.Now() > deadline) {
    return Fail(std::move(done), Error::DeadlineExceeded("NodeClaim " + claim.meta.name + ": deadline passed"));
  }
  auto lt = LaunchTemplate(*nc, **view);
  if (!lt.ok()) return Fail(std::move(done), lt.error());

  // Spec §3.4: one override per (type, zone) of the capacity type, Priority =
  // price; reserved: one reservation per type and zone, the one with most
  // capacity left.
  CreateFleetRequest request;
  request.launch_template_name = *lt;
  request.default_target_capacity_type = capacity_type == kSpot ? kSpot : kOnDemand;  // default ODCRs: on-demand
  request.allocation_strategy = capacity_type == kSpot ? "price-capacity-optimized" : "lowest-price";
  request.total_target_capacity = 1;
  request.deadline = deadline;
  request.tags = {{"kubernetes.io/cluster/" + options_.cluster_name, "owned"},
                  {std::string(kTagNodeClaim), claim.meta.name},
                  {std::string(kTagNodeClass), nc_name},
                  {std::string(kTagNodeClassHash), (*view)->static_hash_tag}};
  if (auto it = claim.meta.labels.find(label::kNodePool); it != claim.meta.labels.end()) {
    request.tags[std::string(kTagNodePool)] = it->second;
  }
  for (const auto& [k, v] : nc->tags) request.tags.emplace(k, v);
  std::vector<std::pair<FleetOverride, double>> prices;
  std::vector<int32_t> remaining;  // reserved: capacity left, parallel to overrides
  const std::string image = (*view)->image_ids.empty() ? "" : (*view)->image_ids.front();
  for (const Candidate& c : candidates) {
    for (size_t j : c.offerings) {
      const Offering& o = offering(c, j);
      if (o.capacity_type != capacity_type) continue;
      FleetOverride ov{cache->types[c.type].name, (*view)->subnet_by_zone.at(o.zone), o.zone, image,
                       o.price_per_hour, std::nullopt, o.reservation_id};
      if (capacity_type == kReserved) {
        auto same = std::find_if(request.overrides.begin(), request.overrides.end(), [&](const FleetOverride& x) {
          return x.instance_type == ov.instance_type && x.availability_zone == o.zone;
        });
        if (same != request.overrides.end()) {
          const size_t k = static_cast<size_t>(same - request.overrides.begin());
          if (o.reservation_count > remaining[k]) {
            *same = ov;
            prices[k] = {ov, o.price_per_hour};
            remaining[k] = o.reservation_count;
          }
          continue;
        }
      }
      request.overrides.push_back(ov);
      prices.emplace_back(ov, o.price_per_hour);
      remaining.push_back(o.reservation_count);
    }
  }
  ++counters_.create_fleet_calls;
  std::weak_ptr<bool> alive = alive_;
  ec2_.CreateFleet(request, [this, alive, name = claim.meta.name, capacity_type, deadline, tags = request.tags,
                             prices = std::move(prices), done = std::move(done)](Outcome<CreateFleetResponse> r) {
    if (alive.expired()) return;
    OnFleet(name, capacity_type, deadline, prices, tags, std::move(r), done);
  });
}

void AwsCloudProvider::OnFleet(const std::string& claim, const std::string& capacity_type, model::Duration deadline,
                               const std::vector<std::pair<FleetOverride, double>>& prices, const Tags& tags,
                               Outcome<CreateFleetResponse> outcome, const ports::LaunchDone& done) {
  if (!outcome.IsSuccess()) {
    Error e = ToError(outcome.GetError());
    if (e.code == ErrorCode::kInsufficientCapacity) ++counters_.insufficient_capacity_failures;
    done(std::move(e));
    return;
  }
  const CreateFleetResponse& r = outcome.GetResult();
  // Spec §3.5: each ICE-class error marks its offering for the TTL (reserved
  // launches mark the reservation, whose count EC2 reports, instead).
  bool only_capacity_errors = true;
  std::string tried;
  for (const FleetError& e : r.errors) {
    const OfferingKey key{capacity_type, e.override.instance_type, e.override.availability_zone};
    if (!IsUnfulfillableCapacity(e.error_code)) {
      only_capacity_errors = false;
    } else if (!IsReservationCapacityExceeded(e.error_code)) {
      MarkUnavailable(key);
    }
    tried += " " + e.error_code + " " + KeyString(key) +
             (e.override.capacity_reservation_id.empty() ? "" : " (" + e.override.capacity_reservation_id + ")") + ";";
  }
  if (r.instances.empty() || r.instances.front().instance_ids.empty()) {
    if (only_capacity_errors) {
      ++counters_.insufficient_capacity_failures;
      done(Error::InsufficientCapacity("NodeClaim " + claim + ": no capacity for any override:" +
                                       (tried.empty() ? std::string(" none") : tried)));
      return;
    }
    for (const FleetError& e : r.errors) {
      if (IsUnfulfillableCapacity(e.error_code)) continue;
      done(ToError(AwsError{e.error_code, e.error_message}));
      return;
    }
  }
  const FleetInstance& launched = r.instances.front();
  const std::string& id = launched.instance_ids.front();
  if ((r.answered_at > 0 ? r.answered_at : clock_.Now()) > deadline) {
    // Nobody waits for this instance any more: do not leak it.
    (void)ec2_.TerminateInstances(TerminateInstancesRequest{{id}});
    done(Error::DeadlineExceeded("NodeClaim " + claim + ": CreateFleet answered after the deadline"));
    return;
  }
  double price = 0;
  for (const auto& [ov, p] : prices) {
    if (ov == launched.launched_with) price = p;
  }
  price_by_instance_[id] = price;
  // The instance as the answer describes it, as Karpenter builds it from
  // the fleet output: no DescribeInstances per launch (a burst's thousands
  // of answers would each wait for one on the controllers' thread).
  Ec2Instance instance;
  instance.instance_id = id;
  instance.instance_type = launched.launched_with.instance_type;
  instance.availability_zone = launched.launched_with.availability_zone;
  instance.subnet_id = launched.launched_with.subnet_id;
  instance.capacity_reservation_id = launched.launched_with.capacity_reservation_id;
  instance.image_id = launched.launched_with.image_id;
  instance.instance_lifecycle = launched.lifecycle == kSpot ? kSpot : "";
  instance.state = "pending";
  instance.launch_time = clock_.Now();
  instance.tags = tags;
  done(ToInstance(instance));
}

ports::Instance AwsCloudProvider::ToInstance(Ec2Instance i) const {
  // Takes the description by value and moves its strings: List converts
  // every instance of the cluster (4,000 on a burst) every two minutes.
  ports::Instance out;
  out.provider_id = "aws:///" + i.availability_zone + "/" + i.instance_id;
  if (auto it = price_by_instance_.find(i.instance_id); it != price_by_instance_.end()) out.price_per_hour = it->second;
  out.id = std::move(i.instance_id);
  out.instance_type = std::move(i.instance_type);
  out.zone = std::move(i.availability_zone);
  out.capacity_type = !i.capacity_reservation_id.empty() ? kReserved
                      : i.instance_lifecycle == kSpot    ? kSpot
                                                         : kOnDemand;
  out.reservation_id = std::move(i.capacity_reservation_id);
  out.image_id = std::move(i.image_id);
  out.launched_at = i.launch_time;
  if (auto it = i.tags.find(std::string(kTagNodeClaim)); it != i.tags.end()) out.node_claim = std::move(it->second);
  if (auto it = i.tags.find(std::string(kTagNodePool)); it != i.tags.end()) out.node_pool = std::move(it->second);
  out.terminated = i.state == "terminated" || i.state == "shutting-down";
  return out;
}

Status AwsCloudProvider::Delete(const std::string& provider_id) {
  const std::optional<ports::Instance> i = Get(provider_id);
  if (!i) return Error::NotFound("instance " + provider_id + " not found");
  if (i->terminated) return Error::NotFound("instance " + provider_id + " already terminated");
  auto r = ec2_.TerminateInstances(TerminateInstancesRequest{{i->id}});
  if (!r.IsSuccess()) return ToError(r.GetError());
  drift_facts_.erase(provider_id);
  return OkStatus();
}

std::optional<ports::Instance> AwsCloudProvider::Get(const std::string& provider_id) const {
  if (provider_id.empty()) return std::nullopt;
  auto r = ec2_.DescribeInstances(DescribeInstancesRequest{{InstanceIdOf(provider_id)}, {}});
  if (!r.IsSuccess() || r.GetResult().instances.empty()) return std::nullopt;
  return ToInstance(r.GetResult().instances.front());
}

std::vector<ports::Instance> AwsCloudProvider::List() const {
  std::vector<ports::Instance> out;
  auto r = ec2_.DescribeInstances(DescribeInstancesRequest{{}, {"kubernetes.io/cluster/" + options_.cluster_name}});
  if (!r.IsSuccess()) return out;
  for (Ec2Instance& i : std::move(r).GetResult().instances) {
    ports::Instance inst = ToInstance(std::move(i));
    if (!inst.terminated) out.push_back(std::move(inst));
  }
  std::sort(out.begin(), out.end(), [](const ports::Instance& a, const ports::Instance& b) { return a.id < b.id; });
  return out;
}

AwsCloudProvider::DriftFacts* AwsCloudProvider::FactsOf(const std::string& provider_id) const {
  const model::Duration now = clock_.Now();
  if (now >= next_facts_prune_) {
    std::erase_if(drift_facts_, [&](const auto& e) { return now - e.second.read_at >= options_.instance_refresh; });
    next_facts_prune_ = now + options_.instance_refresh;
  }
  if (auto it = drift_facts_.find(provider_id); it != drift_facts_.end() && now - it->second.read_at < options_.instance_refresh) {
    return &it->second;
  }
  auto r = ec2_.DescribeInstances(DescribeInstancesRequest{{InstanceIdOf(provider_id)}, {}});
  if (!r.IsSuccess() || r.GetResult().instances.empty()) return nullptr;
  const Ec2Instance& i = r.GetResult().instances.front();
  DriftFacts f;
  f.read_at = now;
  f.gone = i.state == "terminated" || i.state == "shutting-down";
  if (auto t = i.tags.find(std::string(kTagNodeClass)); t != i.tags.end()) f.node_class = t->second;
  if (auto t = i.tags.find(std::string(kTagNodeClassHash)); t != i.tags.end()) f.node_class_hash = t->second;
  f.image_id = i.image_id;
  f.subnet_id = i.subnet_id;
  f.security_group_ids = i.security_group_ids;
  std::sort(f.security_group_ids.begin(), f.security_group_ids.end());
  return &drift_facts_.insert_or_assign(provider_id, std::move(f)).first->second;
}

std::optional<std::string> AwsCloudProvider::IsDrifted(const model::NodeClaim& claim) const {
  if (claim.provider_id.empty()) return std::nullopt;
  DriftFacts* i = FactsOf(claim.provider_id);
  if (i == nullptr || i->gone || !i->node_class) return std::nullopt;
  if (i->verdict_generation == views_generation_) return i->verdict;
  auto view = View(*i->node_class);
  if (!view.ok()) return std::nullopt;
  i->verdict = Drift(*i, **view);
  i->verdict_generation = views_generation_;
  return i->verdict;
}

std::optional<std::string> AwsCloudProvider::Drift(const DriftFacts& i, const NodeClassView& v) {
  // The order of Karpenter's AWS provider (pkg/cloudprovider/drift.go): the
  // static hash first, then AMI, security groups, subnets.
  if (i.node_class_hash && *i.node_class_hash != v.static_hash_tag) return "NodeClassDrift";
  if (std::find(v.image_ids.begin(), v.image_ids.end(), i.image_id) == v.image_ids.end()) return "AMIDrift";
  if (i.security_group_ids != v.security_group_ids) return "SecurityGroupDrift";
  if (!v.subnet_ids.contains(i.subnet_id)) return "SubnetDrift";
  return std::nullopt;
}

void AwsCloudProvider::UpdateNodeClass(const model::EC2NodeClass& node_class) {
  node_classes_.insert_or_assign(node_class.meta.name, node_class);
  type_caches_.erase(node_class.meta.name);
  views_.erase(node_class.meta.name);
  ++views_generation_;
}

}  // namespace adze::providers::aws
