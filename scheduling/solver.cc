#include "scheduling/solver.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "model/check.h"
#include "scheduling/prepared_pod.h"
#include "scheduling/template.h"
#include "scheduling/topology.h"

namespace adze::scheduling {
namespace {

using model::Requirements;

struct ExistingNode {
  const NodeInput* input = nullptr;
  Requirements labels;  // node labels + hostname, as requirements
  ResourceVector remaining;
  std::vector<model::ContainerPort> host_ports;
};

struct Claim {
  size_t id = 0;
  size_t tmpl = 0;
  std::string hostname;
  Requirements requirements;
  std::vector<uint32_t> types;  // indexes into Template::types, price order
  ResourceVector used;          // pods only
  ResourceVector envelope;      // per-resource max allocatable over `types`
  std::vector<size_t> pods;
  std::vector<model::ContainerPort> host_ports;
};

bool PortsClash(const std::vector<model::ContainerPort>& used, const std::vector<model::ContainerPort>& want) {
  for (const auto& w : want) {
    for (const auto& u : used) {
      if (u.host_port != w.host_port || u.protocol != w.protocol) continue;
      bool any_ip = u.host_ip.empty() || u.host_ip == "0.0.0.0" || u.host_ip == "::" || w.host_ip.empty() ||
                    w.host_ip == "0.0.0.0" || w.host_ip == "::";
      if (any_ip || u.host_ip == w.host_ip) return true;
    }
  }
  return false;
}

// One solve's shared, read-only preparation.
class Problem {
 public:
  Problem(const SolverInput& input, const SolverOptions& options) : input_(input), options_(options) {
    for (const auto& p : input.pods) space_.AddNames(p.EffectiveRequests());
    for (const auto& pool : input.pools) {
      for (const auto& t : pool.instance_types) space_.AddNames(t.capacity);
    }
    // Pools by weight (descending), ties by name descending (spec §2.3.1).
    std::vector<const PoolInput*> pools;
    for (const auto& p : input.pools) pools.push_back(&p);
    std::stable_sort(pools.begin(), pools.end(), [](const PoolInput* a, const PoolInput* b) {
      if (a->pool.weight != b->pool.weight) return a->pool.weight > b->pool.weight;
      return a->pool.meta.name > b->pool.meta.name;
    });
    for (const PoolInput* p : pools) {
      templates_.push_back(BuildTemplate(p->pool, p->instance_types, p->usage, input.daemon_sets, space_));
    }
    for (size_t i = 0; i < input.pods.size(); ++i) pods_.push_back(PreparePod(input.pods[i], i, space_));
    for (auto& p : pods_) topology_.Register(p);

    for (const NodeInput& n : input.nodes) {
      ExistingNode e;
      e.input = &n;
      model::Labels labels = n.node.meta.labels;
      labels.emplace(model::label::kHostname, n.node.meta.name);
      e.labels = Requirements::FromLabels(labels);
      e.remaining = space_.ToVector(n.node.allocatable);
      for (const model::Pod& bound : n.pods) {
        e.remaining -= space_.ToVector(bound.EffectiveRequests());
        auto ports = bound.HostPorts();
        e.host_ports.insert(e.host_ports.end(), ports.begin(), ports.end());
        bound_.push_back(PreparePod(bound, SIZE_MAX, space_));
        bound_.back().pod = &bound;
        topology_.Register(bound_.back());
      }
      for (const auto& [k, v] : labels) topology_.AddDomain(k, v);
      nodes_.push_back(std::move(e));
    }
    // Seed counts with bound pods (spec §2.3.4).
    size_t b = 0;
    for (const ExistingNode& e : nodes_) {
      for (size_t k = 0; k < e.input->pods.size(); ++k, ++b) {
        topology_.Record(bound_[b], [&](const std::string& key) -> std::optional<std::string> {
          if (auto* r = e.labels.Find(key)) return r->Any();
          return std::nullopt;
        });
      }
    }
    // Domains the pools can produce, for every key a term mentions.
    std::set<std::string> keys;
    for (const auto& p : pods_) {
      for (const auto& t : p.topology) keys.insert(t.key);
    }
    for (const Template& t : templates_) {
      for (const TypeOption& opt : t.types) {
        for (const catalog::Offering& o : opt.type->offerings) {
          if (o.available && t.requirements.Get(model::label::kZone).Has(o.zone)) {
            topology_.AddDomain(std::string(model::label::kZone), o.zone);
          }
        }
        for (const std::string& key : keys) {
          if (key == model::label::kZone || key == model::label::kHostname) continue;
          model::Requirement r = opt.type->requirements.Get(key).Intersect(t.requirements.Get(key));
          if (!r.complement()) {
            for (const auto& v : r.values()) topology_.AddDomain(key, v);
          }
        }
      }
    }
    // Existing nodes: initialized (ready) first, then by name.
    std::stable_sort(nodes_.begin(), nodes_.end(), [](const ExistingNode& a, const ExistingNode& b) {
      if (a.input->node.ready != b.input->node.ready) return a.input->node.ready;
      return a.input->node.meta.name < b.input->node.meta.name;
    });
  }

  const SolverInput& input_;
  const SolverOptions& options_;
  ResourceSpace space_;
  std::vector<Template> templates_;
  std::vector<PreparedPod> pods_;
  std::vector<PreparedPod> bound_;
  std::vector<ExistingNode> nodes_;
  Topology topology_;
};

// One packing pass over the queue.
class Packing {
 public:
  Packing(const Problem& problem, bool fullest_first)
      : p_(problem), fullest_first_(fullest_first), topology_(problem.topology_), nodes_(problem.nodes_) {
    for (const Template& t : p_.templates_) {
      limits_.push_back(t.remaining_limits);
      nodes_left_.push_back(t.nodes_limit_reached ? 0 : -1);
    }
    if (!p_.templates_.empty()) {
      for (const Template& t : p_.templates_) {
        if (t.pool->limits.Has("nodes")) {
          int64_t left = t.pool->limits.Get("nodes").Value();
          const PoolInput* in = Find(t.pool->meta.name);
          if (in) left -= in->usage.Get("nodes").Value();
          nodes_left_[&t - &p_.templates_[0]] = std::max<int64_t>(0, left);
        }
      }
    }
  }

  void Run(const std::vector<size_t>& queue) {
    std::vector<size_t> pending = queue;
    // Failed pods are retried while the queue keeps shrinking, so pods whose
    // affinity depends on pods later in the queue can still land (spec §2.4).
    while (!pending.empty()) {
      std::vector<size_t> failed;
      for (size_t i : pending) {
        std::string why;
        if (!Place(p_.pods_[i], &why)) {
          failed.push_back(i);
          errors_[i] = why;
        } else {
          errors_.erase(i);
        }
      }
      if (failed.size() == pending.size()) break;
      pending = std::move(failed);
    }
  }

  Plan Finish() const {
    Plan plan;
    for (const auto& [pod, node] : placed_) plan.placed.push_back({pod, node});
    for (const Claim& c : claims_) {
      const Template& t = p_.templates_[c.tmpl];
      NewClaim nc;
      nc.node_pool = t.pool->meta.name;
      nc.pods = c.pods;
      nc.requirements = c.requirements;
      ResourceVector min_daemon = t.types[c.types.front()].daemon_overhead;
      std::set<std::string> zones, capacity_types;
      for (size_t k = 0; k < c.types.size(); ++k) {
        const TypeOption& opt = t.types[c.types[k]];
        min_daemon = ResourceVector::Min(min_daemon, opt.daemon_overhead);
        if (k < p_.options_.max_instance_types) nc.instance_types.push_back(opt.type);
        for (const catalog::Offering& o : opt.type->offerings) {
          if (!o.available) continue;
          if (!c.requirements.Get(model::label::kZone).Has(o.zone)) continue;
          if (!c.requirements.Get(model::label::kCapacityType).Has(o.capacity_type)) continue;
          zones.insert(o.zone);
          capacity_types.insert(o.capacity_type);
        }
      }
      nc.more_instance_types = c.types.size() - nc.instance_types.size();
      nc.requests = p_.space_.ToList(c.used + min_daemon);
      nc.zones.assign(zones.begin(), zones.end());
      nc.capacity_types.assign(capacity_types.begin(), capacity_types.end());
      nc.price_per_hour = CheapestCompatibleOffering(*nc.instance_types.front(), c.requirements).value_or(0);
      plan.cost_per_hour += nc.price_per_hour;
      plan.claims.push_back(std::move(nc));
    }
    for (const auto& [pod, why] : errors_) plan.unschedulable.push_back({pod, why});
    return plan;
  }

 private:
  const PoolInput* Find(const std::string& name) const {
    for (const auto& pool : p_.input_.pools) {
      if (pool.pool.meta.name == name) return &pool;
    }
    return nullptr;
  }

  bool Place(const PreparedPod& pod, std::string* why) {
    std::string first_why;
    for (const Requirements& reqs : pod.requirement_options) {
      std::string w;
      if (PlaceOnExisting(pod, reqs) || PlaceOnClaim(pod, reqs) || PlaceOnNewClaim(pod, reqs, &w)) return true;
      if (first_why.empty()) first_why = w;
    }
    *why = first_why.empty() ? "no NodePool could carry it" : first_why;
    return false;
  }

  std::optional<std::string> LabelOf(const ExistingNode& n, const std::string& key) const {
    if (const auto* r = n.labels.Find(key)) return r->Any();
    return std::nullopt;
  }

  bool PlaceOnExisting(const PreparedPod& pod, const Requirements& reqs) {
    for (ExistingNode& n : nodes_) {
      if (!pod.requests.FitsIn(n.remaining)) continue;
      if (model::FirstUntolerated(n.input->node.taints, pod.pod->tolerations)) continue;
      if (PortsClash(n.host_ports, pod.host_ports)) continue;
      if (n.labels.Compatible(reqs)) continue;
      bool ok = true;
      for (const std::string& key : topology_.ConstrainedKeys(pod)) {
        auto d = LabelOf(n, key);
        if (!d || topology_.Allowed(pod, key, {*d}, nullptr).empty()) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      n.remaining -= pod.requests;
      n.host_ports.insert(n.host_ports.end(), pod.host_ports.begin(), pod.host_ports.end());
      topology_.Record(pod, [&](const std::string& key) { return LabelOf(n, key); });
      placed_.emplace_back(pod.index, n.input->node.meta.name);
      return true;
    }
    return false;
  }

  // Candidate domains a claim allows for key, in name order.
  std::vector<std::string> ClaimDomains(const Claim& c, const Requirements& reqs, const std::string& key) const {
    if (key == model::label::kHostname) return {c.hostname};
    model::Requirement r = reqs.Get(key);
    if (!r.complement()) return r.values();
    std::vector<std::string> out;
    for (const std::string& d : topology_.Universe(key)) {
      if (r.Has(d)) out.push_back(d);
    }
    return out;
  }

  // Tries to add pod to claim c with requirements reqs; commits on success.
  bool TryClaim(Claim& c, const PreparedPod& pod, const Requirements& reqs, std::string* why) {
    const Template& t = p_.templates_[c.tmpl];
    ResourceVector used = c.used + pod.requests;
    if (!used.FitsIn(c.envelope)) {
      if (why) *why = "resources";
      return false;
    }
    if (auto taint = model::FirstUntolerated(t.pool->taints, pod.pod->tolerations)) {
      if (why) *why = "taint " + taint->ToString() + " not tolerated";
      return false;
    }
    if (PortsClash(c.host_ports, pod.host_ports)) {
      if (why) *why = "host port conflict";
      return false;
    }
    if (auto conflict = c.requirements.Compatible(reqs)) {
      if (why) *why = *conflict;
      return false;
    }
    Requirements merged = c.requirements;
    merged.Add(reqs);
    // Topology may narrow the claim to one domain per constrained key; try the
    // preferred domains in order until the instance types still fit.
    std::vector<std::string> keys = topology_.ConstrainedKeys(pod);
    std::vector<std::vector<std::string>> choices;
    for (const std::string& key : keys) {
      std::string w;
      std::vector<std::string> allowed = topology_.Allowed(pod, key, ClaimDomains(c, merged, key), &w);
      if (allowed.empty()) {
        if (why) *why = w;
        return false;
      }
      choices.push_back(std::move(allowed));
    }
    // Narrow one key at a time (first allowed domain that leaves a type).
    std::vector<uint32_t> types;
    Requirements narrowed = merged;
    for (size_t k = 0; k <= keys.size(); ++k) {
      if (k == keys.size()) {
        // Requirements that did not narrow leave every type compatible.
        if (!FilterTypes(t, c.types, narrowed, used, !(narrowed == c.requirements), &types)) {
          if (why) *why = "no instance type fits the claim's pods";
          return false;
        }
        break;
      }
      if (keys[k] == model::label::kHostname) continue;
      bool found = false;
      for (const std::string& d : choices[k]) {
        Requirements attempt = narrowed;
        attempt.Add(model::Requirement::In(keys[k], {d}));
        std::vector<uint32_t> probe;
        if (FilterTypes(t, c.types, attempt, used, true, &probe)) {
          narrowed = std::move(attempt);
          found = true;
          break;
        }
      }
      if (!found) {
        if (why) *why = "no instance type offers an allowed " + keys[k];
        return false;
      }
    }
    c.requirements = std::move(narrowed);
    c.types = std::move(types);
    c.used = used;
    c.envelope = ResourceVector();
    for (uint32_t i : c.types) c.envelope = ResourceVector::Max(c.envelope, t.types[i].allocatable);
    c.pods.push_back(pod.index);
    c.host_ports.insert(c.host_ports.end(), pod.host_ports.begin(), pod.host_ports.end());
    topology_.Record(pod, [&](const std::string& key) -> std::optional<std::string> {
      if (key == model::label::kHostname) return c.hostname;
      std::vector<std::string> d = ClaimDomains(c, c.requirements, key);
      if (d.size() == 1) return d.front();
      return std::nullopt;  // counts record only single domains (spec §2.7)
    });
    return true;
  }

  // Types of `from` that still intersect reqs, fit used, and have an
  // available offering the requirements allow.
  bool FilterTypes(const Template& t, const std::vector<uint32_t>& from, const Requirements& reqs,
                   const ResourceVector& used, bool check_requirements, std::vector<uint32_t>* out) const {
    out->clear();
    for (uint32_t i : from) {
      const TypeOption& opt = t.types[i];
      if (!used.FitsIn(opt.allocatable)) continue;
      if (!check_requirements) {
        out->push_back(i);
        continue;
      }
      if (opt.type->requirements.Intersects(reqs)) continue;
      if (!CheapestCompatibleOffering(*opt.type, reqs)) continue;
      out->push_back(i);
    }
    return !out->empty();
  }

  bool PlaceOnClaim(const PreparedPod& pod, const Requirements& reqs) {
    // Karpenter: emptiest claim first; adze: fullest first (best fit).
    for (auto it = open_.begin(); it != open_.end();) {
      Claim& c = claims_[it->second];
      if (!TryClaim(c, pod, reqs, nullptr)) {
        ++it;
        continue;
      }
      open_.erase(it);
      Reopen(c);
      return true;
    }
    return false;
  }

  void Reopen(const Claim& c) {
    // A claim that cannot take even the smallest pending request stays closed.
    if (!(c.used + smallest_).FitsIn(c.envelope)) return;
    long key = static_cast<long>(c.pods.size());
    open_.emplace(fullest_first_ ? -key : key, c.id);
  }

  bool PlaceOnNewClaim(const PreparedPod& pod, const Requirements& reqs, std::string* why) {
    std::string first_reason;
    for (size_t ti = 0; ti < p_.templates_.size(); ++ti) {
      const Template& t = p_.templates_[ti];
      std::string reason;
      if (nodes_left_[ti] == 0) {
        reason = "NodePool " + t.pool->meta.name + ": nodes limit reached";
      } else if (auto taint = model::FirstUntolerated(t.pool->taints, pod.pod->tolerations)) {
        reason = "NodePool " + t.pool->meta.name + ": taint " + taint->ToString() + " not tolerated";
      } else if (auto conflict = t.requirements.Compatible(reqs)) {
        reason = "NodePool " + t.pool->meta.name + ": " + *conflict;
      } else {
        Claim c;
        c.id = claims_.size();
        c.tmpl = ti;
        c.hostname = "hostname-placeholder-" + std::to_string(c.id);
        c.requirements = t.requirements;
        for (uint32_t i = 0; i < t.types.size(); ++i) {
          if (limits_[ti] && !t.types[i].capacity.FitsIn(*limits_[ti])) continue;
          c.types.push_back(i);
          c.envelope = ResourceVector::Max(c.envelope, t.types[i].allocatable);
        }
        std::string w;
        if (c.types.empty()) {
          reason = "NodePool " + t.pool->meta.name + ": limits reached";
        } else if (TryClaim(c, pod, reqs, &w)) {
          if (limits_[ti]) {
            ResourceVector biggest;
            for (uint32_t i : c.types) biggest = ResourceVector::Max(biggest, t.types[i].capacity);
            *limits_[ti] -= biggest;
          }
          if (nodes_left_[ti] > 0) --nodes_left_[ti];
          claims_.push_back(std::move(c));
          Reopen(claims_.back());
          return true;
        } else {
          reason = "NodePool " + t.pool->meta.name + ": " +
                   (w == "resources" ? "no instance type has enough resources" : w);
        }
      }
      if (first_reason.empty()) first_reason = reason;
    }
    *why = p_.templates_.empty() ? "no NodePool" : first_reason;
    return false;
  }

 public:
  ResourceVector smallest_;

 private:
  const Problem& p_;
  bool fullest_first_;
  Topology topology_;
  std::vector<ExistingNode> nodes_;
  std::vector<std::optional<ResourceVector>> limits_;
  std::vector<int64_t> nodes_left_;  // -1: unlimited
  std::vector<Claim> claims_;
  std::set<std::pair<long, size_t>> open_;
  std::vector<std::pair<size_t, std::string>> placed_;
  std::map<size_t, std::string> errors_;
};

double LowerBound(const Problem& p, const Plan& plan) {
  // LB_r = Σ_pods request_r × min over types that can carry the pod of price / allocatable_r,
  // over the pods the plan buys capacity for (pods on existing nodes cost nothing,
  // and unschedulable pods are not in the plan's cost either).
  std::vector<double> lb(p.space_.size(), 0.0);
  std::vector<size_t> bought;
  for (const NewClaim& c : plan.claims) bought.insert(bought.end(), c.pods.begin(), c.pods.end());
  for (size_t index : bought) {
    const PreparedPod& pod = p.pods_[index];
    std::vector<double> best(p.space_.size(), std::numeric_limits<double>::infinity());
    for (const Template& t : p.templates_) {
      if (model::FirstUntolerated(t.pool->taints, pod.pod->tolerations)) continue;
      const Requirements& reqs = pod.requirement_options.back();
      if (t.requirements.Compatible(reqs)) continue;
      for (const TypeOption& opt : t.types) {
        if (!pod.requests.FitsIn(opt.allocatable)) continue;
        Requirements node = opt.type->requirements;
        node.Add(t.requirements);
        if (node.Compatible(reqs)) continue;
        Requirements all = node;
        all.Add(reqs);
        std::optional<double> price = CheapestCompatibleOffering(*opt.type, all);
        if (!price) continue;
        for (size_t r = 0; r < p.space_.size(); ++r) {
          if (opt.allocatable[r] > 0) best[r] = std::min(best[r], *price / static_cast<double>(opt.allocatable[r]));
        }
      }
    }
    for (size_t r = 0; r < p.space_.size(); ++r) {
      if (pod.requests[r] > 0 && best[r] != std::numeric_limits<double>::infinity()) {
        lb[r] += static_cast<double>(pod.requests[r]) * best[r];
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

Plan RunPacking(const Problem& problem, const std::vector<size_t>& queue, bool fullest_first) {
  Packing packing(problem, fullest_first);
  ResourceVector smallest;
  for (size_t i = 0; i < kMaxResources; ++i) smallest[i] = std::numeric_limits<int64_t>::max() / 4;
  for (const PreparedPod& p : problem.pods_) smallest = ResourceVector::Min(smallest, p.requests);
  packing.smallest_ = smallest;
  packing.Run(queue);
  return packing.Finish();
}

}  // namespace

Plan Solve(const SolverInput& input, const SolverOptions& options) {
  Problem problem(input, options);
  std::vector<size_t> queue = QueueOrder(input);
  Plan plan = RunPacking(problem, queue, /*fullest_first=*/false);
  if (options.packer == Packer::kAdze) {
    Plan best_fit = RunPacking(problem, queue, /*fullest_first=*/true);
    // Keep the plan that places more pods, then the cheaper one.
    if (best_fit.unschedulable.size() < plan.unschedulable.size() ||
        (best_fit.unschedulable.size() == plan.unschedulable.size() && best_fit.cost_per_hour < plan.cost_per_hour)) {
      plan = std::move(best_fit);
    }
  }
  plan.lower_bound = LowerBound(problem, plan);
  return plan;
}

}  // namespace adze::scheduling
