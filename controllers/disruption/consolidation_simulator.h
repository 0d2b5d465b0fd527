// ConsolidationSimulator: "if these nodes went away, where would their pods
// go?" (spec §6.5, consolidation, common part). The candidates' reschedulable
// pods are placed on the other initialised, schedulable nodes first; what
// does not fit goes to the solver, which plans new NodeClaims from the
// NodePools. A move is feasible when every pod has a place and the
// replacements cost strictly less than the candidates (each replacement
// keeps only the instance types whose worst launch price — the dearest
// available compatible offering of the capacity type that would launch —
// keeps the total under the candidates' price).
//
// Speed: pods without inter-pod constraints are placed first-fit-decreasing
// over dense free-capacity vectors, with a per-pod-shape cursor (free
// capacity only shrinks during a probe, so a node that could not take a
// shape never can again). Compatibility of a shape with a node (taints,
// nodeSelector, required node affinity) is cached. Pods with inter-pod
// constraints send the whole probe through scheduling::Solve.
// Thread-safety: none; one simulator per disruption pass.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "controllers/disruption/candidate.h"
#include "controllers/disruption/move_cache.h"
#include "controllers/disruption/replacement_bound.h"
#include "ports/cloud_provider.h"
#include "ports/cluster.h"
#include "scheduling/solver.h"

namespace adze::controllers::disruption {

struct Replacement {
  model::NodeClaim claim;  // without a name; the orchestrator names it
  std::string node_pool;
  double price = 0;        // worst launch price of its cheapest kept type
};

struct Move {
  bool feasible = false;
  std::string reason;      // why not, when infeasible
  std::vector<Replacement> replacements;
  double candidate_price = 0;    // $/h of the nodes removed
  double replacement_price = 0;  // $/h of the replacements (worst launch prices)
  size_t pods = 0;               // pods simulated
  double Savings() const { return candidate_price - replacement_price; }
};

struct SimulatorOptions {
  // adze: any number of cheaper replacements; Karpenter: at most one.
  size_t max_replacements = SIZE_MAX;
  // Karpenter's SpotToSpotConsolidation gate (default off): with it off, spot
  // candidates may only be deleted, never replaced by spot. With it on, a
  // single spot node is replaced only when at least 15 cheaper spot types
  // (or the instance-type minValues, if larger) remain, and launches with
  // the 15 cheapest, so a replacement is not the next type to be reclaimed
  // (spec §6.5).
  bool spot_to_spot = false;
  // Drift replaces without the price rule.
  bool require_cheaper = true;
  // A move that needs new capacity for more pods than this is not a
  // consolidation but a re-plan of the cluster; it is rejected before the
  // solver runs (keeps a whole-cluster multi-node search fast).
  size_t max_pods_needing_new_capacity = 2500;
  // Room kept for arrivals, by node name (adze headroom): moved pods may not
  // use it. Null: none.
  const std::map<std::string, model::ResourceList>* kept_room = nullptr;
};

using SolveCache = MoveCache<Move>;

// Everything of the pools that changes where pods could go (the drift hash,
// requirements, weight, limits): cached solver verdicts are void when it
// changes.
std::string PoolsFingerprint(const std::vector<model::NodePool>& pools);

class ConsolidationSimulator {
 public:
  // bound (optional, may outlive the simulator) prunes probes whose new
  // capacity could never be cheaper than the candidates.
  ConsolidationSimulator(const ports::ClusterSnapshot& cluster, ports::CloudProvider& cloud,
                         const std::vector<Candidate>& candidates, SimulatorOptions options,
                         ReplacementBound* bound = nullptr, SolveCache* cache = nullptr);

  // Moves the pods of the given candidates (indexes into the constructor's
  // candidates) elsewhere.
  Move Simulate(std::span<const size_t> candidate_indexes);

 private:
  static constexpr size_t kDims = 8;
  using Vec = std::array<int64_t, kDims>;
  struct Slot {
    const ports::NodeInfo* node = nullptr;
    Vec free{};
    bool usable = false;  // initialised, Ready, schedulable, not being deleted
  };
  struct PodShape {
    const ports::PodInfo* pod = nullptr;
    size_t shape = 0;  // pods with equal requests and node constraints share it
    Vec request{};
  };

  // What the spot-to-spot rules allow for a set of candidates.
  enum class SpotRule : char {
    kAny = 'o',        // some candidate is on-demand: no spot rule
    kDeleteOnly = 'd', // all spot, gate off
    kSingleNode = '1', // all spot, gate on, one candidate: 15 cheaper types
    kMultiNode = 'm',  // all spot, gate on, several candidates: cheaper only
  };
  SpotRule SpotRuleFor(std::span<const size_t> candidate_indexes) const;
  model::ResourceList KeptRoom(const std::string& node) const;

  Vec ToVec(const model::ResourceList& list);
  // ToVec(allocatable − requested − kept), without building the list once
  // every name is a known dimension.
  Vec FreeRoom(const model::ResourceList& allocatable, const model::ResourceList& requested,
               const model::ResourceList& kept);
  // The candidate's pods with their shapes, worked out on first use (a pass
  // probes the few candidates its budgets allow, not the whole cluster).
  const std::vector<PodShape>& PodsOf(size_t candidate);
  // Fetches the pools' instance types on first use.
  void EnsurePools();
  bool Compatible(size_t shape, size_t slot);
  // Usable, compatible slots whose free room (before any probe) takes the
  // shape, in slot order; computed on first use.
  const std::vector<size_t>& FitSlots(size_t shape, const Vec& request);
  Move SolveRest(const std::vector<const ports::PodInfo*>& pods, const std::vector<bool>& excluded, SpotRule spot,
                 double candidate_price, bool with_nodes);
  bool PriceReplacements(const scheduling::Plan& plan, SpotRule spot, double candidate_price, Move& move);

  const ports::ClusterSnapshot& cluster_;
  ports::CloudProvider& cloud_;
  const std::vector<Candidate>& candidates_;
  ReplacementBound* bound_ = nullptr;
  SolveCache* cache_ = nullptr;
  bool pools_loaded_ = false;
  std::vector<std::string> shape_keys_;
  SimulatorOptions options_;
  std::vector<std::string> dims_;
  bool too_many_dims_ = false;
  std::vector<Slot> slots_;
  std::vector<size_t> slot_of_candidate_;
  std::vector<std::optional<std::vector<PodShape>>> pods_of_candidate_;
  std::vector<const model::Pod*> shape_pods_;     // a representative per shape
  std::map<std::string, size_t> shape_of_key_;    // PodShapeKey → shape
  struct RecentShape {
    const model::Pod* pod;
    model::ResourceList requests;
    size_t shape;
  };
  static constexpr size_t kRecentShapes = 8;
  std::vector<RecentShape> recent_shapes_;  // most recently used first
  std::vector<std::vector<int8_t>> compatible_;   // [shape][slot]: -1 unknown
  scheduling::SolverInput solver_input_;          // pools fetched once
  std::vector<std::optional<std::vector<size_t>>> fit_slots_;  // [shape]
  // Per-probe state, valid where the stamp equals epoch_.
  uint32_t epoch_ = 0;
  std::vector<uint32_t> stamp_, excluded_stamp_;
  std::vector<Vec> scratch_free_;
};

}  // namespace adze::controllers::disruption
