#include "scheduling/solver.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "model/check.h"
#include "scheduling/bin_packing.h"
#include "scheduling/predicates/host_ports.h"
#include "scheduling/predicates/offerings.h"
#include "scheduling/predicates/registry.h"
#include "scheduling/predicates/taints.h"
#include "scheduling/prepared_pod.h"
#include "scheduling/template.h"
#include "scheduling/topology.h"
#include "scheduling/volume_topology.h"

namespace adze::scheduling {
namespace {

using model::Requirements;

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
  OfferingFilter(const OfferingIndex& index, const Requirements& reqs)
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

struct ExistingNode {
  const NodeInput* input = nullptr;
  // The node's taints, plus node.kubernetes.io/unschedulable:NoSchedule when
  // it is cordoned (as the node controller adds it).
  std::vector<model::Taint> taints;
  Requirements labels;  // node labels + hostname, as requirements
  ResourceVector remaining;
  std::vector<model::ContainerPort> host_ports;
  std::vector<int> domains;  // by topology key id; -1 when the node lacks the label
  std::function<int(int)> domain_of;
};

struct Claim {
  size_t id = 0;
  size_t tmpl = 0;
  int host = -1;  // hostname domain id
  Requirements requirements;
  std::vector<uint32_t> types;  // indexes into Template::types, price order
  ResourceVector used;          // pods only
  ResourceVector envelope;      // per-resource max allocatable over `types`
  ResourceVector floor;         // per-resource min allocatable over `types`
  std::vector<size_t> pods;
  std::vector<model::ContainerPort> host_ports;
  std::vector<std::string> reservations;  // held reservation ids, sorted
  bool min_values_relaxed = false;
  std::vector<int> domains;  // by topology key id: the single domain, or -1
};

// One solve's shared, read-only preparation.
class Problem {
 public:
  Problem(const SolverInput& input, const SolverOptions& options) : input_(input), options_(options) {
    for (const auto& p : input.pods) space_.AddNames(p.EffectiveRequests());
    for (const auto& pool : input.pools) {
      for (const auto& t : pool.instance_types) space_.AddNames(t.capacity);
    }
    // Pools by weight (descending), ties by name descending (spec §2.3.1).
    std::vector<size_t> pools(input.pools.size());
    for (size_t i = 0; i < pools.size(); ++i) pools[i] = i;
    std::stable_sort(pools.begin(), pools.end(), [&](size_t a, size_t b) {
      const model::NodePool& pa = input.pools[a].pool;
      const model::NodePool& pb = input.pools[b].pool;
      if (pa.weight != pb.weight) return pa.weight > pb.weight;
      return pa.meta.name > pb.meta.name;
    });
    bool prefer_no_schedule = false;
    for (size_t i : pools) {
      const PoolInput& p = input.pools[i];
      Template t = BuildTemplate(p.pool, p.instance_types, p.usage, input.daemon_sets, space_);
      t.pool_input = i;
      if (p.pool.limits.Has("nodes")) {
        const int64_t left = p.pool.RemainingLimits(p.usage).Get("nodes").Value();
        nodes_left_.push_back(std::max<int64_t>(0, left));
      } else {
        nodes_left_.push_back(-1);
      }
      for (const model::Taint& taint : p.pool.taints) {
        prefer_no_schedule |= taint.effect == model::TaintEffect::kPreferNoSchedule;
      }
      bool min_values = false;
      for (const model::Requirement& r : p.pool.requirements) min_values |= r.min_values().value_or(0) > 0;
      has_min_values_.push_back(min_values);
      templates_.push_back(std::move(t));
    }
    // Usable offerings per template and type, interned.
    for (const Template& t : templates_) {
      for (const TypeOption& opt : t.types) {
        for (const catalog::Offering& o : opt.type->offerings) offering_index_.Intern(o);
      }
    }
    for (const Template& t : templates_) {
      offers_.emplace_back();
      for (const TypeOption& opt : t.types) {
        offers_.back().emplace_back();
        for (const catalog::Offering& o : opt.type->offerings) {
          // Offerings the type's own requirements disown (a zone or capacity
          // type it does not list) are never launched.
          if (OfferingUsable(o) && OfferingCompatible(o, opt.type->requirements)) {
            offers_.back().back().push_back(offering_index_.Compact(o));
          }
        }
      }
    }
    // Exotic types (spec §3.2.3): GPUs, other accelerators, bare metal.
    for (const Template& t : templates_) {
      exotic_.emplace_back();
      for (const TypeOption& opt : t.types) {
        const catalog::InstanceType& type = *opt.type;
        bool exotic = type.name.find("metal") != std::string::npos;
        for (std::string_view r : {model::resource::kNvidiaGpu, std::string_view("amd.com/gpu"),
                                   std::string_view("habana.ai/gaudi"), std::string_view("aws.amazon.com/neuron")}) {
          exotic |= type.capacity.Has(r) && type.capacity.Get(r).milli() > 0;
        }
        exotic_.back().push_back(exotic);
      }
    }
    for (const Template& t : templates_) {
      alloc_.emplace_back();
      for (const TypeOption& opt : t.types) {
        for (size_t r = 0; r < space_.size(); ++r) alloc_.back().push_back(opt.allocatable[r]);
      }
    }
    // Each type's cheapest usable offering under its template's requirements.
    for (size_t ti = 0; ti < templates_.size(); ++ti) {
      OfferingFilter filter(offering_index_, templates_[ti].requirements);
      template_filters_.push_back(filter);
      base_price_.emplace_back();
      for (const auto& offers : offers_[ti]) {
        base_price_.back().push_back(filter.Cheapest(offers).value_or(std::numeric_limits<double>::infinity()));
      }
    }
    // Reservations: instances each may still launch (spec §2.10).
    for (const Template& t : templates_) {
      for (const TypeOption& opt : t.types) {
        for (const catalog::Offering& o : opt.type->offerings) {
          if (o.capacity_type == model::label::kCapacityTypeReserved && o.available && !o.reservation_id.empty()) {
            reservations_[o.reservation_id] = std::max(o.reservation_count, 0);
          }
        }
      }
    }

    pods_.reserve(input.pods.size());
    const VolumeTopology volumes(input.volume_claims, input.volumes, input.storage_classes);
    for (size_t i = 0; i < input.pods.size(); ++i) {
      if (input.pods[i].volume_claims.empty()) {
        pods_.push_back(PreparePod(input.pods[i], i, space_, prefer_no_schedule));
      } else {
        const VolumeRequirements v = volumes.For(input.pods[i]);
        pods_.push_back(PreparePod(input.pods[i], i, space_, prefer_no_schedule, &v));
      }
      // Without pools Solve is a kube-scheduler, whose filters ignore
      // PreferNoSchedule (a score, not a filter).
      if (input.pools.empty()) {
        for (RelaxationStep& step : pods_.back().steps) step.tolerate_prefer_no_schedule = true;
      }
    }
    for (auto& p : pods_) topology_.Register(p);
    for (const NodeInput& n : input.nodes) {
      for (const model::Pod& bound : n.pods) {
        bound_.push_back(PreparePod(bound, SIZE_MAX, space_));
        topology_.Register(bound_.back());
      }
    }
    for (auto& p : pods_) topology_.Link(p);
    for (auto& p : bound_) topology_.Link(p);

    // Equivalence classes (pods with identical constraints and requests).
    std::map<std::string, uint32_t> classes;
    for (auto& p : pods_) {
      auto [it, added] = classes.emplace(EquivalenceKey(p), static_cast<uint32_t>(class_steps_.size()));
      if (added) {
        class_steps_.push_back(num_class_steps_);
        num_class_steps_ += p.steps.size();
      }
      p.equivalence_class = it->second;
    }

    // Topology keys, and the domains each pool and node can produce.
    for (const Template& t : templates_) {
      for (int key = 1; key < topology_.num_keys(); ++key) {
        const std::string& name = topology_.KeyName(key);
        std::set<std::string> values;
        for (const TypeOption& opt : t.types) {
          if (name == model::label::kZone || name == model::label::kCapacityType) {
            for (const catalog::Offering& o : opt.type->offerings) {
              if (!OfferingUsable(o) || !OfferingCompatible(o, t.requirements)) continue;
              values.insert(name == model::label::kZone ? o.zone : o.capacity_type);
            }
            continue;
          }
          model::Requirement r = opt.type->requirements.Get(name).Intersect(t.requirements.Get(name));
          if (!r.complement()) values.insert(r.values().begin(), r.values().end());
        }
        Topology::Source s;
        s.key = key;
        for (const std::string& v : values) s.domains.push_back(topology_.DomainId(key, v));
        s.taints = &t.pool->taints;
        s.requirements = &t.requirements;
        topology_.AddSource(std::move(s));
      }
    }
    nodes_.reserve(input.nodes.size());
    for (const NodeInput& n : input.nodes) {
      ExistingNode e;
      e.input = &n;
      e.taints = n.node.taints;
      if (n.node.unschedulable) {
        e.taints.push_back({"node.kubernetes.io/unschedulable", "", model::TaintEffect::kNoSchedule});
      }
      model::Labels labels = n.node.meta.labels;
      labels.emplace(model::label::kHostname, n.node.meta.name);
      e.labels = Requirements::FromLabels(labels);
      e.remaining = space_.ToVector(n.node.allocatable);
      e.domains.assign(static_cast<size_t>(topology_.num_keys()), -1);
      for (int key = 0; key < topology_.num_keys(); ++key) {
        auto it = labels.find(topology_.KeyName(key));
        if (it == labels.end()) continue;
        e.domains[static_cast<size_t>(key)] = topology_.DomainId(key, it->second);
      }
      for (const model::Pod& bound : n.pods) {
        e.remaining -= space_.ToVector(bound.EffectiveRequests());
        auto ports = bound.HostPorts();
        e.host_ports.insert(e.host_ports.end(), ports.begin(), ports.end());
      }
      nodes_.push_back(std::move(e));
      // nodes_ was reserved, so the taints stay put until Finalize.
      const ExistingNode& added = nodes_.back();
      for (int key = 0; key < topology_.num_keys(); ++key) {
        int d = added.domains[static_cast<size_t>(key)];
        if (key != topology_.hostname_key() && d >= 0) topology_.AddSource({key, {d}, &added.taints, nullptr});
      }
    }
    topology_.Finalize();
    // Seed counts with bound pods (spec §2.3.4), in input order.
    size_t b = 0;
    for (ExistingNode& e : nodes_) {
      e.domain_of = [d = e.domains](int key) { return d[static_cast<size_t>(key)]; };
      for (size_t k = 0; k < e.input->pods.size(); ++k, ++b) {
        topology_.Record(bound_[b], {&e.labels, &e.taints, e.domain_of});
      }
    }
    // Existing nodes: initialized (ready) first, then by name.
    std::stable_sort(nodes_.begin(), nodes_.end(), [](const ExistingNode& a, const ExistingNode& b) {
      if (a.input->node.ready != b.input->node.ready) return a.input->node.ready;
      return a.input->node.meta.name < b.input->node.meta.name;
    });
    for (size_t i = 0; i < kMaxResources; ++i) smallest_[i] = std::numeric_limits<int64_t>::max() / 4;
    for (const PreparedPod& p : pods_) smallest_ = ResourceVector::Min(smallest_, p.requests);
  }

  size_t ClassStep(const PreparedPod& p, size_t step) const { return class_steps_[p.equivalence_class] + step; }

  // True when f allows exactly the offerings the template does, so the
  // template's price order holds.
  bool SameAsTemplate(const OfferingFilter& f, size_t tmpl) const {
    const OfferingFilter& t = template_filters_[tmpl];
    return !f.reservation && f.zones == t.zones && f.capacity_types == t.capacity_types;
  }

  const SolverInput& input_;
  const SolverOptions& options_;
  ResourceSpace space_;
  std::vector<Template> templates_;
  std::vector<int64_t> nodes_left_;  // per template; -1: unlimited
  std::vector<bool> has_min_values_;  // per template
  std::vector<PreparedPod> pods_;
  std::vector<PreparedPod> bound_;
  std::vector<ExistingNode> nodes_;
  Topology topology_;
  ReservationCounts reservations_;
  OfferingIndex offering_index_;
  std::vector<std::vector<std::vector<CompactOffering>>> offers_;  // [template][type]: usable offerings
  std::vector<std::vector<double>> base_price_;  // [template][type]: cheapest offering under the template
  std::vector<OfferingFilter> template_filters_;  // per template
  std::vector<std::vector<char>> exotic_;         // [template][type]
  // [template][type × space size + r]: allocatable (after daemons), packed so
  // the per-claim type filters stay in cache.
  std::vector<std::vector<int64_t>> alloc_;
  std::vector<size_t> class_steps_;  // per class: first class-step id
  size_t num_class_steps_ = 0;
  ResourceVector smallest_;
};

// A set of ids with one bit each, grown on demand.
class BitSet {
 public:
  bool Test(size_t i) const { return i / 64 < w_.size() && (w_[i / 64] >> (i % 64)) & 1; }
  void Set(size_t i) {
    if (i / 64 >= w_.size()) w_.resize(i / 64 + 1, 0);
    w_[i / 64] |= uint64_t{1} << (i % 64);
  }

 private:
  std::vector<uint64_t> w_;
};

// Open claims in the order a pod tries them: by pod count, emptiest first
// (Karpenter) or fullest first (adze best fit), ties by claim id. One bucket
// per pod count, each sorted by id, so a claim that gains a pod moves between
// two buckets without re-sorting the rest.
class ClaimOrder {
 public:
  explicit ClaimOrder(bool fullest_first) : fullest_first_(fullest_first) {}

  void Insert(size_t claim, size_t pods) {
    if (pods >= buckets_.size()) buckets_.resize(pods + 1);
    if (claim >= where_.size()) where_.resize(claim + 1, kNone);
    std::vector<size_t>& b = buckets_[pods];
    b.insert(std::lower_bound(b.begin(), b.end(), claim), claim);
    where_[claim] = pods;
  }
  void Erase(size_t claim) {
    size_t pods = where_[claim];
    if (pods == kNone) return;
    std::vector<size_t>& b = buckets_[pods];
    b.erase(std::lower_bound(b.begin(), b.end(), claim));
    where_[claim] = kNone;
  }
  bool IsOpen(size_t claim) const { return claim < where_.size() && where_[claim] != kNone; }
  // True when open claim a comes before open claim b.
  bool Before(size_t a, size_t b) const {
    if (where_[a] != where_[b]) return fullest_first_ ? where_[a] > where_[b] : where_[a] < where_[b];
    return a < b;
  }
  // Calls f(claim) in order until it returns true; returns whether it did.
  template <typename F>
  bool FindFirst(F&& f) const {
    if (fullest_first_) {
      for (size_t k = buckets_.size(); k-- > 0;) {
        for (size_t c : buckets_[k]) {
          if (f(c)) return true;
        }
      }
    } else {
      for (const std::vector<size_t>& b : buckets_) {
        for (size_t c : b) {
          if (f(c)) return true;
        }
      }
    }
    return false;
  }

 private:
  static constexpr size_t kNone = SIZE_MAX;
  bool fullest_first_;
  std::vector<std::vector<size_t>> buckets_;
  std::vector<size_t> where_;  // claim -> bucket, kNone when closed
};

// A pod that only its requests tie to a claim: no topology term, no group
// counts it, no host ports and no node requirements at any step. Such pods
// can move between claims of one pool without changing any other decision.
bool Plain(const PreparedPod& p) {
  if (!p.topology.empty() || !p.selected_by.empty() || !p.owner_of.empty() || !p.host_ports.empty()) return false;
  return std::all_of(p.steps.begin(), p.steps.end(), [](const RelaxationStep& s) { return s.requirements.empty(); });
}

// PackBins results by (template, items), shared by the packings of one Solve.
using RepackMemo = std::map<std::vector<int64_t>, std::optional<BinPackingResult>>;

// One packing pass over the queue.
class Packing {
 public:
  // fullest_first: best-fit claim order (else Karpenter's emptiest first).
  // cost_aware: a pod joins a claim only if that raises the claim's price by
  // no more than the pod would cost on a claim of its own (price per packed
  // pod), so claims stop growing into types that cost more per pod.
  // memo: shared by the packings of one Solve (Repack reads and fills it).
  Packing(const Problem& problem, RepackMemo* memo, bool fullest_first, bool cost_aware, double alpha = 1.0)
      : p_(problem),
        memo_(memo),
        fullest_first_(fullest_first),
        cost_aware_(cost_aware),
        alpha_(alpha),
        topology_(problem.topology_),
        nodes_(problem.nodes_),
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
    for (ExistingNode& n : nodes_) n.domain_of = [d = &n.domains](int key) { return (*d)[static_cast<size_t>(key)]; };
  }

  void Run(const std::vector<size_t>& queue) {
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

  // Post-pass (kAdze): per pool, re-packs the claims whose pods are all
  // plain (see Plain) by column generation (see RepackTemplate), and keeps
  // the result when it costs less than the claims it replaces.
  // REQUIRES: Run done.
  void Repack();
  Plan Finish();
  // (unschedulable pods, $/h) of the plan Finish would return, cheaply.
  std::pair<size_t, double> Score();

 private:
  struct Failure {
    std::string reason;
    bool reserved = false;
  };
  // Cached outcome of trying new claims for a class-step whose every failure was permanent.
  struct NewClaimFailure {
    bool known = false;
    Failure failure;
  };

  bool Place(const PreparedPod& pod, Failure* failure) {
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

  bool PlaceOnExisting(const PodView& view, size_t cs) {
    const PreparedPod& pod = *view.pod;
    if (nodes_.empty() || nodes_exhausted_[cs]) return false;
    const auto& predicates = Predicates();
    bool all_permanent = true;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      ExistingNode& n = nodes_[i];
      // The cheapest check first; nodes only fill up, so it is permanent.
      if (!pod.requests.FitsIn(n.remaining)) continue;
      if (dead_nodes_[cs].Test(i)) continue;
      Candidate c;
      c.taints = &n.taints;
      c.requirements = &n.labels;
      c.free = &n.remaining;
      c.space = &p_.space_;
      c.host_ports = &n.host_ports;
      c.topology = &topology_;
      c.domain_of = &n.domain_of;
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
      topology_.Record(pod, {&n.labels, &n.taints, n.domain_of});
      placed_.emplace_back(pod.index, n.input->node.meta.name);
      return true;
    }
    if (all_permanent) nodes_exhausted_[cs] = 1;
    return false;
  }

  // The claim's single domain of key, or -1.
  int ClaimDomain(const Claim& c, const Requirements& reqs, int key) const {
    if (key == topology_.hostname_key()) return c.host;
    const model::Requirement* r = reqs.Find(topology_.KeyName(key));
    if (!r || r->complement() || r->values().size() != 1) return -1;
    return topology_.FindDomain(key, r->values().front());
  }

  // Candidate domains a claim allows for key, in name order.
  void ClaimDomains(const Claim& c, const Requirements& reqs, int key, std::vector<int>* out) const {
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

  // Types of `from` that fit used and, when check_requirements, still
  // intersect reqs and have a usable offering the requirements allow.
  bool FilterTypes(const Template& t, const std::vector<uint32_t>& from, const Requirements& reqs,
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

  // Types of `from` (already compatible with reqs) that still are once the
  // claim's key is pinned to value: the type allows the value and has a
  // usable offering there.
  bool FilterByDomain(const Template& t, const std::vector<uint32_t>& from, const Requirements& reqs,
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

  // Types of `from` whose daemon-overhead group holds none of the pod's host
  // ports, into out. Returns false (with why, when given) if none is left.
  bool WithoutDaemonPortClash(const Template& t, const std::vector<uint32_t>& from, const PreparedPod& pod,
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

  // Why FilterTypes kept none of `from` for claim c and the pod at `step`, for
  // a person: a requirement of the pod that no type (or none of its usable
  // offerings) allows, naming the key and both sides; else which resources
  // no single type has.
  std::string TypesFailure(const Claim& c, const std::vector<uint32_t>& from, const RelaxationStep& step,
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

  // Envelope (max) and floor (min) of allocatable over the types the last
  // filter kept, accumulated as it runs.
  void ResetBounds() const {
    bound_max_ = ResourceVector();
    bound_min_ = ResourceVector();
    for (size_t r = 0; r < n_resources_; ++r) bound_min_[r] = std::numeric_limits<int64_t>::max();
  }
  void AddBounds(const int64_t* a) const {
    for (size_t r = 0; r < n_resources_; ++r) {
      if (a[r] > bound_max_[r]) bound_max_[r] = a[r];
      if (a[r] < bound_min_[r]) bound_min_[r] = a[r];
    }
  }

  // minValues (spec §2.8): distinct values per key over the surviving types.
  // Returns the first key short of its minValues with the count achieved.
  std::optional<std::pair<std::string, int>> MinValuesShort(const Template& t, const std::vector<uint32_t>& types,
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

  static Requirements LowerMinValues(const Requirements& reqs, const std::string& key, int to) {
    Requirements out;
    for (model::Requirement r : reqs.All()) {
      if (r.key() == key) r.set_min_values(to);
      out.Add(r);
    }
    return out;
  }

  // Reservation ids of reserved offerings of `types` compatible with reqs;
  // usable_only: only those with instances left (or held by c).
  std::vector<std::string> CompatibleReservations(const Template& t, const std::vector<uint32_t>& types,
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

  enum class Outcome { kOk, kFail, kReserved };

  // Tries to add the pod to claim c; commits on success. why is filled only
  // when given; *permanent says whether the failure can never heal.
  Outcome TryClaim(Claim& c, const PodView& view, std::string* why, bool* permanent) {
    const PreparedPod& pod = *view.pod;
    const RelaxationStep& step = *view.step;
    const Template& t = p_.templates_[c.tmpl];
    *permanent = true;
    ResourceVector used = c.used + pod.requests;
    if (!used.FitsIn(c.envelope)) {
      if (why) *why = "resources";
      return Outcome::kFail;
    }
    if (!ToleratesTaints(view, t.pool->taints)) {
      if (why) *why = "taint " + model::FirstUntolerated(t.pool->taints, pod.pod->tolerations, true)->ToString() +
                      " not tolerated";
      return Outcome::kFail;
    }
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
    if (PortClash(c.host_ports, pod.host_ports)) {
      if (why) *why = "host port conflict";
      return Outcome::kFail;
    }
    // Types whose daemons hold one of the pod's host ports are out (spec §2.8).
    const std::vector<uint32_t>* from = &c.types;
    if (!pod.host_ports.empty() && !t.daemon_ports.empty()) {
      if (!WithoutDaemonPortClash(t, c.types, pod, &ports_scratch_, why)) return Outcome::kFail;
      if (ports_scratch_.size() != c.types.size()) from = &ports_scratch_;
    }
    if (!step.requirements.empty()) {
      if (auto conflict = c.requirements.Compatible(step.requirements)) {
        if (why) *why = *conflict;
        return Outcome::kFail;
      }
    }
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

  bool PlaceOnClaim(const PodView& view, size_t cs) {
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

  // The claim's per-resource max and min allocatable over its types (only
  // the solve's resources; the rest stay zero).
  void SetEnvelope(Claim& c) const {
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

  // The launch path's exotic filter (spec §3.2.3): GPU, accelerator and
  // metal types are dropped while any other type remains (not with minValues).
  // Returns whether exotic types are to be skipped for this claim.
  bool SkipExotic(const Claim& c) const {
    if (p_.has_min_values_[c.tmpl]) return false;
    const std::vector<char>& exotic = p_.exotic_[c.tmpl];
    return std::any_of(c.types.begin(), c.types.end(), [&](uint32_t i) { return !exotic[i]; });
  }

  // Copies what the claim scan reads into flat arrays (cache-friendly).
  void SyncScan(const Claim& c) {
    if (scan_free_.size() <= c.id) {
      scan_free_.resize(c.id + 1);
      scan_domains_.resize((c.id + 1) * n_keys_, -1);
    }
    scan_free_[c.id] = c.envelope - c.used;
    for (size_t k = 0; k < n_keys_ && k < c.domains.size(); ++k) scan_domains_[c.id * n_keys_ + k] = c.domains[k];
  }

  void Reopen(const Claim& c) {
    // A claim that cannot take even the smallest pending request stays closed.
    if (!(c.used + p_.smallest_).FitsIn(c.envelope)) return;
    open_.Insert(c.id, c.pods.size());
  }

  bool PlaceOnNewClaim(const PodView& view, size_t cs, Failure* failure) {
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

  // Why template ti takes no new claim: its nodes limit is used up.
  std::string NodesLimitReason(size_t ti) const {
    const PoolInput& in = p_.input_.pools[p_.templates_[ti].pool_input];
    const size_t planned = static_cast<size_t>(
        std::count_if(claims_.begin(), claims_.end(), [&](const Claim& c) { return c.tmpl == ti; }));
    return "NodePool limit on nodes reached (limit " + in.pool.limits.Get("nodes").ToString() + ": " +
           in.usage.Get("nodes").ToString() + " existing, " + std::to_string(planned) + " new in this plan)";
  }

  // True when some type of template ti that the pool's remaining limits
  // removed has room for the pod.
  bool LimitRemovedFit(size_t ti, const PreparedPod& pod) const {
    const Template& t = p_.templates_[ti];
    for (const TypeOption& opt : t.types) {
      if (!opt.capacity.FitsIn(*limits_[ti]) && pod.requests.FitsIn(opt.allocatable)) return true;
    }
    return false;
  }

  // Why the limits of template ti left no type for the pod: the limited
  // resource that removed the types big enough for it, what is left of it
  // and the least a removed type that fits needs.
  std::string LimitsReason(size_t ti, const PreparedPod& pod) const {
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

  // The cheapest type of template ti that can carry the pod alone.
  double Standalone(const PreparedPod& pod, size_t ti) {
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

  // What Score charges for a claim of template ti that keeps the template's
  // requirements and carries `used`: the first (cheapest) type that fits,
  // skipping exotic types when a plain one fits. Infinity when none fits.
  double PriceFor(size_t ti, const ResourceVector& used) const {
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

  // The type PriceFor charges (its index in the template).
  // REQUIRES: some type of template ti fits used.
  uint32_t PriceTypeFor(size_t ti, const ResourceVector& used) const {
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

  // Pods of a plain claim being re-packed, and the type it is priced at.
  struct Bin {
    ResourceVector used;
    std::vector<size_t> pods;
    uint32_t type = 0;
  };
  bool RepackTemplate(size_t ti, const std::vector<size_t>& group, std::vector<Claim>* out);
  double MovePods(size_t ti, std::vector<Bin>* bins) const;

  const Problem& p_;
  RepackMemo* memo_;
  bool fullest_first_;
  bool cost_aware_;
  // cost_aware: the price a pod may add to a claim, as a share of what it
  // would cost alone (1.0: no more than alone; lower keeps claims smaller).
  double alpha_;
  std::map<uint32_t, std::vector<double>> standalone_;  // per class, per template
  Topology topology_;
  std::vector<ExistingNode> nodes_;
  ReservationCounts reservations_;
  std::vector<int64_t> nodes_left_;  // -1: unlimited
  std::vector<std::optional<ResourceVector>> limits_;
  std::vector<BitSet> dead_nodes_;   // per class-step: nodes that can never take it
  std::vector<char> nodes_exhausted_;  // per class-step: no node can ever take it
  std::vector<BitSet> dead_claims_;  // per class-step: claims that can never take it
  std::vector<size_t> dead_below_;   // per class-step: claims with a lower id can never take it
  std::vector<NewClaimFailure> new_claim_failure_;
  std::vector<Claim> claims_;
  ClaimOrder open_;
  std::vector<int> scan_keys_;
  std::vector<size_t> fresh_;
  size_t n_resources_ = 0;
  size_t n_keys_ = 0;
  std::vector<ResourceVector> scan_free_;  // per claim: envelope − used
  std::vector<int> scan_domains_;          // per claim × key: single domain or -1
  std::vector<std::vector<char>> allowed_;
  std::vector<std::pair<size_t, std::string>> placed_;
  std::map<size_t, Failure> errors_;
  // Scratch space reused across TryClaim calls.
  std::vector<int> keys_;
  std::vector<std::vector<int>> choices_;
  std::vector<uint32_t> probe_;
  std::vector<uint32_t> types_scratch_;
  std::vector<uint32_t> ports_scratch_;
  mutable ResourceVector bound_max_, bound_min_;  // scratch of the type filters
};

void Packing::Repack() {
  for (size_t ti = 0; ti < p_.templates_.size(); ++ti) {
    // Limits and minValues depend on each claim's type list: left alone.
    if (p_.has_min_values_[ti] || p_.templates_[ti].remaining_limits || p_.nodes_left_[ti] >= 0) continue;
    std::vector<size_t> group;  // claim indexes
    for (size_t k = 0; k < claims_.size(); ++k) {
      const Claim& c = claims_[k];
      if (c.tmpl != ti || !c.reservations.empty() || c.min_values_relaxed) continue;
      if (!std::all_of(c.pods.begin(), c.pods.end(), [&](size_t i) { return Plain(p_.pods_[i]); })) continue;
      group.push_back(k);
    }
    if (group.size() < 2) continue;
    std::vector<Claim> repacked;
    if (!RepackTemplate(ti, group, &repacked)) continue;
    // Replace the group's claims by the repacked ones; ids are claim indexes.
    std::vector<Claim> kept;
    kept.reserve(claims_.size() - group.size() + repacked.size());
    size_t g = 0;
    for (size_t k = 0; k < claims_.size(); ++k) {
      if (g < group.size() && group[g] == k) {
        ++g;
        continue;
      }
      kept.push_back(std::move(claims_[k]));
    }
    for (Claim& c : repacked) kept.push_back(std::move(c));
    for (size_t k = 0; k < kept.size(); ++k) kept[k].id = k;
    claims_ = std::move(kept);
  }
}

// Re-packs one pool's plain claims as variable-sized bin packing over pod
// classes (equal requests) and the pool's non-dominated types. Candidates,
// each followed by MovePods: column generation (PackBins, bin_packing.h);
// when that declines (too many classes), a value-density greedy (each class
// worth v = max over resources r of request_r × the lowest price per unit of
// r, its share of the lower bound; each round opens the claim with the most
// value per dollar, priced as Score prices it); and the claims as packed.
// Returns true (and the claims) when the cheapest costs less than the
// group's claims do now.
bool Packing::RepackTemplate(size_t ti, const std::vector<size_t>& group, std::vector<Claim>* out) {
  const Template& t = p_.templates_[ti];
  const size_t n = n_resources_;
  const int64_t* alloc = p_.alloc_[ti].data();
  double before = 0;
  struct Class {
    ResourceVector requests;
    std::vector<size_t> pods;  // indexes into SolverInput::pods, ascending
    double value = 0;
  };
  std::map<std::vector<int64_t>, size_t> class_of;
  std::vector<Class> classes;
  size_t num_pods = 0;
  for (size_t k : group) {
    const Claim& c = claims_[k];
    before += PriceFor(ti, c.used);
    for (size_t i : c.pods) {
      const ResourceVector& req = p_.pods_[i].requests;
      std::vector<int64_t> key(n);
      for (size_t r = 0; r < n; ++r) key[r] = req[r];
      auto [it, added] = class_of.emplace(std::move(key), classes.size());
      if (added) classes.push_back({req, {}, 0});
      classes[it->second].pods.push_back(i);
      ++num_pods;
    }
  }
  // Candidate shapes: types with a price, without those another type of the
  // same kind (exotic or not) beats on price and every resource.
  std::vector<uint32_t> shapes;
  for (uint32_t i = 0; i < t.types.size(); ++i) {
    if (p_.base_price_[ti][i] == std::numeric_limits<double>::infinity()) continue;
    bool dominated = false;
    for (uint32_t j = 0; j < t.types.size() && !dominated; ++j) {
      if (j == i || p_.exotic_[ti][j] != p_.exotic_[ti][i]) continue;
      const double pi = p_.base_price_[ti][i], pj = p_.base_price_[ti][j];
      if (pj > pi) continue;
      bool covers = true, larger = false;
      for (size_t r = 0; r < n; ++r) {
        covers &= alloc[j * n + r] >= alloc[i * n + r];
        larger |= alloc[j * n + r] > alloc[i * n + r];
      }
      // Ties (same price and shape) keep the first.
      dominated = covers && (pj < pi || larger || j < i);
    }
    if (!dominated) shapes.push_back(i);
  }
  // Candidate 1: column generation over the classes (bin_packing.h). When
  // every class fits a plain type, only plain types are offered, as Score
  // prices a claim at a plain type whenever one holds it.
  std::vector<Bin> generated;
  double generated_cost = std::numeric_limits<double>::infinity();
  {
    std::vector<uint32_t> offered;
    for (uint32_t i : shapes) {
      if (!p_.exotic_[ti][i]) offered.push_back(i);
    }
    // Items in request order (class_of's), so the input, and the memo key,
    // depend only on the multiset of requests, not on how a variant packed.
    std::vector<size_t> by_request;  // item -> class
    std::vector<ItemClass> items;
    for (const auto& [requests, k] : class_of) {
      by_request.push_back(k);
      items.push_back({requests, static_cast<int64_t>(classes[k].pods.size())});
    }
    auto fits_some = [&](const ItemClass& item) {
      return std::any_of(offered.begin(), offered.end(), [&](uint32_t i) {
        for (size_t r = 0; r < n; ++r) {
          if (item.size[r] > alloc[static_cast<size_t>(i) * n + r]) return false;
        }
        return true;
      });
    };
    if (!std::all_of(items.begin(), items.end(), fits_some)) offered = shapes;
    std::vector<BinShape> bin_shapes;
    for (uint32_t i : offered) {
      const int64_t* a = alloc + static_cast<size_t>(i) * n;
      bin_shapes.push_back({std::vector<int64_t>(a, a + n), p_.base_price_[ti][i]});
    }
    // The candidate variants of one Solve (SolverOptions::thorough) often
    // re-pack the same pods: solve each (template, items) once.
    std::vector<int64_t> key = {static_cast<int64_t>(ti)};
    for (const ItemClass& item : items) {
      key.insert(key.end(), item.size.begin(), item.size.end());
      key.push_back(item.count);
    }
    auto [memo, added] = memo_->try_emplace(std::move(key));
    if (added) memo->second = PackBins(bin_shapes, items);
    if (const std::optional<BinPackingResult>& packed = memo->second) {
      std::vector<size_t> next_pod(classes.size(), 0);
      for (const PackedBin& pb : packed->bins) {
        Bin b;
        for (size_t i = 0; i < items.size(); ++i) {
          const Class& cl = classes[by_request[i]];
          for (int64_t q = 0; q < pb.take[i]; ++q) {
            b.pods.push_back(cl.pods[next_pod[by_request[i]]++]);
            b.used += cl.requests;
          }
        }
        generated.push_back(std::move(b));
      }
      generated_cost = MovePods(ti, &generated);
    }
  }
  // Candidate 2, only when column generation declined (too many classes):
  // value-density greedy. Bounded work: rounds × shapes × classes (rounds ≤
  // pods).
  if (!generated.empty() ||
      static_cast<double>(num_pods) * static_cast<double>(shapes.size()) * static_cast<double>(classes.size()) > 5e8) {
    shapes.clear();
  }
  for (Class& k : classes) {
    for (size_t r = 0; r < n; ++r) {
      if (k.requests[r] <= 0) continue;
      double per_unit = std::numeric_limits<double>::infinity();
      for (uint32_t i : shapes) {
        const int64_t* a = alloc + static_cast<size_t>(i) * n;
        bool fits = a[r] > 0;
        for (size_t q = 0; q < n && fits; ++q) fits = k.requests[q] <= a[q];
        if (!fits) continue;
        per_unit = std::min(per_unit, p_.base_price_[ti][i] / static_cast<double>(a[r]));
      }
      if (per_unit != std::numeric_limits<double>::infinity()) {
        k.value = std::max(k.value, static_cast<double>(k.requests[r]) * per_unit);
      }
    }
  }
  std::vector<size_t> order(classes.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return classes[a].value > classes[b].value; });
  std::vector<size_t> next(classes.size(), 0);  // first pod of each class not yet packed
  std::vector<int64_t> take(classes.size()), best_take(classes.size());
  std::vector<Bin> bins;
  size_t left = shapes.empty() ? 0 : num_pods;
  while (left > 0) {
    double best_density = -1;
    ResourceVector best_used;
    for (uint32_t i : shapes) {
      const int64_t* a = alloc + static_cast<size_t>(i) * n;
      ResourceVector used;
      double value = 0;
      bool any = false;
      for (size_t k : order) {
        take[k] = 0;
        const Class& cl = classes[k];
        int64_t q = static_cast<int64_t>(cl.pods.size() - next[k]);
        for (size_t r = 0; r < n && q > 0; ++r) {
          if (cl.requests[r] > 0) q = std::min(q, (a[r] - used[r]) / cl.requests[r]);
        }
        if (q <= 0) continue;
        take[k] = q;
        any = true;
        for (size_t r = 0; r < n; ++r) used[r] += q * cl.requests[r];
        value += static_cast<double>(q) * cl.value;
      }
      if (!any) continue;
      const double price = PriceFor(ti, used);
      const double density = price > 0 ? value / price : std::numeric_limits<double>::max();
      if (density > best_density) {
        best_density = density;
        best_used = used;
        best_take = take;
      }
    }
    if (best_density < 0) {  // defensive: every pod fit a claim before
      bins.clear();
      break;
    }
    Bin b;
    b.used = best_used;
    for (size_t k = 0; k < classes.size(); ++k) {
      for (int64_t q = 0; q < best_take[k]; ++q) b.pods.push_back(classes[k].pods[next[k]++]);
      left -= static_cast<size_t>(best_take[k]);
    }
    bins.push_back(std::move(b));
  }
  // Candidate 3: the group's claims as they are, improved by moving pods.
  std::vector<Bin> moved;
  for (size_t k : group) moved.push_back({claims_[k].used, claims_[k].pods});
  const double greedy_cost =
      left == 0 && !bins.empty() ? MovePods(ti, &bins) : std::numeric_limits<double>::infinity();
  const double moved_cost = MovePods(ti, &moved);
  // The cheapest wins (ties: the earlier candidate); none unless it beats
  // the claims as packed, so the post-pass never costs more.
  const double best = std::min({generated_cost, greedy_cost, moved_cost});
  if (best >= before - 1e-9) return false;
  if (generated_cost == best) {
    bins = std::move(generated);
  } else if (greedy_cost != best) {
    bins = std::move(moved);
  }
  for (Bin& b : bins) {
    if (b.pods.empty()) continue;
    Claim c;
    c.tmpl = ti;
    c.host = topology_.NewAnonymousDomain(topology_.hostname_key());
    c.requirements = claims_[group.front()].requirements;
    c.used = b.used;
    c.pods = std::move(b.pods);
    std::sort(c.pods.begin(), c.pods.end());
    for (uint32_t i = 0; i < t.types.size(); ++i) {
      const int64_t* a = alloc + static_cast<size_t>(i) * n;
      bool fits = true;
      for (size_t r = 0; r < n; ++r) fits &= c.used[r] <= a[r];
      if (fits) c.types.push_back(i);
    }
    SetEnvelope(c);
    c.domains.resize(static_cast<size_t>(topology_.num_keys()));
    for (int key = 0; key < topology_.num_keys(); ++key) {
      c.domains[static_cast<size_t>(key)] = ClaimDomain(c, c.requirements, key);
    }
    out->push_back(std::move(c));
  }
  return true;
}

// Local search over plain bins of template ti: a pod moves to another bin
// when that bin holds it without a dearer type and its own bin gets cheaper
// (an emptied bin costs nothing). Receivers are the bins with room for the
// group's smallest request. Returns the bins' total price afterwards.
double Packing::MovePods(size_t ti, std::vector<Bin>* bins) const {
  const size_t n = n_resources_;
  const int64_t* alloc = p_.alloc_[ti].data();
  ResourceVector smallest;
  for (size_t r = 0; r < n; ++r) smallest[r] = std::numeric_limits<int64_t>::max();
  for (Bin& b : *bins) {
    b.type = PriceTypeFor(ti, b.used);
    for (size_t i : b.pods) smallest = ResourceVector::Min(smallest, p_.pods_[i].requests);
  }
  auto room = [&](const Bin& b) {
    ResourceVector free;
    const int64_t* a = alloc + static_cast<size_t>(b.type) * n;
    for (size_t r = 0; r < n; ++r) free[r] = a[r] - b.used[r];
    return free;
  };
  for (int pass = 0; pass < 4; ++pass) {
    std::vector<size_t> receivers;
    std::vector<ResourceVector> free(bins->size());
    for (size_t k = 0; k < bins->size(); ++k) {
      if ((*bins)[k].pods.empty()) continue;
      free[k] = room((*bins)[k]);
      if (smallest.FitsInFirst(free[k], n)) receivers.push_back(k);
    }
    if (receivers.empty()) break;
    bool improved = false;
    for (size_t k = 0; k < bins->size(); ++k) {
      Bin& donor = (*bins)[k];
      for (size_t j = 0; j < donor.pods.size();) {
        const ResourceVector& req = p_.pods_[donor.pods[j]].requests;
        const double now = p_.base_price_[ti][donor.type];
        const ResourceVector rest = donor.used - req;
        const bool empties = donor.pods.size() == 1;
        const uint32_t rest_type = empties ? donor.type : PriceTypeFor(ti, rest);
        const double gain = empties ? now : now - p_.base_price_[ti][rest_type];
        size_t to = SIZE_MAX;
        if (gain > 1e-9) {
          for (size_t r : receivers) {
            if (r != k && !(*bins)[r].pods.empty() && req.FitsInFirst(free[r], n)) {
              to = r;
              break;
            }
          }
        }
        if (to == SIZE_MAX) {
          ++j;
          continue;
        }
        Bin& dest = (*bins)[to];
        dest.pods.push_back(donor.pods[j]);
        dest.used += req;
        free[to] -= req;
        donor.pods.erase(donor.pods.begin() + static_cast<long>(j));
        donor.used = rest;
        donor.type = rest_type;
        if (!donor.pods.empty()) free[k] = room(donor);
        improved = true;
      }
    }
    if (!improved) break;
  }
  double total = 0;
  for (const Bin& b : *bins) {
    if (!b.pods.empty()) total += p_.base_price_[ti][b.type];
  }
  return total;
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

double LowerBound(const Problem& p, const Plan& plan) {
  // LB_r = Σ_pods request_r × min over types that can carry the pod of price / allocatable_r,
  // over the pods the plan buys capacity for (pods on existing nodes cost nothing,
  // and unschedulable pods are not in the plan's cost either).
  std::vector<double> lb(p.space_.size(), 0.0);
  // Per template and type: the node-side requirements and, for pods that add
  // none of their own, the cheapest offering.
  std::vector<std::vector<Requirements>> node_reqs(p.templates_.size());
  std::vector<std::vector<std::optional<double>>> base_price(p.templates_.size());
  for (size_t ti = 0; ti < p.templates_.size(); ++ti) {
    const Template& t = p.templates_[ti];
    for (const TypeOption& opt : t.types) {
      Requirements node = opt.type->requirements;
      node.Add(t.requirements);
      base_price[ti].push_back(CheapestUsableOffering(*opt.type, node));
      node_reqs[ti].push_back(std::move(node));
    }
  }
  // Pods of one equivalence class share their per-resource minimum.
  std::map<uint32_t, std::vector<double>> memo;
  for (const NewClaim& c : plan.claims) {
    for (size_t index : c.pods) {
      const PreparedPod& pod = p.pods_[index];
      auto [it, added] = memo.try_emplace(pod.equivalence_class);
      std::vector<double>& best = it->second;
      if (added) {
        best.assign(p.space_.size(), std::numeric_limits<double>::infinity());
        const RelaxationStep& step = pod.steps.back();
        PodView view{&pod, &step};
        for (size_t ti = 0; ti < p.templates_.size(); ++ti) {
          const Template& t = p.templates_[ti];
          if (!ToleratesTaints(view, t.pool->taints)) continue;
          if (t.requirements.Compatible(step.requirements)) continue;
          for (size_t k = 0; k < t.types.size(); ++k) {
            const TypeOption& opt = t.types[k];
            if (!pod.requests.FitsIn(opt.allocatable)) continue;
            if (!pod.host_ports.empty() && opt.daemon_ports >= 0 &&
                PortClash(t.daemon_ports[static_cast<size_t>(opt.daemon_ports)].ports, pod.host_ports)) {
              continue;
            }
            std::optional<double> price = base_price[ti][k];
            if (!step.requirements.empty()) {
              const Requirements& node = node_reqs[ti][k];
              if (node.Compatible(step.requirements)) continue;
              Requirements all = node;
              all.Add(step.requirements);
              price = CheapestUsableOffering(*opt.type, all);
            }
            if (!price) continue;
            for (size_t r = 0; r < p.space_.size(); ++r) {
              if (opt.allocatable[r] > 0) {
                best[r] = std::min(best[r], *price / static_cast<double>(opt.allocatable[r]));
              }
            }
          }
        }
      }
      for (size_t r = 0; r < p.space_.size(); ++r) {
        if (pod.requests[r] > 0 && best[r] != std::numeric_limits<double>::infinity()) {
          lb[r] += static_cast<double>(pod.requests[r]) * best[r];
        }
      }
    }
  }
  return lb.empty() ? 0 : *std::max_element(lb.begin(), lb.end());
}

std::vector<size_t> QueueOrder(const SolverInput& input) {
  // Spec §2.4: CPU desc, memory desc, creation asc, then UID (name as fallback).
  std::vector<size_t> order(input.pods.size());
  std::vector<std::pair<int64_t, int64_t>> key(input.pods.size());
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
    model::ResourceList r = input.pods[i].EffectiveRequests();
    key[i] = {r.Get(model::resource::kCpu).milli(), r.Get(model::resource::kMemory).milli()};
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (key[a] != key[b]) return key[a] > key[b];
    const auto& ma = input.pods[a].meta;
    const auto& mb = input.pods[b].meta;
    if (ma.creation_time != mb.creation_time) return ma.creation_time < mb.creation_time;
    if (ma.uid != mb.uid) return ma.uid < mb.uid;
    return std::tie(ma.namespace_, ma.name) < std::tie(mb.namespace_, mb.name);
  });
  return order;
}

}  // namespace

Plan Solve(const SolverInput& input, const SolverOptions& options) {
  Problem problem(input, options);
  std::vector<size_t> queue = QueueOrder(input);
  RepackMemo memo;
  auto karpenter = std::make_unique<Packing>(problem, &memo, /*fullest_first=*/false, /*cost_aware=*/false);
  karpenter->Run(queue);
  // With no pools there is nothing to buy: both orders give the same plan.
  if (options.packer == Packer::kKarpenter || input.pools.empty()) {
    Plan plan = karpenter->Finish();
    if (options.compute_lower_bound) plan.lower_bound = LowerBound(problem, plan);
    return plan;
  }
  // Candidate packings: Karpenter's, best fit by price per packed pod, and
  // with options.thorough two more thresholds. The first that places the
  // most pods at the lowest cost wins (ties keep the earlier, so the result
  // is deterministic and never dearer than Karpenter's).
  struct Variant {
    bool fullest_first;
    double alpha;
  };
  std::vector<Variant> variants = {{true, 1.0}};
  if (options.thorough) {
    variants.push_back({true, 0.5});
    variants.push_back({false, 0.9});
  }
  // Only the best packing so far is kept alive (a packing holds its claims,
  // topology counts and memos).
  std::unique_ptr<Packing> best = std::move(karpenter);
  std::pair<size_t, double> best_score = best->Score();
  for (const Variant& v : variants) {
    auto packing = std::make_unique<Packing>(problem, &memo, v.fullest_first, /*cost_aware=*/true, v.alpha);
    packing->Run(queue);
    packing->Repack();
    std::pair<size_t, double> score = packing->Score();
    if (score.first < best_score.first || (score.first == best_score.first && score.second < best_score.second)) {
      best = std::move(packing);
      best_score = score;
    }
  }
  Plan plan = best->Finish();
  if (options.compute_lower_bound) plan.lower_bound = LowerBound(problem, plan);
  return plan;
}

}  // namespace adze::scheduling
