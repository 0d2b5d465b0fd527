#include "scheduling/packing.h"

#include <algorithm>
#include <limits>
#include <set>

#include "scheduling/predicates/host_ports.h"
#include "scheduling/predicates/offerings.h"
#include "scheduling/predicates/registry.h"
#include "scheduling/predicates/taints.h"

namespace adze::scheduling {

using model::Requirements;

namespace {

// The registry's predicate of that name (registry.h lists them all).
const Predicate& Registered(std::string_view name) {
  const Predicate* p = FindPredicate(name);
  ADZE_CHECK(p != nullptr);
  return *p;
}

}  // namespace

Packing::Packing(const Problem& problem, RepackMemo* memo, bool fullest_first, bool cost_aware, double alpha)
    : p_(problem),
      memo_(memo),
      fullest_first_(fullest_first),
      cost_aware_(cost_aware),
      alpha_(alpha),
      topology_(problem.topology_),
      reservations_(problem.reservations_),
      nodes_left_(problem.nodes_left_),
      dead_nodes_(problem.num_class_steps_),
      nodes_exhausted_(problem.num_class_steps_, 0),
      dead_claims_(problem.num_class_steps_),
      dead_below_(problem.num_class_steps_, 0),
      new_claim_failure_(problem.num_class_steps_),
      open_(fullest_first) {
  for (const Template& t : p_.templates_) limits_.push_back(t.remaining_limits);
  n_resources_ = p_.space_.size();
  n_keys_ = static_cast<size_t>(topology_.num_keys());
  nodes_.reserve(p_.nodes_.size());
  for (const ExistingNode& n : p_.nodes_) nodes_.push_back(NodeState{n.remaining, n.host_ports});
}

void Packing::Run(const std::vector<size_t>& queue) {
  std::vector<size_t> pending = queue;
  // Failed pods are retried while the queue keeps shrinking, so pods whose
  // affinity depends on pods later in the queue can still land (spec §2.4).
  while (!pending.empty()) {
    std::vector<size_t> failed;
    for (size_t i : pending) {
      Failure f;
      if (!Place(p_.pods_[i], &f)) {
        failed.push_back(i);
        errors_[i] = std::move(f);
      } else {
        errors_.erase(i);
      }
    }
    if (failed.size() == pending.size()) break;
    pending = std::move(failed);
  }
}

bool Packing::Place(const PreparedPod& pod, Failure* failure) {
  if (!pod.volume_error.empty()) {
    failure->reason = pod.volume_error;
    return false;
  }
  if (!pod.conflict_error.empty()) {
    failure->reason = pod.conflict_error;
    return false;
  }
  for (size_t s = 0; s < pod.steps.size(); ++s) {
    PodView view{&pod, &pod.steps[s]};
    size_t cs = p_.ClassStep(pod, s);
    if (PlaceOnExisting(view, cs) || PlaceOnClaim(view, cs)) return true;
    Failure f;
    if (PlaceOnNewClaim(view, cs, &f)) return true;
    *failure = std::move(f);
    if (failure->reserved) return false;  // reserved-offering errors are not relaxed (spec §2.4)
  }
  if (failure->reason.empty()) failure->reason = "no NodePool could carry it";
  return false;
}

bool Packing::PlaceOnExisting(const PodView& view, size_t cs) {
  const PreparedPod& pod = *view.pod;
  if (nodes_.empty() || nodes_exhausted_[cs]) return false;
  const auto& predicates = Predicates();
  bool all_permanent = true;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    NodeState& n = nodes_[i];
    // The cheapest check first; nodes only fill up, so it is permanent.
    if (!pod.requests.FitsIn(n.remaining)) continue;
    if (dead_nodes_[cs].Test(i)) continue;
    const ExistingNode& e = p_.nodes_[i];
    Candidate c;
    c.taints = &e.taints;
    c.requirements = e.labels.get();
    c.free = &n.remaining;
    c.space = &p_.space_;
    c.host_ports = &n.host_ports;
    c.topology = &topology_;
    c.domain_of = &e.domain_of;
    bool ok = true;
    for (const Predicate* pred : predicates) {
      Verdict v = pred->Check(view, c);
      if (!v) {
        if (v.permanent) {
          dead_nodes_[cs].Set(i);
        } else {
          all_permanent = false;
        }
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    n.remaining -= pod.requests;
    n.host_ports.insert(n.host_ports.end(), pod.host_ports.begin(), pod.host_ports.end());
    topology_.Record(pod, {e.labels.get(), &e.taints, e.domain_of});
    placed_.emplace_back(pod.index, e.input->node.meta.name);
    return true;
  }
  if (all_permanent) nodes_exhausted_[cs] = 1;
  return false;
}

int Packing::ClaimDomain(const Claim& c, const Requirements& reqs, int key) const {
  if (key == topology_.hostname_key()) return c.host;
  const model::Requirement* r = reqs.Find(topology_.KeyName(key));
  if (!r || r->complement() || r->values().size() != 1) return -1;
  return topology_.FindDomain(key, r->values().front());
}

void Packing::ClaimDomains(const Claim& c, const Requirements& reqs, int key, std::vector<int>* out) const {
  out->clear();
  if (key == topology_.hostname_key()) {
    out->push_back(c.host);
    return;
  }
  const model::Requirement* r = reqs.Find(topology_.KeyName(key));
  for (int d : topology_.Universe(key)) {
    if (!r || r->Has(topology_.DomainName(key, d))) out->push_back(d);
  }
  std::sort(out->begin(), out->end(),
            [&](int a, int b) { return topology_.DomainName(key, a) < topology_.DomainName(key, b); });
}

bool Packing::FilterTypes(const Template& t, const std::vector<uint32_t>& from, const Requirements& reqs,
                 const ResourceVector& used, bool check_requirements, std::vector<uint32_t>* out) const {
  out->clear();
  OfferingFilter offerings(p_.offering_index_, reqs);
  const size_t ti = static_cast<size_t>(&t - p_.templates_.data());
  const auto& offers = p_.offers_[ti];
  const int64_t* alloc = p_.alloc_[ti].data();
  const size_t n = n_resources_;
  ResetBounds();
  for (uint32_t i : from) {
    const TypeOption& opt = t.types[i];
    const int64_t* a = alloc + i * n;
    bool fits = true;
    for (size_t r = 0; r < n; ++r) fits &= used[r] <= a[r];
    if (!fits) continue;
    if (check_requirements) {
      if (opt.type->requirements.Intersects(reqs)) continue;
      if (!offerings.Cheapest(offers[i])) continue;
    }
    out->push_back(i);
    AddBounds(a);
  }
  return !out->empty();
}

bool Packing::FilterByDomain(const Template& t, const std::vector<uint32_t>& from, const Requirements& reqs,
                    const std::string& key, const std::string& value, std::vector<uint32_t>* out) const {
  out->clear();
  OfferingFilter offerings(p_.offering_index_, reqs);
  model::Requirement pinned = model::Requirement::In(key, {value});
  if (key == model::label::kZone) offerings.zones &= p_.offering_index_.ZoneBit(value);
  if (key == model::label::kCapacityType) offerings.capacity_types &= p_.offering_index_.CapacityTypeBit(value);
  if (key == model::label::kCapacityReservationId) offerings.reservation = &pinned;
  const auto& offers = p_.offers_[static_cast<size_t>(&t - p_.templates_.data())];
  // Offerings were filtered by each type's own zone and capacity type, so
  // for those keys the offering check covers the type's requirement.
  const bool offering_key = key == model::label::kZone || key == model::label::kCapacityType;
  const int64_t* alloc = p_.alloc_[static_cast<size_t>(&t - p_.templates_.data())].data();
  ResetBounds();
  for (uint32_t i : from) {
    const catalog::InstanceType& type = *t.types[i].type;
    if (!offering_key) {
      const model::Requirement* r = type.requirements.Find(key);
      if (r && !r->Has(value)) continue;
    }
    if (!offerings.Cheapest(offers[i])) continue;
    out->push_back(i);
    AddBounds(alloc + static_cast<size_t>(i) * n_resources_);
  }
  return !out->empty();
}

bool Packing::WithoutDaemonPortClash(const Template& t, const std::vector<uint32_t>& from, const PreparedPod& pod,
                            std::vector<uint32_t>* out, std::string* why) const {
  std::vector<char> clash(t.daemon_ports.size());
  for (size_t g = 0; g < clash.size(); ++g) clash[g] = PortClash(t.daemon_ports[g].ports, pod.host_ports) != nullptr;
  out->clear();
  int blocked = -1;  // a group that clashed, for the reason
  for (uint32_t i : from) {
    const int g = t.types[i].daemon_ports;
    if (g >= 0 && clash[static_cast<size_t>(g)]) {
      blocked = g;
      continue;
    }
    out->push_back(i);
  }
  if (!out->empty()) return true;
  if (why && blocked >= 0) {
    const DaemonPorts& d = t.daemon_ports[static_cast<size_t>(blocked)];
    for (size_t k = 0; k < d.ports.size(); ++k) {
      if (!PortClash({d.ports[k]}, pod.host_ports)) continue;
      *why = "host port " + std::to_string(d.ports[k].host_port) + "/" + d.ports[k].protocol + " is held by " +
             d.owners[k] + " on every instance type left";
      break;
    }
  }
  return false;
}

std::string Packing::TypesFailure(const Claim& c, const std::vector<uint32_t>& from, const RelaxationStep& step,
                         const ResourceVector& used) const {
  const Template& t = p_.templates_[c.tmpl];
  const auto& offers = p_.offers_[c.tmpl];
  for (const model::Requirement& r : step.requirements.All()) {
    const std::string& key = r.key();
    const bool zone = key == model::label::kZone;
    const bool offering_key = zone || key == model::label::kCapacityType;
    std::set<std::string> allowed;  // what the claim's types allow on key (finite part)
    bool open_ended = false, meets = false;
    for (uint32_t i : from) {
      if (offering_key) {
        for (const CompactOffering& o : offers[i]) {
          if (!p_.template_filters_[c.tmpl].Allows(o)) continue;
          const std::string& v = zone ? o.offering->zone : o.offering->capacity_type;
          allowed.insert(v);
          meets |= r.Has(v);
        }
      } else {
        model::Requirement tr = t.types[i].type->requirements.Get(key).Intersect(c.requirements.Get(key));
        meets |= tr.Intersects(r);
        if (tr.complement()) {
          open_ended = true;
        } else {
          allowed.insert(tr.values().begin(), tr.values().end());
        }
      }
      if (meets) break;
    }
    if (meets) continue;
    std::string theirs = open_ended ? "no value that " + r.ToString() + " allows" : "";
    if (!open_ended) {
      theirs = key + " In [";
      size_t shown = 0;
      for (const std::string& v : allowed) {
        if (shown == 8) {
          theirs += " ...";
          break;
        }
        theirs += (shown++ ? " " : "") + v;
      }
      theirs += "]";
    }
    return "requirement " + r.ToString() + " conflicts with the NodePool's instance types (" +
           (offering_key ? "their offerings have " : "they allow ") + theirs + ")";
  }
  const int64_t* alloc = p_.alloc_[c.tmpl].data();
  for (uint32_t i : from) {
    bool fits = true;
    for (size_t r = 0; r < n_resources_; ++r) fits &= used[r] <= alloc[static_cast<size_t>(i) * n_resources_ + r];
    if (fits) return "no instance type satisfies all of the pod's requirements together";
  }
  return "no instance type has enough of every resource the pod requests";
}

void Packing::ResetBounds() const {
  bound_max_ = ResourceVector();
  bound_min_ = ResourceVector();
  for (size_t r = 0; r < n_resources_; ++r) bound_min_[r] = std::numeric_limits<int64_t>::max();
}

void Packing::AddBounds(const int64_t* a) const {
  for (size_t r = 0; r < n_resources_; ++r) {
    if (a[r] > bound_max_[r]) bound_max_[r] = a[r];
    if (a[r] < bound_min_[r]) bound_min_[r] = a[r];
  }
}

std::optional<std::pair<std::string, int>> Packing::MinValuesShort(const Template& t, const std::vector<uint32_t>& types,
                                                           const Requirements& reqs) const {
  for (const model::Requirement& r : reqs.All()) {
    if (!r.min_values() || *r.min_values() <= 0) continue;
    std::set<std::string> values;
    for (uint32_t i : types) {
      model::Requirement tr = t.types[i].type->requirements.Get(r.key()).Intersect(r);
      if (!tr.complement()) values.insert(tr.values().begin(), tr.values().end());
    }
    if (static_cast<int>(values.size()) < *r.min_values()) {
      return std::make_pair(r.key(), static_cast<int>(values.size()));
    }
  }
  return std::nullopt;
}

Requirements Packing::LowerMinValues(const Requirements& reqs, const std::string& key, int to) {
  Requirements out;
  for (model::Requirement r : reqs.All()) {
    if (r.key() == key) r.set_min_values(to);
    out.Add(r);
  }
  return out;
}

std::vector<std::string> Packing::CompatibleReservations(const Template& t, const std::vector<uint32_t>& types,
                                                const Requirements& reqs) const {
  std::vector<std::string> out;
  if (reservations_.empty()) return out;
  for (uint32_t i : types) {
    for (const catalog::Offering& o : t.types[i].type->offerings) {
      if (o.capacity_type != model::label::kCapacityTypeReserved || o.reservation_id.empty()) continue;
      if (!OfferingUsable(o) || !OfferingCompatible(o, reqs)) continue;
      out.push_back(o.reservation_id);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Packing::Outcome Packing::TryClaim(Claim& c, const PodView& view, std::string* why, bool* permanent) {
  const PreparedPod& pod = *view.pod;
  const RelaxationStep& step = *view.step;
  const Template& t = p_.templates_[c.tmpl];
  *permanent = true;
  ResourceVector used = c.used + pod.requests;
  if (!used.FitsIn(c.envelope)) {
    if (why) *why = "resources";
    return Outcome::kFail;
  }
  // The claim's taints, host ports and requirements are checked by the
  // registry's predicates, the code existing nodes and Explain use.
  static const Predicate& kTaints = Registered("taints");
  static const Predicate& kHostPorts = Registered("host-ports");
  static const Predicate& kRequirements = Registered("requirements");
  Candidate claim;
  claim.pool = t.pool;
  claim.taints = &t.pool->taints;
  claim.requirements = &c.requirements;
  claim.host_ports = &c.host_ports;
  claim.explain = why != nullptr;
  auto fails = [&](const Predicate& predicate) {
    Verdict v = predicate.Check(view, claim);
    if (v) return false;
    if (why) *why = std::move(v.reason);
    return true;
  };
  if (fails(kTaints)) return Outcome::kFail;
  // Price per packed pod, checked early on the type that would become the
  // cheapest (the exact check after narrowing follows below).
  if (cost_aware_ && !c.pods.empty() && !used.FitsInFirst(c.floor, n_resources_)) {
    const int64_t* alloc = p_.alloc_[c.tmpl].data();
    double after = std::numeric_limits<double>::infinity();
    for (uint32_t i : c.types) {
      const int64_t* a = alloc + static_cast<size_t>(i) * n_resources_;
      bool fits = true;
      for (size_t r = 0; r < n_resources_; ++r) fits &= used[r] <= a[r];
      if (fits) {
        after = p_.base_price_[c.tmpl][i];
        break;
      }
    }
    if (after - p_.base_price_[c.tmpl][c.types.front()] > alpha_ * Standalone(pod, c.tmpl) + 1e-9) {
      if (why) *why = "cheaper on a claim of its own";
      return Outcome::kFail;
    }
  }
  if (fails(kHostPorts)) return Outcome::kFail;
  // Types whose daemons hold one of the pod's host ports are out (spec §2.8).
  const std::vector<uint32_t>* from = &c.types;
  if (!pod.host_ports.empty() && !t.daemon_ports.empty()) {
    if (!WithoutDaemonPortClash(t, c.types, pod, &ports_scratch_, why)) return Outcome::kFail;
    if (ports_scratch_.size() != c.types.size()) from = &ports_scratch_;
  }
  if (fails(kRequirements)) return Outcome::kFail;
  Requirements merged;
  const Requirements* current = &c.requirements;
  if (!step.requirements.empty()) {
    merged = c.requirements;
    merged.Add(step.requirements);
    current = &merged;
  }
  // Topology may narrow the claim to one domain per constrained key; try the
  // preferred domains in order until some instance type still fits.
  topology_.ConstrainedKeys(pod, step, &keys_);
  choices_.resize(keys_.size());
  for (size_t k = 0; k < keys_.size(); ++k) {
    ClaimDomains(c, *current, keys_[k], &choices_[k]);
    bool perm = true;
    topology_.Allowed(pod, step, keys_[k], choices_[k], why, &perm);
    if (choices_[k].empty()) {
      if (why && why->empty()) *why = "no " + topology_.KeyName(keys_[k]) + " domain is available";
      *permanent = perm;
      return Outcome::kFail;
    }
  }
  // Types that fit the new total; requirements that did not narrow leave
  // every type compatible.
  bool narrowed_any = current != &c.requirements;
  // When the new total still fits the smallest of every resource over the
  // claim's types and nothing narrowed, every type survives: no copy.
  const std::vector<uint32_t>* types = &c.types;
  if (narrowed_any || from != &c.types || !used.FitsInFirst(c.floor, n_resources_)) {
    types = &types_scratch_;
    if (!FilterTypes(t, *from, *current, used, narrowed_any, &types_scratch_)) {
      if (why) *why = TypesFailure(c, *from, step, used);
      return Outcome::kFail;
    }
  }
  Requirements narrowed_storage;
  for (size_t k = 0; k < keys_.size(); ++k) {
    int key = keys_[k];
    if (key == topology_.hostname_key()) continue;
    if (choices_[k].size() == 1 && ClaimDomain(c, *current, key) == choices_[k].front()) continue;
    bool found = false;
    const std::string& name = topology_.KeyName(key);
    for (int d : choices_[k]) {
      const std::string& value = topology_.DomainName(key, d);
      if (FilterByDomain(t, *types, *current, name, value, &probe_)) {
        if (current != &narrowed_storage) narrowed_storage = *current;
        narrowed_storage.Add(model::Requirement::In(name, {value}));
        current = &narrowed_storage;
        types_scratch_.swap(probe_);
        types = &types_scratch_;
        narrowed_any = true;
        found = true;
        break;
      }
    }
    if (!found) {
      if (why) *why = "no instance type offers an allowed " + name;
      *permanent = false;
      return Outcome::kFail;
    }
  }
  if (cost_aware_ && !c.pods.empty() && types != &c.types) {
    const double before = p_.base_price_[c.tmpl][c.types.front()];
    const double after = p_.base_price_[c.tmpl][types->front()];
    if (after - before > alpha_ * Standalone(pod, c.tmpl) + 1e-9) {
      if (why) *why = "cheaper on a claim of its own";
      // A heuristic, not a constraint: treating it as final keeps the scan
      // linear (the pod may then miss a claim that later grew cheap for it).
      *permanent = true;
      return Outcome::kFail;
    }
  }
  Requirements relaxed;
  bool min_values_relaxed = false;
  if (p_.has_min_values_[c.tmpl]) {
    while (auto short_key = MinValuesShort(t, *types, *current)) {
      if (p_.options_.min_values_policy == MinValuesPolicy::kStrict) {
        if (why) {
          *why = "minValues " + std::to_string(*current->Find(short_key->first)->min_values()) + " on " +
                 short_key->first + " not met (" + std::to_string(short_key->second) + " distinct values fit)";
        }
        return Outcome::kFail;
      }
      relaxed = LowerMinValues(*current, short_key->first, short_key->second);
      current = &relaxed;
      min_values_relaxed = true;
    }
  }
  // Reserved capacity (spec §2.10): a claim holding reservations must keep
  // one; a new claim with compatible reservations must be able to take one.
  std::vector<std::string> take;
  if (!reservations_.empty()) {
    std::vector<std::string> compatible = CompatibleReservations(t, *types, *current);
    if (c.pods.empty()) {
      for (const std::string& id : compatible) {
        if (reservations_[id] > 0) take.push_back(id);
      }
      if (!compatible.empty() && take.empty()) {
        if (why) *why = "reserved offerings compatible with the pod are all taken (retried next loop)";
        *permanent = false;
        return Outcome::kReserved;
      }
    } else if (!c.reservations.empty()) {
      std::set_intersection(c.reservations.begin(), c.reservations.end(), compatible.begin(), compatible.end(),
                            std::back_inserter(take));
      if (take.empty()) {
        if (why) *why = "adding the pod would remove the claim's last reserved offering";
        *permanent = false;
        return Outcome::kReserved;
      }
    }
  }
  // Commit.
  if (c.pods.empty()) {
    for (const std::string& id : take) --reservations_[id];
  } else {
    for (const std::string& id : c.reservations) {
      if (!std::binary_search(take.begin(), take.end(), id)) ++reservations_[id];
    }
  }
  c.reservations = std::move(take);
  const bool requirements_changed = current != &c.requirements || c.domains.empty();
  if (current != &c.requirements) c.requirements = *current;
  c.min_values_relaxed |= min_values_relaxed;
  if (types != &c.types) {
    c.types.swap(types_scratch_);
    c.envelope = bound_max_;
    c.floor = bound_min_;
  }
  c.used = used;
  c.pods.push_back(pod.index);
  c.host_ports.insert(c.host_ports.end(), pod.host_ports.begin(), pod.host_ports.end());
  if (requirements_changed) {
    c.domains.resize(static_cast<size_t>(topology_.num_keys()));
    for (int key = 0; key < topology_.num_keys(); ++key) {
      c.domains[static_cast<size_t>(key)] = ClaimDomain(c, c.requirements, key);
    }
  }
  topology_.Record(pod, {&c.requirements, &t.pool->taints,
                         [&](int key) { return c.domains[static_cast<size_t>(key)]; }});
  return Outcome::kOk;
}

bool Packing::PlaceOnClaim(const PodView& view, size_t cs) {
  const PreparedPod& pod = *view.pod;
  // Domains the pod may use on each zone-like constrained key do not depend
  // on the claim: compute them once, then skip claims pinned elsewhere.
  topology_.ConstrainedKeys(pod, *view.step, &scan_keys_);
  std::erase(scan_keys_, topology_.hostname_key());
  allowed_.resize(scan_keys_.size());
  for (size_t k = 0; k < scan_keys_.size(); ++k) {
    int key = scan_keys_[k];
    std::vector<int> domains = topology_.Universe(key);
    topology_.Allowed(pod, *view.step, key, domains, nullptr, nullptr);
    allowed_[k].assign(static_cast<size_t>(topology_.NumDomains(key)), 0);
    for (int d : domains) allowed_[k][static_cast<size_t>(d)] = 1;
  }
  size_t chosen = SIZE_MAX;
  bool all_permanent = true;
  auto consider = [&](size_t id) {
    if (dead_claims_[cs].Test(id)) return false;
    // Claims only fill up, and pods of a class-step ask for the same
    // resources: a claim too full now is too full for good.
    if (!pod.requests.FitsInFirst(scan_free_[id], n_resources_)) return false;
    const int* domains = &scan_domains_[id * n_keys_];
    for (size_t k = 0; k < scan_keys_.size(); ++k) {
      int d = domains[scan_keys_[k]];
      if (d >= 0 && (static_cast<size_t>(d) >= allowed_[k].size() || !allowed_[k][static_cast<size_t>(d)])) {
        all_permanent = false;
        return false;
      }
    }
    bool permanent = true;
    if (TryClaim(claims_[id], view, nullptr, &permanent) != Outcome::kOk) {
      if (permanent) {
        dead_claims_[cs].Set(id);
      } else {
        all_permanent = false;
      }
      return false;
    }
    chosen = id;
    return true;
  };
  // Every claim below dead_below_[cs] rejected this class-step for good:
  // only claims made since need a look (in claim order).
  const size_t from = dead_below_[cs];
  if (from == 0) {
    open_.FindFirst(consider);
  } else {
    fresh_.clear();
    for (size_t id = from; id < claims_.size(); ++id) {
      if (open_.IsOpen(id)) fresh_.push_back(id);
    }
    std::sort(fresh_.begin(), fresh_.end(), [&](size_t a, size_t b) { return open_.Before(a, b); });
    for (size_t id : fresh_) {
      if (consider(id)) break;
    }
  }
  if (chosen == SIZE_MAX && all_permanent) dead_below_[cs] = claims_.size();
  if (chosen == SIZE_MAX) return false;
  SyncScan(claims_[chosen]);
  open_.Erase(chosen);
  Reopen(claims_[chosen]);
  return true;
}

void Packing::SetEnvelope(Claim& c) const {
  const size_t n = n_resources_;
  const int64_t* alloc = p_.alloc_[c.tmpl].data();
  c.envelope = ResourceVector();
  c.floor = ResourceVector();
  for (size_t r = 0; r < n; ++r) c.floor[r] = std::numeric_limits<int64_t>::max();
  for (uint32_t i : c.types) {
    const int64_t* a = alloc + static_cast<size_t>(i) * n;
    for (size_t r = 0; r < n; ++r) {
      c.envelope[r] = std::max(c.envelope[r], a[r]);
      c.floor[r] = std::min(c.floor[r], a[r]);
    }
  }
}

bool Packing::SkipExotic(const Claim& c) const {
  if (p_.has_min_values_[c.tmpl]) return false;
  const std::vector<char>& exotic = p_.exotic_[c.tmpl];
  return std::any_of(c.types.begin(), c.types.end(), [&](uint32_t i) { return !exotic[i]; });
}

void Packing::SyncScan(const Claim& c) {
  if (scan_free_.size() <= c.id) {
    scan_free_.resize(c.id + 1);
    scan_domains_.resize((c.id + 1) * n_keys_, -1);
  }
  scan_free_[c.id] = c.envelope - c.used;
  for (size_t k = 0; k < n_keys_ && k < c.domains.size(); ++k) scan_domains_[c.id * n_keys_ + k] = c.domains[k];
}

void Packing::Reopen(const Claim& c) {
  // A claim that cannot take even the smallest pending request stays closed.
  if (!(c.used + p_.smallest_).FitsIn(c.envelope)) return;
  open_.Insert(c.id, c.pods.size());
}

bool Packing::PlaceOnNewClaim(const PodView& view, size_t cs, Failure* failure) {
  NewClaimFailure& memo = new_claim_failure_[cs];
  if (memo.known) {
    *failure = memo.failure;
    return false;
  }
  const PreparedPod& pod = *view.pod;
  // Karpenter launches nothing for a pod that selects a restricted key (spec §2.1).
  if (!pod.restricted_error.empty() && !p_.templates_.empty()) {
    failure->reason = pod.restricted_error;
    memo = {true, *failure};
    return false;
  }
  std::string reasons;  // every pool's, as Karpenter lists them
  bool all_permanent = true;
  for (size_t ti = 0; ti < p_.templates_.size(); ++ti) {
    const Template& t = p_.templates_[ti];
    auto prefix = [&] { return "NodePool " + t.pool->meta.name + ": "; };
    std::string reason;
    if (nodes_left_[ti] == 0) {
      reason = prefix() + NodesLimitReason(ti);
      all_permanent = false;
    } else if (!ToleratesTaints(view, t.pool->taints)) {
      reason = prefix() + "taint " +
               model::FirstUntolerated(t.pool->taints, pod.pod->tolerations, true)->ToString() + " not tolerated";
    } else if (auto conflict = t.requirements.Compatible(view.step->requirements)) {
      reason = prefix() + *conflict;
    } else {
      Claim c;
      c.id = claims_.size();
      c.tmpl = ti;
      c.host = topology_.NewAnonymousDomain(topology_.hostname_key());
      c.requirements = t.requirements;
      c.types.reserve(t.types.size());
      for (uint32_t i = 0; i < t.types.size(); ++i) {
        if (limits_[ti] && !t.types[i].capacity.FitsIn(*limits_[ti])) continue;
        c.types.push_back(i);
      }
      SetEnvelope(c);
      c.floor = ResourceVector();  // force the first TryClaim to filter the types
      std::string w;
      bool permanent = true;
      if (c.types.empty()) {
        reason = prefix() + LimitsReason(ti, pod);
        all_permanent = false;
      } else {
        Outcome o = TryClaim(c, view, &w, &permanent);
        if (o == Outcome::kOk) {
          if (limits_[ti]) {
            ResourceVector biggest;
            for (uint32_t i : c.types) biggest = ResourceVector::Max(biggest, t.types[i].capacity);
            *limits_[ti] -= biggest;
          }
          if (nodes_left_[ti] > 0) --nodes_left_[ti];
          claims_.push_back(std::move(c));
          SyncScan(claims_.back());
          Reopen(claims_.back());
          return true;
        }
        if (w == "resources") {
          // Types the limits removed may have been the only ones big enough.
          w = limits_[ti] && c.types.size() < t.types.size() && LimitRemovedFit(ti, pod)
                  ? LimitsReason(ti, pod)
                  : "no instance type has enough resources";
        }
        reason = prefix() + w;
        // Limits shrink as claims are made, so a resource failure under limits may not be the pod's fault.
        all_permanent &= permanent && !limits_[ti];
        if (o == Outcome::kReserved) {
          // Strict reserved capacity: no fallback to lower-weight pools.
          failure->reason = reason;
          failure->reserved = true;
          return false;
        }
      }
    }
    reasons += (reasons.empty() ? "" : "; ") + reason;
  }
  failure->reason = p_.templates_.empty() ? "no NodePool" : reasons;
  if (all_permanent) memo = {true, *failure};
  return false;
}

std::string Packing::NodesLimitReason(size_t ti) const {
  const PoolInput& in = p_.input_.pools[p_.templates_[ti].pool_input];
  const size_t planned = static_cast<size_t>(
      std::count_if(claims_.begin(), claims_.end(), [&](const Claim& c) { return c.tmpl == ti; }));
  return "NodePool limit on nodes reached (limit " + in.pool.limits.Get("nodes").ToString() + ": " +
         in.usage.Get("nodes").ToString() + " existing, " + std::to_string(planned) + " new in this plan)";
}

bool Packing::LimitRemovedFit(size_t ti, const PreparedPod& pod) const {
  const Template& t = p_.templates_[ti];
  for (const TypeOption& opt : t.types) {
    if (!opt.capacity.FitsIn(*limits_[ti]) && pod.requests.FitsIn(opt.allocatable)) return true;
  }
  return false;
}

std::string Packing::LimitsReason(size_t ti, const PreparedPod& pod) const {
  const Template& t = p_.templates_[ti];
  const ResourceVector& left = *limits_[ti];
  std::optional<size_t> resource;
  int64_t least = 0;
  for (const TypeOption& opt : t.types) {
    if (!pod.requests.FitsIn(opt.allocatable)) continue;
    for (size_t r = 0; r < n_resources_; ++r) {
      if (opt.capacity[r] <= left[r]) continue;
      if (!resource || *resource == r) {
        resource = r;
        least = least == 0 ? opt.capacity[r] : std::min(least, opt.capacity[r]);
      }
      break;
    }
  }
  if (!resource) return "no instance type has enough resources";  // the limits are not what stops it
  const std::string& name = p_.space_.name(*resource);
  ResourceVector shown;
  shown[*resource] = std::max<int64_t>(0, left[*resource]);
  ResourceVector need;
  need[*resource] = least;
  return "NodePool limits on " + name + " removed every instance type that fits the pod (" +
         p_.space_.ToList(shown).Get(name).ToString() + " left; the smallest that fits has " +
         p_.space_.ToList(need).Get(name).ToString() + ")";
}

double Packing::Standalone(const PreparedPod& pod, size_t ti) {
  std::vector<double>& memo = standalone_[pod.equivalence_class];
  if (memo.empty()) memo.assign(p_.templates_.size(), -1);
  if (memo[ti] < 0) {
    memo[ti] = std::numeric_limits<double>::infinity();
    const Template& t = p_.templates_[ti];
    for (size_t i = 0; i < t.types.size(); ++i) {
      if (pod.requests.FitsInFirst(t.types[i].allocatable, n_resources_)) {
        memo[ti] = p_.base_price_[ti][i];
        break;
      }
    }
  }
  return memo[ti];
}

double Packing::PriceFor(size_t ti, const ResourceVector& used) const {
  const int64_t* alloc = p_.alloc_[ti].data();
  double exotic_price = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < p_.templates_[ti].types.size(); ++i) {
    const int64_t* a = alloc + i * n_resources_;
    bool fits = true;
    for (size_t r = 0; r < n_resources_; ++r) fits &= used[r] <= a[r];
    if (!fits) continue;
    if (!p_.exotic_[ti][i]) return p_.base_price_[ti][i];
    exotic_price = std::min(exotic_price, p_.base_price_[ti][i]);
  }
  return exotic_price;
}

uint32_t Packing::PriceTypeFor(size_t ti, const ResourceVector& used) const {
  const int64_t* alloc = p_.alloc_[ti].data();
  uint32_t exotic = UINT32_MAX;
  for (uint32_t i = 0; i < p_.templates_[ti].types.size(); ++i) {
    const int64_t* a = alloc + static_cast<size_t>(i) * n_resources_;
    bool fits = true;
    for (size_t r = 0; r < n_resources_; ++r) fits &= used[r] <= a[r];
    if (!fits) continue;
    if (!p_.exotic_[ti][i]) return i;
    if (exotic == UINT32_MAX || p_.base_price_[ti][i] < p_.base_price_[ti][exotic]) exotic = i;
  }
  ADZE_CHECK(exotic != UINT32_MAX);
  return exotic;
}

Plan Packing::Finish() {
  Plan plan;
  for (const auto& [pod, node] : placed_) plan.placed.push_back({pod, node});
  const size_t cap = p_.options_.max_instance_types;
  for (const Claim& c : claims_) {
    const Template& t = p_.templates_[c.tmpl];
    NewClaim nc;
    nc.node_pool = t.pool->meta.name;
    nc.pods = c.pods;
    nc.requirements = c.requirements;
    nc.min_values_relaxed = c.min_values_relaxed;
    nc.reservation_ids = c.reservations;
    // Held reservations pin the claim to them (spec §2.9).
    std::vector<uint32_t> types;
    if (!c.reservations.empty()) {
      nc.requirements.Add(model::Requirement::In(std::string(model::label::kCapacityType),
                                                 {std::string(model::label::kCapacityTypeReserved)}));
      nc.requirements.Add(model::Requirement::In(std::string(model::label::kCapacityReservationId), c.reservations));
    }
    if (c.reservations.empty()) {
      types = c.types;
      if (SkipExotic(c)) std::erase_if(types, [&](uint32_t i) { return p_.exotic_[c.tmpl][i] != 0; });
    } else {
      for (uint32_t i : c.types) {
        if (CheapestUsableOffering(*t.types[i].type, nc.requirements)) types.push_back(i);
      }
      if (types.empty()) {  // defensive: held reservations always have a type
        nc.requirements = c.requirements;
        nc.reservation_ids.clear();
        types = c.types;
      }
    }
    // Order by the cheapest offering compatible with the claim's final requirements.
    OfferingFilter offerings(p_.offering_index_, nc.requirements);
    const auto& offers = p_.offers_[c.tmpl];
    std::vector<std::pair<double, uint32_t>> ranked;
    ranked.reserve(types.size());
    const bool template_prices = p_.SameAsTemplate(offerings, c.tmpl);
    for (uint32_t i : types) {
      ranked.emplace_back(template_prices ? p_.base_price_[c.tmpl][i]
                                          : offerings.Cheapest(offers[i]).value_or(std::numeric_limits<double>::infinity()),
                          i);
    }
    // Only the first `cap` options are kept: order just those (ties by the
    // template's order, which is deterministic).
    auto cheaper = [](const auto& a, const auto& b) { return a.first != b.first ? a.first < b.first : a.second < b.second; };
    if (template_prices) {
      // Already in price order (ties by template order).
    } else if (ranked.size() > cap) {
      std::partial_sort(ranked.begin(), ranked.begin() + static_cast<long>(cap), ranked.end(), cheaper);
    } else {
      std::sort(ranked.begin(), ranked.end(), cheaper);
    }
    ResourceVector min_daemon = t.types[ranked.front().second].daemon_overhead;
    std::set<std::string> zones, capacity_types;
    std::vector<uint32_t> kept;
    for (size_t k = 0; k < ranked.size(); ++k) {
      const TypeOption& opt = t.types[ranked[k].second];
      min_daemon = ResourceVector::Min(min_daemon, opt.daemon_overhead);
      if (k >= cap) continue;
      nc.instance_types.push_back(opt.type);
      kept.push_back(ranked[k].second);
      // Zones and capacity types of the kept options' usable offerings.
      for (const CompactOffering& o : offers[ranked[k].second]) {
        if (!offerings.Allows(o)) continue;
        zones.insert(o.offering->zone);
        capacity_types.insert(o.offering->capacity_type);
      }
    }
    nc.more_instance_types = ranked.size() - nc.instance_types.size();
    nc.requests = p_.space_.ToList(c.used + min_daemon);
    nc.zones.assign(zones.begin(), zones.end());
    nc.capacity_types.assign(capacity_types.begin(), capacity_types.end());
    nc.price_per_hour = ranked.front().first == std::numeric_limits<double>::infinity() ? 0 : ranked.front().first;
    // The cap may break minValues (spec §2.9): Strict fails the claim's pods.
    if (auto short_key = nc.more_instance_types ? MinValuesShort(t, kept, nc.requirements) : std::nullopt) {
      if (p_.options_.min_values_policy == MinValuesPolicy::kStrict) {
        for (size_t pod : c.pods) {
          plan.unschedulable.push_back({pod,
                                        "NodePool " + nc.node_pool + ": minValues on " + short_key->first +
                                            " not met within the first " + std::to_string(cap) + " instance types",
                                        false});
        }
        continue;
      }
      while (auto s = MinValuesShort(t, kept, nc.requirements)) {
        nc.requirements = LowerMinValues(nc.requirements, s->first, s->second);
      }
      nc.min_values_relaxed = true;
    }
    plan.cost_per_hour += nc.price_per_hour;
    plan.claims.push_back(std::move(nc));
  }
  for (const auto& [pod, f] : errors_) plan.unschedulable.push_back({pod, f.reason, f.reserved});
  std::sort(plan.unschedulable.begin(), plan.unschedulable.end(),
            [](const Unschedulable& a, const Unschedulable& b) { return a.pod < b.pod; });
  return plan;
}

std::pair<size_t, double> Packing::Score() {
  // minValues can fail claims at the cap: only Finish knows.
  if (std::find(p_.has_min_values_.begin(), p_.has_min_values_.end(), true) != p_.has_min_values_.end()) {
    Plan plan = Finish();
    return {plan.unschedulable.size(), plan.cost_per_hour};
  }
  double cost = 0;
  for (const Claim& c : claims_) {
    Requirements pinned;
    const Requirements* reqs = &c.requirements;
    if (!c.reservations.empty()) {
      pinned = c.requirements;
      pinned.Add(model::Requirement::In(std::string(model::label::kCapacityType),
                                        {std::string(model::label::kCapacityTypeReserved)}));
      pinned.Add(model::Requirement::In(std::string(model::label::kCapacityReservationId), c.reservations));
      reqs = &pinned;
    }
    OfferingFilter offerings(p_.offering_index_, *reqs);
    double best = std::numeric_limits<double>::infinity();
    bool any = false;
    const bool skip_exotic = c.reservations.empty() && SkipExotic(c);
    auto skipped = [&](uint32_t i) { return skip_exotic && p_.exotic_[c.tmpl][i]; };
    if (p_.SameAsTemplate(offerings, c.tmpl)) {
      // Types keep the template's price order: the first kept is the cheapest.
      for (uint32_t i : c.types) {
        if (skipped(i)) continue;
        cost += p_.base_price_[c.tmpl][i];
        break;
      }
      continue;
    }
    for (uint32_t i : c.types) {
      if (skipped(i)) continue;
      std::optional<double> price = offerings.Cheapest(p_.offers_[c.tmpl][i]);
      if (price) {
        any = true;
        best = std::min(best, *price);
      }
    }
    // Finish falls back to every type when none has the held reservation.
    if (!any && !c.reservations.empty()) {
      OfferingFilter plain(p_.offering_index_, c.requirements);
      for (uint32_t i : c.types) {
        if (auto price = plain.Cheapest(p_.offers_[c.tmpl][i])) best = std::min(best, *price);
      }
    }
    cost += best == std::numeric_limits<double>::infinity() ? 0 : best;
  }
  return {errors_.size(), cost};
}

}  // namespace adze::scheduling
