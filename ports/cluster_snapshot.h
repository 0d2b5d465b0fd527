// ClusterSnapshot: one consistent, immutable view of the cluster — pods,
// nodes, NodeClaims, NodePools, DaemonSets, PodDisruptionBudgets — and the
// generation it was taken at. Shared (std::shared_ptr<const>) and made of
// shared immutable tables, so taking one is cheap and the next snapshot can
// reuse every table that did not change. Pointers it hands out stay valid as
// long as the snapshot lives.
// Thread-safety: immutable; safe to read from any thread — except a snapshot
// with a lazily built pod or node table (Tables::build_pods, build_nodes: the
// simulator's), which
// is read from the thread that made it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/nodepool.h"
#include "model/workloads.h"
#include "ports/cluster_objects.h"

namespace adze::ports {

// Objects sorted by name.
template <typename T>
using ObjectTable = std::vector<std::shared_ptr<const T>>;

class ClusterSnapshot {
 public:
  struct Tables {
    // Bumped by every change a scheduling decision depends on.
    uint64_t generation = 0;
    std::shared_ptr<const ObjectTable<PodInfo>> pods;     // every pod
    std::shared_ptr<const ObjectTable<PodInfo>> pending;  // pods not bound to a node
    std::shared_ptr<const ObjectTable<NodeInfo>> nodes;
    std::shared_ptr<const ObjectTable<NodeClaimInfo>> claims;
    std::shared_ptr<const std::vector<model::NodePool>> pools;
    std::shared_ptr<const std::vector<model::DaemonSet>> daemon_sets;
    std::shared_ptr<const std::vector<model::PodDisruptionBudget>> pdbs;
    // When set, pods (and pending) are built by these on first read instead
    // (the simulator's pod table is large and most passes never read it).
    // Whoever sets them keeps the state they read unchanged until then, or
    // calls MaterializePods() first.
    std::function<void(Tables&)> build_pods;
    std::function<void(Tables&)> build_pending;
    // While pods is unbuilt, the first kLookupsBeforeTable GetPod calls ask
    // this (a lookup in that same state) instead of building the whole table
    // for a few names; a reader of many pods gets the table after them.
    std::function<const PodInfo*(const std::string&)> find_pod;
    // The same for the node table.
    std::function<void(Tables&)> build_nodes;
  };

  // Missing tables read as empty. REQUIRES: object tables sorted by name.
  explicit ClusterSnapshot(Tables tables);

  uint64_t generation() const { return t_.generation; }

  std::vector<const PodInfo*> PendingPods() const { return View(*MaterializePending().pending); }
  std::vector<const PodInfo*> Pods() const { return View(*MaterializePods().pods); }
  const PodInfo* GetPod(const std::string& name) const;
  std::vector<const NodeInfo*> Nodes() const { return View(*MaterializeNodes().nodes); }
  const NodeInfo* GetNode(const std::string& name) const;
  std::vector<const NodeClaimInfo*> NodeClaims() const { return View(*t_.claims); }
  const NodeClaimInfo* GetNodeClaim(const std::string& name) const;
  const std::vector<model::NodePool>& NodePools() const { return *t_.pools; }
  const model::NodePool* GetNodePool(const std::string& name) const;
  const std::vector<model::DaemonSet>& DaemonSets() const { return *t_.daemon_sets; }
  const std::vector<model::PodDisruptionBudget>& PodDisruptionBudgets() const { return *t_.pdbs; }

  // Claims neither initialised nor being deleted (launching or starting up).
  size_t claims_in_flight() const { return claims_in_flight_; }
  // Claims being deleted.
  size_t claims_deleting() const { return claims_deleting_; }

  const Tables& tables() const { return t_; }
  // Builds the lazy pod tables (pods and pending) now; returns the tables.
  const Tables& MaterializePods() const;
  // Builds the lazy pending table only.
  const Tables& MaterializePending() const;
  bool pods_built() const { return !t_.build_pods && !t_.build_pending; }
  const Tables& MaterializeNodes() const;
  bool nodes_built() const { return !t_.build_nodes; }

  // A table of copies of the objects, sorted by name (for fakes and tests).
  template <typename T, typename Name>
  static std::shared_ptr<const ObjectTable<T>> MakeTable(std::vector<T> objects, Name name_of);

 private:
  template <typename T>
  static std::vector<const T*> View(const ObjectTable<T>& table) {
    std::vector<const T*> out;
    out.reserve(table.size());
    for (const auto& p : table) out.push_back(p.get());
    return out;
  }

  static constexpr uint32_t kLookupsBeforeTable = 256;
  mutable Tables t_;  // mutable only to build a lazy pod table once
  mutable uint32_t lookups_ = 0;  // GetPod calls answered by find_pod
  size_t claims_in_flight_ = 0;
  size_t claims_deleting_ = 0;
};

// The name each table is sorted by.
inline const std::string& NameOf(const PodInfo& p) { return p.pod.meta.name; }
inline const std::string& NameOf(const NodeInfo& n) { return n.node.meta.name; }
inline const std::string& NameOf(const NodeClaimInfo& c) { return c.claim.meta.name; }

template <typename T, typename Name>
std::shared_ptr<const ObjectTable<T>> ClusterSnapshot::MakeTable(std::vector<T> objects, Name name_of) {
  auto table = std::make_shared<ObjectTable<T>>();
  for (T& o : objects) table->push_back(std::make_shared<const T>(std::move(o)));
  std::sort(table->begin(), table->end(), [&](const auto& a, const auto& b) { return name_of(*a) < name_of(*b); });
  return table;
}

}  // namespace adze::ports
