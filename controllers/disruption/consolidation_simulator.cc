#include "controllers/disruption/consolidation_simulator.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "controllers/claim_factory.h"
#include "controllers/pool_usage.h"
#include "model/labels.h"
#include "scheduling/pod_shape.h"

namespace adze::controllers::disruption {

namespace label = model::label;

namespace {

// Spot-to-spot single-node consolidation keeps at least this many cheaper
// types (spec §6.5).
constexpr size_t kSpotToSpotMinTypes = 15;


bool HasDisruptedTaint(const model::Node& node) {
  return std::any_of(node.taints.begin(), node.taints.end(),
                     [](const model::Taint& t) { return t.key == kDisruptedTaintKey; });
}

// The capacity type a claim would launch with: reserved, then spot, then
// on-demand, the first its requirements allow with an available offering.
std::string LaunchCapacityType(const scheduling::NewClaim& claim) {
  const model::Requirement allowed = claim.requirements.Get(label::kCapacityType);
  const model::Requirement zones = claim.requirements.Get(label::kZone);
  for (const char* ct : {"reserved", "spot", "on-demand"}) {
    if (!allowed.Has(ct)) continue;
    for (const catalog::InstanceType* t : claim.instance_types) {
      for (const auto& o : t->offerings) {
        if (o.available && o.capacity_type == ct && zones.Has(o.zone)) return ct;
      }
    }
  }
  return "";
}

// The dearest available offering of the type in that capacity type and the
// claim's zones: what the launch could cost at worst.
double WorstLaunchPrice(const catalog::InstanceType& type, const std::string& capacity_type,
                        const model::Requirements& requirements) {
  const model::Requirement zones = requirements.Get(label::kZone);
  double worst = -1;
  for (const auto& o : type.offerings) {
    if (o.available && o.capacity_type == capacity_type && zones.Has(o.zone)) worst = std::max(worst, o.price_per_hour);
  }
  return worst;
}

}  // namespace

std::string PoolsFingerprint(const std::vector<model::NodePool>& pools) {
  std::string fingerprint;
  for (const model::NodePool& pool : pools) {
    fingerprint += pool.meta.name + ":" + NodePoolHash(pool) + ":" + std::to_string(pool.weight) + ":" +
                   pool.limits.ToString();
    for (const model::Requirement& r : pool.requirements) fingerprint += ";" + r.ToString();
    fingerprint += ",";
  }
  return fingerprint;
}

ConsolidationSimulator::ConsolidationSimulator(const ports::ClusterSnapshot& cluster, ports::CloudProvider& cloud,
                                               const std::vector<Candidate>& candidates, SimulatorOptions options,
                                               ReplacementBound* bound, SolveCache* cache)
    : cluster_(cluster),
      cloud_(cloud),
      candidates_(candidates),
      bound_(bound),
      cache_(cache),
      options_(options) {
  // Names viewed in place: they live in the snapshot, which outlives this.
  std::unordered_map<std::string_view, size_t> slot_of_node;
  const std::vector<const ports::NodeInfo*> nodes = cluster.Nodes();
  slot_of_node.reserve(nodes.size());
  slots_.reserve(nodes.size());
  for (const ports::NodeInfo* node : nodes) {
    Slot slot;
    slot.node = node;
    slot.free = FreeRoom(node->node.allocatable, node->requested, KeptRoom(node->node.meta.name));
    slot.usable = node->initialized && node->node.ready && !node->node.unschedulable && !node->deleting &&
                  !HasDisruptedTaint(node->node);
    slot_of_node[node->node.meta.name] = slots_.size();
    slots_.push_back(slot);
  }
  for (const Candidate& c : candidates) {
    slot_of_candidate_.push_back(slot_of_node.at(std::string_view(c.node->node.meta.name)));
  }
  pods_of_candidate_.resize(candidates.size());
  solver_input_.daemon_sets = cluster.DaemonSets();
  const std::string fingerprint = PoolsFingerprint(cluster.NodePools());
  if (bound_ != nullptr) {
    bound_->SetPools(
        [this] {
          EnsurePools();
          std::vector<ReplacementBound::PoolTypes> pools;
          for (const auto& in : solver_input_.pools) pools.push_back({&in.pool, &in.instance_types.all()});
          return pools;
        },
        fingerprint);
  }
}

void ConsolidationSimulator::EnsurePools() {
  if (pools_loaded_) return;
  pools_loaded_ = true;
  for (const model::NodePool& pool : cluster_.NodePools()) {
    auto types = cloud_.GetInstanceTypes(pool);
    if (!types.ok()) continue;
    scheduling::PoolInput in;
    in.pool = pool;
    in.instance_types = std::move(types).value();
    in.usage = PoolUsage(pool, cluster_.NodeClaims(), /*count_nodes=*/false);
    solver_input_.pools.push_back(std::move(in));
  }
}

ConsolidationSimulator::Vec ConsolidationSimulator::ToVec(const model::ResourceList& list) {
  Vec v{};
  for (const auto& [name, q] : list) {
    auto it = std::find(dims_.begin(), dims_.end(), name);
    size_t i = static_cast<size_t>(it - dims_.begin());
    if (it == dims_.end()) {
      if (dims_.size() == kDims) {
        too_many_dims_ = true;  // the exact path (the solver) takes over
        continue;
      }
      dims_.push_back(name);
    }
    v[i] = q.milli();
  }
  return v;
}

ConsolidationSimulator::Vec ConsolidationSimulator::FreeRoom(const model::ResourceList& allocatable,
                                                             const model::ResourceList& requested,
                                                             const model::ResourceList& kept) {
  // Once every name is a known dimension, subtract densely; a new name goes
  // through ToVec, which registers dimensions in name order (the order that
  // decides which pods a probe places first).
  Vec v{};
  const std::pair<const model::ResourceList*, int64_t> terms[] = {{&allocatable, 1}, {&requested, -1}, {&kept, -1}};
  for (const auto& [list, sign] : terms) {
    for (const auto& [name, q] : *list) {
      auto it = std::find(dims_.begin(), dims_.end(), name);
      if (it == dims_.end()) {
        model::ResourceList free = allocatable;
        free.Subtract(requested);
        free.Subtract(kept);
        return ToVec(free);
      }
      v[static_cast<size_t>(it - dims_.begin())] += sign * q.milli();
    }
  }
  return v;
}

const std::vector<ConsolidationSimulator::PodShape>& ConsolidationSimulator::PodsOf(size_t candidate) {
  std::optional<std::vector<PodShape>>& known = pods_of_candidate_[candidate];
  if (known) return *known;
  // Pods equal in everything PodShapeKey reads have its key: compare with
  // the few shapes met last before building the text (building it for every
  // pod was half of the simulator's set-up on 8,000 pods).
  auto same_shape = [](const model::Pod& a, const model::Pod& b) {
    return a.tolerations == b.tolerations && a.node_selector == b.node_selector &&
           a.required_node_affinity == b.required_node_affinity && a.HostPorts() == b.HostPorts();
  };
  std::vector<PodShape>& pods = known.emplace();
  for (const ports::PodInfo* p : candidates_[candidate].pods) {
    PodShape ps;
    ps.pod = p;
    model::ResourceList requests = p->pod.EffectiveRequests();
    auto hit = std::find_if(recent_shapes_.begin(), recent_shapes_.end(), [&](const RecentShape& r) {
      return r.requests == requests && same_shape(*r.pod, p->pod);
    });
    if (hit != recent_shapes_.end()) {
      ps.shape = hit->shape;
      std::rotate(recent_shapes_.begin(), hit, hit + 1);
    } else {
      std::string key = scheduling::PodShapeKey(p->pod);
      auto [it, inserted] = shape_of_key_.emplace(key, shape_pods_.size());
      if (inserted) {
        shape_pods_.push_back(&p->pod);
        shape_keys_.push_back(std::move(key));
        compatible_.emplace_back(slots_.size(), int8_t{-1});
      }
      ps.shape = it->second;
      if (recent_shapes_.size() == kRecentShapes) recent_shapes_.pop_back();
      recent_shapes_.insert(recent_shapes_.begin(), RecentShape{&p->pod, requests, ps.shape});
    }
    ps.request = ToVec(requests);
    pods.push_back(ps);
  }
  return pods;
}

bool ConsolidationSimulator::Compatible(size_t shape, size_t slot) {
  int8_t& known = compatible_[shape][slot];
  if (known < 0) {
    const model::Pod& pod = *shape_pods_[shape];
    const model::Node& node = slots_[slot].node->node;
    known = !model::FirstUntolerated(node.taints, pod.tolerations) && pod.MatchesNodeLabels(node.meta.labels);
  }
  return known == 1;
}

model::ResourceList ConsolidationSimulator::KeptRoom(const std::string& node) const {
  if (options_.kept_room == nullptr) return {};
  auto it = options_.kept_room->find(node);
  return it == options_.kept_room->end() ? model::ResourceList{} : it->second;
}

const std::vector<size_t>& ConsolidationSimulator::FitSlots(size_t shape, const Vec& request) {
  if (fit_slots_.size() < shape_pods_.size()) fit_slots_.resize(shape_pods_.size());
  std::optional<std::vector<size_t>>& fit = fit_slots_[shape];
  if (!fit) {
    fit.emplace();
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (!slots_[i].usable || !Compatible(shape, i)) continue;
      bool fits = true;
      for (size_t d = 0; d < dims_.size(); ++d) fits = fits && request[d] <= slots_[i].free[d];
      if (fits) fit->push_back(i);
    }
  }
  return *fit;
}

ConsolidationSimulator::SpotRule ConsolidationSimulator::SpotRuleFor(std::span<const size_t> candidate_indexes) const {
  for (size_t c : candidate_indexes) {
    if (candidates_[c].claim->capacity_type != "spot") return SpotRule::kAny;
  }
  if (!options_.spot_to_spot) return SpotRule::kDeleteOnly;
  return candidate_indexes.size() == 1 ? SpotRule::kSingleNode : SpotRule::kMultiNode;
}

Move ConsolidationSimulator::Simulate(std::span<const size_t> candidate_indexes) {
  // Excluded slots and free room are tracked per probe with epoch stamps, so a
  // probe costs what it touches, not the size of the cluster.
  ++epoch_;
  if (stamp_.size() != slots_.size()) {
    stamp_.assign(slots_.size(), 0);
    excluded_stamp_.assign(slots_.size(), 0);
    scratch_free_.resize(slots_.size());
  }
  double candidate_price = 0;
  const SpotRule spot = SpotRuleFor(candidate_indexes);
  bool exact = too_many_dims_;
  std::vector<PodShape> pods;
  for (size_t c : candidate_indexes) {
    excluded_stamp_[slot_of_candidate_[c]] = epoch_;
    candidate_price += candidates_[c].price;
    for (const PodShape& p : PodsOf(c)) {
      pods.push_back(p);
      exact = exact || p.pod->pod.HasInterPodConstraints();
    }
  }
  if (exact) {
    std::vector<bool> excluded(slots_.size(), false);
    for (size_t i = 0; i < slots_.size(); ++i) excluded[i] = excluded_stamp_[i] == epoch_;
    std::vector<const ports::PodInfo*> all;
    for (const PodShape& p : pods) all.push_back(p.pod);
    return SolveRest(all, excluded, spot, candidate_price, /*with_nodes=*/true);
  }
  // First fit, biggest first (by the first dimensions: cpu and memory come first in practice).
  std::stable_sort(pods.begin(), pods.end(), [](const PodShape& a, const PodShape& b) { return a.request > b.request; });
  auto free = [&](size_t i) -> Vec& {
    if (stamp_[i] != epoch_) {
      stamp_[i] = epoch_;
      scratch_free_[i] = slots_[i].free;
    }
    return scratch_free_[i];
  };
  // A cursor per shape into the slots that could take it at all (free room
  // only shrinks during a probe, so a slot that could not take a shape never can).
  std::vector<size_t> cursor(shape_pods_.size(), 0);
  std::vector<const ports::PodInfo*> rest;
  std::vector<std::pair<std::string, const model::Pod*>> rest_shapes;
  for (const PodShape& p : pods) {
    const std::vector<size_t>& fit = FitSlots(p.shape, p.request);
    size_t& k = cursor[p.shape];
    for (; k < fit.size(); ++k) {
      const size_t i = fit[k];
      if (excluded_stamp_[i] == epoch_) continue;
      const Vec& room = free(i);
      bool fits = true;
      for (size_t d = 0; d < dims_.size(); ++d) fits = fits && p.request[d] <= room[d];
      if (fits) break;
    }
    if (k == fit.size()) {
      rest.push_back(p.pod);
      rest_shapes.emplace_back(shape_keys_[p.shape], &p.pod->pod);
      continue;
    }
    Vec& room = free(fit[k]);
    for (size_t d = 0; d < dims_.size(); ++d) room[d] -= p.request[d];
  }
  Move move;
  if (rest.empty()) {
    move.feasible = true;
    move.candidate_price = candidate_price;
    move.pods = pods.size();
    return move;
  }
  if (rest.size() > options_.max_pods_needing_new_capacity) {
    move.candidate_price = candidate_price;
    move.pods = pods.size();
    move.reason = std::to_string(rest.size()) + " pods would need new capacity";
    return move;
  }
  if (bound_ != nullptr && options_.require_cheaper) {
    if (bound_->For(rest_shapes) >= candidate_price) {
      move.candidate_price = candidate_price;
      move.pods = pods.size();
      move.reason = "new capacity for the pods that do not fit elsewhere would not be cheaper";
      return move;
    }
  }
  // The solver's verdict depends only on the pods left over, the price to
  // beat and the spot rule: ask it once per such question.
  std::string key;
  if (cache_ != nullptr) {
    std::vector<std::string> keys;
    for (const auto& [shape, pod] : rest_shapes) keys.push_back(shape);
    std::sort(keys.begin(), keys.end());
    for (const auto& k : keys) key += k + "#";
    key += std::to_string(candidate_price) + static_cast<char>(spot);
    if (const Move* known = cache_->Find(key)) {
      move = *known;
      move.pods = pods.size();
      return move;
    }
  }
  move = SolveRest(rest, /*excluded=*/{}, spot, candidate_price, /*with_nodes=*/false);
  if (cache_ != nullptr) cache_->Put(key, move);
  move.pods = pods.size();
  return move;
}

Move ConsolidationSimulator::SolveRest(const std::vector<const ports::PodInfo*>& pods,
                                       const std::vector<bool>& excluded, SpotRule spot, double candidate_price,
                                       bool with_nodes) {
  Move move;
  move.candidate_price = candidate_price;
  move.pods = pods.size();
  EnsurePools();
  solver_input_.pods.clear();
  solver_input_.nodes.clear();
  for (const ports::PodInfo* p : pods) solver_input_.pods.push_back(p->pod);
  if (with_nodes) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (excluded[i] || !slots_[i].usable) continue;
      scheduling::NodeInput in;
      in.node = slots_[i].node->node;
      in.node.allocatable.Subtract(KeptRoom(in.node.meta.name));
      for (const std::string& name : slots_[i].node->pods) {
        if (const ports::PodInfo* bound = cluster_.GetPod(name)) in.pods.push_back(bound->pod);
      }
      solver_input_.nodes.push_back(std::move(in));
    }
  }
  const scheduling::Plan plan = scheduling::Solve(solver_input_, scheduling::SolverOptions{.compute_lower_bound = false});
  if (!plan.unschedulable.empty()) {
    move.reason = "pod " + solver_input_.pods[plan.unschedulable.front().pod].meta.name + " has no other place: " +
                  plan.unschedulable.front().reason;
    return move;
  }
  if (plan.claims.size() > options_.max_replacements) {
    move.reason = "needs " + std::to_string(plan.claims.size()) + " replacements";
    return move;
  }
  move.feasible = PriceReplacements(plan, spot, candidate_price, move);
  return move;
}

bool ConsolidationSimulator::PriceReplacements(const scheduling::Plan& plan, SpotRule spot, double candidate_price,
                                               Move& move) {
  // Each replacement's cheapest worst-case price, then each keeps the types
  // that leave the total strictly under the candidates' price.
  struct Priced {
    std::string capacity_type;
    std::vector<std::pair<double, const catalog::InstanceType*>> types;  // worst price, type
  };
  std::vector<Priced> priced;
  double cheapest_total = 0;
  for (const scheduling::NewClaim& claim : plan.claims) {
    Priced p;
    p.capacity_type = LaunchCapacityType(claim);
    if (p.capacity_type.empty()) {
      move.reason = "no available offering for a replacement";
      return false;
    }
    if (spot == SpotRule::kDeleteOnly && p.capacity_type == "spot") {
      move.reason = "spot-to-spot consolidation is disabled";
      return false;
    }
    for (const catalog::InstanceType* t : claim.instance_types) {
      const double worst = WorstLaunchPrice(*t, p.capacity_type, claim.requirements);
      if (worst >= 0) p.types.emplace_back(worst, t);
    }
    std::sort(p.types.begin(), p.types.end(),
              [](const auto& a, const auto& b) { return a.first != b.first ? a.first < b.first : a.second->name < b.second->name; });
    if (p.types.empty()) {
      move.reason = "no priced type for a replacement";
      return false;
    }
    cheapest_total += p.types.front().first;
    priced.push_back(std::move(p));
  }
  if (options_.require_cheaper && cheapest_total >= candidate_price) {
    move.reason = "replacements would not be cheaper";
    return false;
  }
  for (size_t i = 0; i < plan.claims.size(); ++i) {
    const scheduling::NewClaim& planned = plan.claims[i];
    Priced& p = priced[i];
    const double others = cheapest_total - p.types.front().first;
    scheduling::NewClaim kept = planned;
    kept.instance_types.clear();
    for (const auto& [worst, type] : p.types) {
      if (!options_.require_cheaper || worst + others < candidate_price) kept.instance_types.push_back(type);
    }
    if (spot == SpotRule::kSingleNode && p.capacity_type == "spot") {
      const model::Requirement* types = planned.requirements.Find(label::kInstanceType);
      const size_t needed = std::max<size_t>(kSpotToSpotMinTypes, types && types->min_values() ? *types->min_values() : 0);
      if (kept.instance_types.size() < needed) {
        move.reason = "spot-to-spot needs " + std::to_string(needed) + " cheaper spot types, " +
                      std::to_string(kept.instance_types.size()) + " remain";
        move.replacements.clear();
        move.replacement_price = 0;
        return false;
      }
      kept.instance_types.resize(needed);  // the cheapest: sorted by worst launch price
    }
    // Replacements launch in the capacity type they were priced in.
    kept.capacity_types = {p.capacity_type};
    kept.requirements.Add(model::Requirement::In(std::string(label::kCapacityType), {p.capacity_type}));
    const model::NodePool* pool = nullptr;
    for (const auto& in : solver_input_.pools) {
      if (in.pool.meta.name == planned.node_pool) pool = &in.pool;
    }
    Replacement r;
    r.node_pool = planned.node_pool;
    r.price = p.types.front().first;
    r.claim = MakeNodeClaim(kept, *pool, "");
    move.replacement_price += r.price;
    move.replacements.push_back(std::move(r));
  }
  return true;
}

}  // namespace adze::controllers::disruption
