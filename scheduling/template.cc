#include "scheduling/template.h"

#include <algorithm>
#include <map>

#include "scheduling/predicates/offerings.h"

namespace adze::scheduling {

std::optional<double> CheapestCompatibleOffering(const catalog::InstanceType& type,
                                                 const model::Requirements& requirements) {
  return CheapestUsableOffering(type, requirements);
}

bool DaemonRunsOn(const model::DaemonSet& ds, const model::NodePool& pool,
                  const model::Requirements& node_requirements) {
  const model::Pod& pod = ds.pod_template;
  // NoSchedule/NoExecute taints must be tolerated; PreferNoSchedule is ignored (spec §2.3.2).
  if (model::FirstUntolerated(pool.taints, pod.tolerations)) return false;
  model::Requirements pod_reqs = model::Requirements::FromLabels(pod.node_selector);
  if (pod.required_node_affinity.empty()) return !node_requirements.Compatible(pod_reqs);
  // The DaemonSet's affinity terms are ORed: any compatible term will do.
  for (const model::Requirements& term : pod.required_node_affinity) {
    model::Requirements r = pod_reqs;
    r.Add(term);
    if (!node_requirements.Compatible(r)) return true;
  }
  return false;
}

namespace {

void AppendPorts(const model::DaemonSet& ds, DaemonPorts* out) {
  const std::string owner =
      "DaemonSet " + (ds.meta.namespace_.empty() ? ds.meta.name : ds.meta.namespace_ + "/" + ds.meta.name);
  for (model::ContainerPort& p : ds.pod_template.HostPorts()) {
    out->ports.push_back(std::move(p));
    out->owners.push_back(owner);
  }
}

}  // namespace

DaemonPorts DaemonHostPorts(const std::vector<model::DaemonSet>& daemon_sets, const model::NodePool& pool,
                            const model::Requirements& node_requirements) {
  DaemonPorts out;
  for (const model::DaemonSet& ds : daemon_sets) {
    if (DaemonRunsOn(ds, pool, node_requirements)) AppendPorts(ds, &out);
  }
  return out;
}

Template BuildTemplate(const model::NodePool& pool, const std::vector<catalog::InstanceType>& types,
                       const model::ResourceList& usage, const std::vector<model::DaemonSet>& daemon_sets,
                       const ResourceSpace& space) {
  Template t;
  t.pool = &pool;
  t.requirements = pool.NodeRequirements();
  t.requirements.Add(model::Requirement::In(std::string(model::label::kNodePool), {pool.meta.name}));

  if (!pool.limits.empty()) {
    // Only limited resources count: usage of others must not become a negative limit.
    const model::ResourceList remaining = pool.RemainingLimits(usage);
    ResourceVector limits;
    // Resources the pool does not limit get an unreachable ceiling.
    for (size_t i = 0; i < kMaxResources; ++i) limits[i] = INT64_MAX / 4;
    for (size_t i = 0; i < space.size(); ++i) {
      if (remaining.Has(space.name(i))) limits[i] = remaining.Get(space.name(i)).milli();
    }
    t.remaining_limits = limits;
    if (pool.limits.Has("nodes") && remaining.Get("nodes").milli() < 1000) t.nodes_limit_reached = true;
  }

  // Daemons holding host ports, each listed once; a type's group is the set
  // of them that run on it.
  std::vector<char> has_ports(daemon_sets.size());
  for (size_t d = 0; d < daemon_sets.size(); ++d) has_ports[d] = !daemon_sets[d].pod_template.HostPorts().empty();
  std::map<std::vector<size_t>, int> port_groups;

  // Whether each daemon runs on this pool's nodes regardless of the type
  // (1 or 0), or depends on the type's labels (-1): only then is the type's
  // full node requirement set needed — copying it per type was most of a solve.
  std::vector<int8_t> runs_on_every_type(daemon_sets.size(), -1);
  bool some_daemon_depends_on_type = false;
  for (size_t d = 0; d < daemon_sets.size(); ++d) {
    const model::Pod& pod = daemon_sets[d].pod_template;
    if (model::FirstUntolerated(pool.taints, pod.tolerations)) {
      runs_on_every_type[d] = 0;
    } else if (pod.node_selector.empty() && pod.required_node_affinity.empty()) {
      runs_on_every_type[d] = 1;  // DaemonRunsOn: empty requirements are compatible with any node
    } else {
      some_daemon_depends_on_type = true;
    }
  }
  // The offering keys CheapestCompatibleOffering reads.
  constexpr std::string_view kOfferingKeys[] = {model::label::kZone, model::label::kCapacityType,
                                                model::label::kCapacityReservationId};

  std::vector<std::pair<double, TypeOption>> ranked;
  for (const catalog::InstanceType& type : types) {
    if (type.requirements.Intersects(t.requirements)) continue;
    // type.requirements ∩ t.requirements on the offering keys only.
    model::Requirements offering_reqs;
    for (std::string_view key : kOfferingKeys) {
      if (const model::Requirement* r = type.requirements.Find(key)) offering_reqs.Add(*r);
      if (const model::Requirement* r = t.requirements.Find(key)) offering_reqs.Add(*r);
    }
    std::optional<double> price = CheapestCompatibleOffering(type, offering_reqs);
    if (!price) continue;
    std::optional<model::Requirements> node_reqs;
    if (some_daemon_depends_on_type) {
      node_reqs = type.requirements;
      node_reqs->Add(t.requirements);
    }
    TypeOption opt;
    opt.type = &type;
    opt.capacity = space.ToVector(type.capacity);
    std::vector<size_t> group;  // daemons with host ports that run on it
    for (size_t d = 0; d < daemon_sets.size(); ++d) {
      const bool runs = runs_on_every_type[d] >= 0 ? runs_on_every_type[d] == 1
                                                   : DaemonRunsOn(daemon_sets[d], pool, *node_reqs);
      if (!runs) continue;
      opt.daemon_overhead += space.ToVector(daemon_sets[d].pod_template.EffectiveRequests());
      if (has_ports[d]) group.push_back(d);
    }
    opt.allocatable = space.ToVector(type.Allocatable()) - opt.daemon_overhead;
    if (!group.empty()) {
      auto [it, added] = port_groups.emplace(group, static_cast<int>(t.daemon_ports.size()));
      if (added) {
        DaemonPorts ports;
        for (size_t d : group) AppendPorts(daemon_sets[d], &ports);
        t.daemon_ports.push_back(std::move(ports));
      }
      opt.daemon_ports = it->second;
    }
    ranked.emplace_back(*price, opt);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.second.type->name < b.second.type->name;
  });
  for (auto& [price, opt] : ranked) t.types.push_back(opt);
  return t;
}

}  // namespace adze::scheduling
