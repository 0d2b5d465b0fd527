#include "scheduling/problem.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "scheduling/volume_topology.h"

namespace adze::scheduling {

using model::Requirements;

model::Requirements NodeLabelRequirements(const model::Node& node) {
  model::Requirements out = model::Requirements::FromLabels(node.meta.labels);
  if (!node.meta.labels.contains(model::label::kHostname)) {
    out.Add(model::Requirement::In(std::string(model::label::kHostname), {node.meta.name}));
  }
  return out;
}

Problem::Problem(const SolverInput& input, const SolverOptions& options) : input_(input), options_(options) {
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
    Template t = BuildTemplate(p.pool, p.instance_types.all(), p.usage, input.daemon_sets, space_);
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
      exotic_.back().push_back(type.name.find("metal") != std::string::npos || type.HasAccelerators());
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
    // The node's labels, and its name as the hostname when it has no such
    // label (read in place: this runs for every node of every pass).
    const model::Labels& labels = n.node.meta.labels;
    const bool named = labels.contains(model::label::kHostname);
    e.labels = n.label_requirements ? n.label_requirements
                                    : std::make_shared<const Requirements>(NodeLabelRequirements(n.node));
    e.remaining = space_.ToVector(n.node.allocatable);
    e.domains.assign(static_cast<size_t>(topology_.num_keys()), -1);
    for (int key = 0; key < topology_.num_keys(); ++key) {
      const std::string& name = topology_.KeyName(key);
      auto it = labels.find(name);
      if (it != labels.end()) {
        e.domains[static_cast<size_t>(key)] = topology_.DomainId(key, it->second);
      } else if (!named && name == model::label::kHostname) {
        e.domains[static_cast<size_t>(key)] = topology_.DomainId(key, n.node.meta.name);
      }
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
      topology_.Record(bound_[b], {e.labels.get(), &e.taints, e.domain_of});
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

}  // namespace adze::scheduling
