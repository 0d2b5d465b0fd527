#include "ports/cluster_snapshot.h"

#include <algorithm>

namespace adze::ports {
namespace {

template <typename T>
std::shared_ptr<const T> OrEmpty(std::shared_ptr<const T> p) {
  return p ? std::move(p) : std::make_shared<const T>();
}

template <typename T>
const T* Find(const ObjectTable<T>& table, const std::string& name) {
  auto it = std::lower_bound(table.begin(), table.end(), name,
                             [](const std::shared_ptr<const T>& o, const std::string& n) { return NameOf(*o) < n; });
  return it != table.end() && NameOf(**it) == name ? it->get() : nullptr;
}

}  // namespace

ClusterSnapshot::ClusterSnapshot(Tables tables) : t_(std::move(tables)) {
  if (!t_.build_pods) {
    t_.pods = OrEmpty(std::move(t_.pods));
    t_.find_pod = nullptr;
  }
  if (!t_.build_pending) t_.pending = OrEmpty(std::move(t_.pending));
  if (!t_.build_nodes) t_.nodes = OrEmpty(std::move(t_.nodes));
  t_.claims = OrEmpty(std::move(t_.claims));
  t_.pools = OrEmpty(std::move(t_.pools));
  t_.daemon_sets = OrEmpty(std::move(t_.daemon_sets));
  t_.pdbs = OrEmpty(std::move(t_.pdbs));
  for (const auto& c : *t_.claims) {
    if (c->deletion_requested_at) {
      ++claims_deleting_;
    } else if (!c->initialized_at) {
      ++claims_in_flight_;
    }
  }
}

const ClusterSnapshot::Tables& ClusterSnapshot::MaterializePods() const {
  if (t_.build_pods) {
    auto build = std::move(t_.build_pods);
    t_.build_pods = nullptr;
    t_.find_pod = nullptr;
    build(t_);
    t_.pods = OrEmpty(std::move(t_.pods));
  }
  return MaterializePending();
}

const ClusterSnapshot::Tables& ClusterSnapshot::MaterializePending() const {
  if (t_.build_pending) {
    auto build = std::move(t_.build_pending);
    t_.build_pending = nullptr;
    build(t_);
    t_.pending = OrEmpty(std::move(t_.pending));
  }
  return t_;
}

const ClusterSnapshot::Tables& ClusterSnapshot::MaterializeNodes() const {
  if (t_.build_nodes) {
    auto build = std::move(t_.build_nodes);
    t_.build_nodes = nullptr;
    build(t_);
    t_.nodes = OrEmpty(std::move(t_.nodes));
  }
  return t_;
}

const PodInfo* ClusterSnapshot::GetPod(const std::string& name) const {
  if (t_.build_pods && t_.find_pod && lookups_ < kLookupsBeforeTable) {
    ++lookups_;
    return t_.find_pod(name);
  }
  return Find(*MaterializePods().pods, name);
}
const NodeInfo* ClusterSnapshot::GetNode(const std::string& name) const {
  return Find(*MaterializeNodes().nodes, name);
}
const NodeClaimInfo* ClusterSnapshot::GetNodeClaim(const std::string& name) const { return Find(*t_.claims, name); }

const model::NodePool* ClusterSnapshot::GetNodePool(const std::string& name) const {
  for (const model::NodePool& p : *t_.pools) {
    if (p.meta.name == name) return &p;
  }
  return nullptr;
}

}  // namespace adze::ports
