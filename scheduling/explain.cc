// Explain: for one pod, the first constraint that rules out each NodePool and
// each of its instance types, in the order of the predicate registry.
#include <algorithm>

#include "scheduling/predicates/registry.h"
#include "scheduling/prepared_pod.h"
#include "scheduling/solver.h"
#include "scheduling/template.h"
#include "scheduling/volume_topology.h"

namespace adze::scheduling {
namespace {

// The first predicate of the registry that fails c, as a rejection.
bool FirstFailure(const PodView& view, const Candidate& c, Rejection* r) {
  for (const Predicate* p : Predicates()) {
    Verdict v = p->Check(view, c);
    if (!v) {
      r->constraint = std::string(p->Name());
      r->reason = std::move(v.reason);
      return true;
    }
  }
  return false;
}

// The first failure of c under the first step, unless c passes under some
// step (volume alternative): then false. With node set, the offerings must
// satisfy node ∩ the step's requirements.
bool FirstFailureOfAll(const PreparedPod& pod, const std::vector<RelaxationStep>& steps, Candidate c,
                       const model::Requirements* node, Rejection* r) {
  Rejection first = *r;
  bool failed_first = false;
  for (const RelaxationStep& step : steps) {
    model::Requirements all;
    if (node) {
      all = *node;
      all.Add(step.requirements);
      c.offering_requirements = &all;
    }
    Rejection attempt = *r;
    if (!FirstFailure({&pod, &step}, c, &attempt)) return false;
    if (!failed_first) {
      first = std::move(attempt);
      failed_first = true;
    }
  }
  *r = std::move(first);
  return true;
}

}  // namespace

std::vector<Rejection> Explain(const SolverInput& input, size_t pod_index) {
  std::vector<Rejection> out;
  const model::Pod& pod = input.pods.at(pod_index);
  ResourceSpace space;
  space.AddNames(pod.EffectiveRequests());
  for (const auto& p : input.pools) {
    for (const auto& t : p.instance_types) space.AddNames(t.capacity);
  }
  const VolumeRequirements volumes =
      VolumeTopology(input.volume_claims, input.volumes, input.storage_classes).For(pod);
  PreparedPod prepared = PreparePod(pod, pod_index, space);
  // The pod's own constraints, preferences left out (PreferNoSchedule too),
  // once per required node-affinity term and volume alternative: a place
  // passes when one of them does, as the solver may use any of them.
  std::vector<model::Requirements> terms;
  for (const RelaxationStep& s : prepared.steps) {
    if (std::find(terms.begin(), terms.end(), s.strict) == terms.end()) terms.push_back(s.strict);
  }
  std::vector<RelaxationStep> steps;
  for (const model::Requirements& term : terms) {
    for (size_t a = 0; a < std::max<size_t>(1, volumes.alternatives.size()); ++a) {
      RelaxationStep step;
      step.requirements = term;
      step.strict = step.requirements;
      if (a < volumes.alternatives.size()) step.requirements.Add(volumes.alternatives[a]);
      step.tolerate_prefer_no_schedule = true;
      steps.push_back(std::move(step));
    }
  }
  // What rules out every place at once, before any is looked at.
  std::string everywhere = !volumes.error.empty() ? volumes.error : prepared.conflict_error;
  const std::string everywhere_constraint = !volumes.error.empty() ? "volumes" : "requirements";

  // Existing nodes, as the input has them: their free room after their bound
  // pods, and the host ports those pods hold.
  for (const NodeInput& n : input.nodes) {
    Rejection r{"", "", n.node.meta.name, "", ""};
    if (!everywhere.empty()) {
      r.constraint = everywhere_constraint;
      r.reason = everywhere;
      out.push_back(std::move(r));
      continue;
    }
    std::vector<model::Taint> taints = n.node.taints;
    if (n.node.unschedulable) taints.push_back({"node.kubernetes.io/unschedulable", "", model::TaintEffect::kNoSchedule});
    const model::Requirements node_labels = NodeLabelRequirements(n.node);
    model::ResourceList free = n.node.allocatable;
    std::vector<model::ContainerPort> ports;
    std::vector<std::string> owners;
    for (const model::Pod& bound : n.pods) {
      free.Subtract(bound.EffectiveRequests());
      for (model::ContainerPort& port : bound.HostPorts()) {
        ports.push_back(std::move(port));
        owners.push_back("pod " + bound.meta.name);
      }
    }
    Candidate c;
    c.taints = &taints;
    c.requirements = &node_labels;
    c.free_list = &free;
    c.space = &space;
    c.host_ports = &ports;
    c.host_port_owners = &owners;
    c.explain = true;
    FirstFailureOfAll(prepared, steps, c, nullptr, &r);
    out.push_back(std::move(r));
  }
  // Karpenter launches nothing for a pod that selects a restricted key (spec §2.1).
  if (everywhere.empty() && !prepared.restricted_error.empty()) {
    everywhere = prepared.restricted_error;
  }

  std::vector<const PoolInput*> pools;
  for (const auto& p : input.pools) pools.push_back(&p);
  std::stable_sort(pools.begin(), pools.end(), [](const PoolInput* a, const PoolInput* b) {
    if (a->pool.weight != b->pool.weight) return a->pool.weight > b->pool.weight;
    return a->pool.meta.name > b->pool.meta.name;
  });
  for (const PoolInput* in : pools) {
    const model::NodePool& pool = in->pool;
    if (!everywhere.empty()) {
      out.push_back({pool.meta.name, "", "", everywhere_constraint, everywhere});
      continue;
    }
    model::Requirements pool_reqs = pool.NodeRequirements();
    pool_reqs.Add(model::Requirement::In(std::string(model::label::kNodePool), {pool.meta.name}));
    const std::string& name = pool.meta.name;
    // Only the resources the pool limits: no limit on cpu is never "cpu limit reached".
    const model::ResourceList remaining = pool.RemainingLimits(in->usage);

    Candidate pool_level;
    pool_level.pool = &pool;
    pool_level.taints = &pool.taints;
    pool_level.requirements = &pool_reqs;
    pool_level.nodes_limit_reached = pool.limits.Has("nodes") && remaining.Get("nodes").milli() < 1000;
    pool_level.explain = true;
    Rejection pr{name, "", "", "", ""};
    if (FirstFailureOfAll(prepared, steps, pool_level, nullptr, &pr)) {
      out.push_back(std::move(pr));
      continue;
    }
    for (const catalog::InstanceType& type : in->instance_types) {
      Rejection r{name, type.name, "", "", ""};
      if (auto conflict = type.requirements.Intersects(pool_reqs)) {
        r.constraint = "requirements";
        r.reason = "NodePool " + *conflict;
        out.push_back(std::move(r));
        continue;
      }
      model::Requirements node = type.requirements;
      node.Add(pool_reqs);
      model::ResourceList alloc = type.Allocatable();
      for (const model::DaemonSet& ds : input.daemon_sets) {
        if (DaemonRunsOn(ds, pool, node)) alloc.Subtract(ds.pod_template.EffectiveRequests());
      }
      // A new node of this type carries its daemons' host ports (spec §2.7).
      DaemonPorts daemon_ports = DaemonHostPorts(input.daemon_sets, pool, node);
      Candidate c;
      c.pool = &pool;
      c.requirements = &node;
      c.free_list = &alloc;
      c.type = &type;
      if (!pool.limits.empty()) {
        c.limits_list = &remaining;
        c.capacity_list = &type.capacity;
      }
      c.space = &space;
      c.host_ports = &daemon_ports.ports;
      c.host_port_owners = &daemon_ports.owners;
      c.explain = true;
      FirstFailureOfAll(prepared, steps, c, &node, &r);
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace adze::scheduling
