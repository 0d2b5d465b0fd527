#include "controllers/provisioner.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string_view>
#include <unordered_set>

#include "controllers/claim_factory.h"
#include "controllers/daemon_overhead.h"
#include "controllers/nodeclaim_lifecycle.h"
#include "controllers/pool_usage.h"
#include "model/labels.h"

namespace adze::controllers {

namespace label = model::label;

bool IsProvisionable(const ports::PodInfo& pod) {
  return pod.phase == ports::PodPhase::kPending && pod.unschedulable && pod.pod.node_name.empty() &&
         !pod.pod.OwnedByDaemonSet() && !pod.deleting;
}

Provisioner::Provisioner(ports::Cluster& cluster, ports::CloudProvider& cloud, const ports::Clock& clock,
                         const ports::Stopwatch& stopwatch, ProvisionerOptions options)
    : cluster_(cluster),
      cloud_(cloud),
      clock_(clock),
      stopwatch_(stopwatch),
      options_(options),
      batcher_(options.batch_idle, options.batch_max) {}

scheduling::SolverInput Provisioner::Snapshot(const ports::ClusterSnapshot& cluster,
                                              std::vector<std::string>& node_claim_of_input,
                                              std::vector<std::string>& pod_names) {
  scheduling::SolverInput input;
  ++passes_;
  // Nodes first (spec §2.2): registered nodes with their free capacity, then
  // in-flight claims as the nodes they will become. Bound pods are folded
  // into the free capacity, which is all the placement of pods without
  // inter-pod constraints needs; the solver sees a bound pod itself when it
  // holds host ports or has inter-pod constraints of its own (inverse
  // anti-affinity), and every bound pod when a pending pod has inter-pod
  // constraints.
  // Pending pods first (listed after the nodes, as Karpenter does, but needed
  // to skip nodes that cannot take any of them: those change nothing).
  // A pod nominated to a claim whose launch is still in flight waits for it:
  // the claim has no capacity to show the solver yet, and a second claim for
  // the same pod would be a duplicate (CreateFleet takes seconds).
  std::vector<const ports::PodInfo*> pending;
  for (const ports::PodInfo* pod : cluster.PendingPods()) {
    if (!IsProvisionable(*pod)) continue;
    if (!pod->nominated_node_claim.empty()) {
      const ports::NodeClaimInfo* claim = cluster.GetNodeClaim(pod->nominated_node_claim);
      if (claim != nullptr && !claim->launched_at && !claim->deletion_requested_at) continue;
    }
    pending.push_back(pod);
  }
  // Nothing to place: Provision returns before solving, so skip the nodes
  // and the pools' instance types (a copy of the catalog per pool).
  if (pending.empty()) return input;
  // Distinct request shapes only: a burst of thousands of identical pods
  // would otherwise be tested against every node, once per pod.
  std::vector<model::ResourceList> requests;
  for (const ports::PodInfo* pod : pending) {
    model::ResourceList r = pod->pod.EffectiveRequests();
    if (std::find(requests.begin(), requests.end(), r) == requests.end()) requests.push_back(std::move(r));
  }
  auto fits_any = [&](const model::ResourceList& free) {
    for (const auto& r : requests) {
      if (model::ResourceList::Fits(r, free)) return true;
    }
    return false;
  };
  const bool pending_inter_pod = std::any_of(pending.begin(), pending.end(),
                                             [](const ports::PodInfo* p) { return p->pod.HasInterPodConstraints(); });
  // Pods the solver must see, not just their requests; their requests go
  // back into `free` because the solver subtracts them itself.
  auto shown = [&](const model::Pod& pod) {
    return pending_inter_pod || pod.HasInterPodConstraints() || !pod.HostPorts().empty();
  };
  auto show = [&](const model::Pod& pod, scheduling::NodeInput& in, model::ResourceList& free) {
    if (!shown(pod)) return;
    free.Add(pod.EffectiveRequests());
    in.pods.push_back(pod);
  };
  // Claims with a node (names live in the snapshot): the loop over claims
  // below shows only those still to register. A cordoned node is in it too,
  // so that its claim is not offered as a node to come.
  std::unordered_set<std::string_view> registered;
  for (const ports::NodeInfo* node : cluster.Nodes()) {
    const ports::NodeClaimInfo* claim = cluster.GetNodeClaim(node->node_claim);
    if (claim == nullptr) continue;
    registered.insert(node->node_claim);
    if (claim->deletion_requested_at || node->node.unschedulable) continue;
    model::ResourceList free = node->node.allocatable;
    free.Subtract(node->requested);
    // Until the device plugin registers, count on the claim's GPUs.
    for (const auto& [name, q] : claim->claim.allocatable) {
      if (IsExtendedResource(name) && free.Get(name).IsZero() && !q.IsZero() && !node->initialized) {
        free.Set(name, q - node->requested.Get(name));
      }
    }
    if (!fits_any(free)) continue;
    scheduling::NodeInput in;
    in.node = node->node;
    for (const std::string& name : node->pods) {
      if (const ports::PodInfo* bound = cluster.GetPod(name)) show(bound->pod, in, free);
    }
    in.node.allocatable = std::move(free);
    in.label_requirements = LabelRequirements(in.node);
    node_claim_of_input.push_back(node->node_claim);
    input.nodes.push_back(std::move(in));
  }
  for (const ports::NodeClaimInfo* claim : cluster.NodeClaims()) {
    if (claim->deletion_requested_at || !claim->launched_at ||
        registered.contains(std::string_view(claim->claim.meta.name))) {
      continue;
    }
    // The room left first: a claim no pending shape fits is not copied.
    const model::NodePool* pool = cluster.GetNodePool(claim->node_pool);
    std::vector<const model::DaemonSet*> daemons;
    if (pool != nullptr) daemons = DaemonsOn(cluster.DaemonSets(), *pool, claim->claim.meta.labels);
    {
      model::ResourceList free = claim->claim.allocatable;
      for (const model::DaemonSet* ds : daemons) {
        if (!shown(ds->pod_template)) free.Subtract(ds->pod_template.EffectiveRequests());
      }
      if (!fits_any(free)) continue;
    }
    scheduling::NodeInput in;
    in.node.meta.name = claim->claim.meta.name;
    in.node.meta.labels = claim->claim.meta.labels;
    in.node.taints = claim->claim.taints;
    in.node.allocatable = claim->claim.allocatable;
    in.node.capacity = claim->claim.capacity;
    for (const model::DaemonSet* ds : daemons) {
      in.node.allocatable.Subtract(ds->pod_template.EffectiveRequests());
      model::Pod daemon = ds->pod_template;
      daemon.meta.name = ds->meta.name + "-" + claim->claim.meta.name;
      if (daemon.meta.namespace_.empty()) daemon.meta.namespace_ = ds->meta.namespace_;
      show(daemon, in, in.node.allocatable);
    }
    in.label_requirements = LabelRequirements(in.node);
    node_claim_of_input.push_back(claim->claim.meta.name);
    input.nodes.push_back(std::move(in));
  }
  std::erase_if(label_cache_, [&](const auto& entry) { return entry.second.pass != passes_; });
  input.pods.reserve(pending.size());
  pod_names.reserve(pending.size());
  for (const ports::PodInfo* pod : pending) {
    pod_names.push_back(pod->pod.meta.name);
    input.pods.push_back(pod->pod);
  }
  // Pools: weight order is the solver's job; usage is what their claims hold
  // (spec.limits.nodes counts the pool's nodes, registered and in flight).
  const std::vector<const ports::NodeClaimInfo*> claims = cluster.NodeClaims();
  for (const model::NodePool& pool : cluster.NodePools()) {
    auto types = cloud_.GetInstanceTypes(pool);
    if (!types.ok()) continue;  // NodeClass not ready: the pool cannot launch
    scheduling::PoolInput p;
    p.pool = pool;
    p.instance_types = std::move(types).value();
    p.usage = PoolUsage(pool, claims, /*count_nodes=*/true);
    input.pools.push_back(std::move(p));
  }
  input.daemon_sets = cluster.DaemonSets();
  return input;
}

std::shared_ptr<const model::Requirements> Provisioner::LabelRequirements(const model::Node& node) {
  CachedLabels& cached = label_cache_[node.meta.name];
  if (!cached.requirements || cached.labels != node.meta.labels) {
    cached.labels = node.meta.labels;
    cached.requirements = std::make_shared<const model::Requirements>(scheduling::NodeLabelRequirements(node));
  }
  cached.pass = passes_;
  return cached.requirements;
}

void Provisioner::SizeForArrivals(std::vector<scheduling::NewClaim>& claims, const std::vector<model::Pod>& pods,
                                  const std::map<std::string, size_t>& arrived_on_existing,
                                  const std::function<bool(size_t)>& arrived) {
  const model::Duration now = clock_.Now();
  std::map<std::string, size_t> arrivals = arrived_on_existing;
  for (const scheduling::NewClaim& claim : claims) {
    for (size_t pod : claim.pods) arrivals[claim.node_pool] += arrived(pod) ? 1 : 0;
  }
  // Pods expected per pool from the arrivals before this pass (one batch is
  // no rate), less what the pass's earlier claims took.
  std::map<std::string, size_t> expected;
  for (scheduling::NewClaim& claim : claims) {
    auto [it, fresh] = expected.try_emplace(claim.node_pool, 0);
    if (fresh) {
      it->second = static_cast<size_t>(arrivals_.Expected(claim.node_pool, now, options_.arrival_sizing.horizon));
    }
    it->second -= std::min(it->second, controllers::SizeForArrivals(claim, pods, it->second, options_.arrival_sizing.fewer_nodes_premium));
  }
  for (const auto& [pool, n] : arrivals) arrivals_.Record(pool, now, n);
}

ProvisioningResult Provisioner::Provision() {
  batcher_.Reset();
  ProvisioningResult result;
  std::vector<std::string> node_claims, pod_names;
  const auto snapshot = cluster_.Snapshot();
  scheduling::SolverInput input = Snapshot(*snapshot, node_claims, pod_names);
  result.pods = input.pods.size();
  if (input.pods.empty()) return result;

  const double started = stopwatch_.Seconds();
  scheduling::Plan plan = scheduling::Solve(input, options_.solver);
  result.solve_wall_seconds = stopwatch_.Seconds() - started;

  std::map<std::string, size_t> input_index_of_node;
  for (size_t i = 0; i < input.nodes.size(); ++i) input_index_of_node[input.nodes[i].node.meta.name] = i;
  // Pods never nominated before arrived since the last pass (arrival_sizing.h).
  const bool size_for_arrivals = options_.size_for_arrivals && options_.solver.packer == scheduling::Packer::kAdze;
  auto arrived = [&](size_t pod) {
    const ports::PodInfo* info = snapshot->GetPod(pod_names[pod]);
    return info != nullptr && info->nominated_node_claim.empty();
  };
  std::map<std::string, size_t> arrived_on_existing;  // by pool
  // A pod gone since the snapshot (kNotFound) needs no nomination; the
  // kube-scheduler places the others when the capacity appears.
  for (const scheduling::ExistingPlacement& placed : plan.placed) {
    const size_t node = input_index_of_node.at(placed.node);
    (void)cluster_.NominatePod(pod_names[placed.pod], node_claims[node]);
    ++result.nominated_existing;
    if (size_for_arrivals && arrived(placed.pod)) {
      const model::Labels& labels = input.nodes[node].node.meta.labels;
      if (auto pool = labels.find(model::label::kNodePool); pool != labels.end()) {
        ++arrived_on_existing[pool->second];
      }
    }
  }
  if (size_for_arrivals) SizeForArrivals(plan.claims, input.pods, arrived_on_existing, arrived);
  for (const scheduling::NewClaim& planned : plan.claims) {
    const model::NodePool* pool = nullptr;
    for (const auto& p : input.pools) {
      if (p.pool.meta.name == planned.node_pool) pool = &p.pool;
    }
    if (pool == nullptr || planned.instance_types.empty()) continue;
    // The counter starts over in a restarted controller: skip the names the
    // claims of earlier processes still hold (a create would be refused).
    std::string claim_name;
    do {
      char suffix[32];
      std::snprintf(suffix, sizeof suffix, "-%05llu", static_cast<unsigned long long>(++claims_created_));
      claim_name = pool->meta.name + suffix;
    } while (snapshot->GetNodeClaim(claim_name) != nullptr);
    Result<std::string> created =
        cluster_.CreateNodeClaim(MakeNodeClaim(planned, *pool, claim_name), pool->meta.name);
    if (!created.ok()) {
      // Its pods stay provisionable and trigger the next batch.
      result.create_errors.push_back(created.error());
      continue;
    }
    const std::string& name = *created;
    for (size_t pod : planned.pods) (void)cluster_.NominatePod(pod_names[pod], name);
    result.created_claims.push_back(name);
    result.cost_per_hour += planned.price_per_hour;
  }
  result.unschedulable = plan.unschedulable.size();
  for (const scheduling::Unschedulable& u : plan.unschedulable) {
    result.unschedulable_reasons.push_back(pod_names[u.pod] + ": " + u.reason);
  }
  return result;
}

}  // namespace adze::controllers
