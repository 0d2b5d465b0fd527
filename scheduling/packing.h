// Packing: one pass of Karpenter's provisioning loop over the pod queue
// (spec §2.4-2.8) on a Problem: each pod tries the existing nodes, then the
// claims of this pass (in ClaimOrder), then a new claim from the first
// template that accepts it, relaxing preferences one at a time; failed pods
// are retried while the queue keeps shrinking. kAdze packings also price a
// pod's join (price per packed pod) and re-pack plain claims afterwards
// (repack.cc). Finish turns the packing into a Plan.
// Thread-safety: a packing is used by one thread; several packings of one
// Problem may run concurrently (each owns its topology counts and claims).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scheduling/bin_packing.h"
#include "scheduling/bit_set.h"
#include "scheduling/claim_order.h"
#include "scheduling/predicates/predicate.h"
#include "scheduling/problem.h"
#include "scheduling/solver.h"

namespace adze::scheduling {

// A NodeClaim a packing is building: its pods, the requirements they
// narrowed it to, and the types (of its template) that still fit them all.
struct Claim {
  size_t id = 0;
  size_t tmpl = 0;
  int host = -1;  // hostname domain id
  model::Requirements requirements;
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

// A pod that only its requests tie to a claim: no topology term, no group
// counts it, no host ports and no node requirements at any step. Such pods
// can move between claims of one pool without changing any other decision.
inline bool Plain(const PreparedPod& p) {
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
  Packing(const Problem& problem, RepackMemo* memo, bool fullest_first, bool cost_aware, double alpha = 1.0);

  void Run(const std::vector<size_t>& queue);

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

  bool Place(const PreparedPod& pod, Failure* failure);

  bool PlaceOnExisting(const PodView& view, size_t cs);

  // The claim's single domain of key, or -1.
  int ClaimDomain(const Claim& c, const model::Requirements& reqs, int key) const;

  // Candidate domains a claim allows for key, in name order.
  void ClaimDomains(const Claim& c, const model::Requirements& reqs, int key, std::vector<int>* out) const;

  // Types of `from` that fit used and, when check_requirements, still
  // intersect reqs and have a usable offering the requirements allow.
  bool FilterTypes(const Template& t, const std::vector<uint32_t>& from, const model::Requirements& reqs,
                   const ResourceVector& used, bool check_requirements, std::vector<uint32_t>* out) const;

  // Types of `from` (already compatible with reqs) that still are once the
  // claim's key is pinned to value: the type allows the value and has a
  // usable offering there.
  bool FilterByDomain(const Template& t, const std::vector<uint32_t>& from, const model::Requirements& reqs,
                      const std::string& key, const std::string& value, std::vector<uint32_t>* out) const;

  // Types of `from` whose daemon-overhead group holds none of the pod's host
  // ports, into out. Returns false (with why, when given) if none is left.
  bool WithoutDaemonPortClash(const Template& t, const std::vector<uint32_t>& from, const PreparedPod& pod,
                              std::vector<uint32_t>* out, std::string* why) const;

  // Why FilterTypes kept none of `from` for claim c and the pod at `step`, for
  // a person: a requirement of the pod that no type (or none of its usable
  // offerings) allows, naming the key and both sides; else which resources
  // no single type has.
  std::string TypesFailure(const Claim& c, const std::vector<uint32_t>& from, const RelaxationStep& step,
                           const ResourceVector& used) const;

  // Envelope (max) and floor (min) of allocatable over the types the last
  // filter kept, accumulated as it runs.
  void ResetBounds() const;
  void AddBounds(const int64_t* a) const;

  // minValues (spec §2.8): distinct values per key over the surviving types.
  // Returns the first key short of its minValues with the count achieved.
  std::optional<std::pair<std::string, int>> MinValuesShort(const Template& t, const std::vector<uint32_t>& types,
                                                             const model::Requirements& reqs) const;

  static model::Requirements LowerMinValues(const model::Requirements& reqs, const std::string& key, int to);

  // Reservation ids of reserved offerings of `types` compatible with reqs;
  // usable_only: only those with instances left (or held by c).
  std::vector<std::string> CompatibleReservations(const Template& t, const std::vector<uint32_t>& types,
                                                  const model::Requirements& reqs) const;

  enum class Outcome { kOk, kFail, kReserved };

  // Tries to add the pod to claim c; commits on success. The claim's taints,
  // host ports and requirements are checked by the registry's predicates
  // (predicates/registry.h). why is filled only when given; *permanent says
  // whether the failure can never heal.
  Outcome TryClaim(Claim& c, const PodView& view, std::string* why, bool* permanent);

  bool PlaceOnClaim(const PodView& view, size_t cs);

  // The claim's per-resource max and min allocatable over its types (only
  // the solve's resources; the rest stay zero).
  void SetEnvelope(Claim& c) const;

  // The launch path's exotic filter (spec §3.2.3): GPU, accelerator and
  // metal types are dropped while any other type remains (not with minValues).
  // Returns whether exotic types are to be skipped for this claim.
  bool SkipExotic(const Claim& c) const;

  // Copies what the claim scan reads into flat arrays (cache-friendly).
  void SyncScan(const Claim& c);

  void Reopen(const Claim& c);

  bool PlaceOnNewClaim(const PodView& view, size_t cs, Failure* failure);

  // Why template ti takes no new claim: its nodes limit is used up.
  std::string NodesLimitReason(size_t ti) const;

  // True when some type of template ti that the pool's remaining limits
  // removed has room for the pod.
  bool LimitRemovedFit(size_t ti, const PreparedPod& pod) const;

  // Why the limits of template ti left no type for the pod: the limited
  // resource that removed the types big enough for it, what is left of it
  // and the least a removed type that fits needs.
  std::string LimitsReason(size_t ti, const PreparedPod& pod) const;

  // The cheapest type of template ti that can carry the pod alone.
  double Standalone(const PreparedPod& pod, size_t ti);

  // What Score charges for a claim of template ti that keeps the template's
  // requirements and carries `used`: the first (cheapest) type that fits,
  // skipping exotic types when a plain one fits. Infinity when none fits.
  double PriceFor(size_t ti, const ResourceVector& used) const;

  // The type PriceFor charges (its index in the template).
  // REQUIRES: some type of template ti fits used.
  uint32_t PriceTypeFor(size_t ti, const ResourceVector& used) const;

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
  // What placing pods changes on each of the problem's existing nodes (the
  // rest is read from Problem::nodes_, not copied per packing).
  struct NodeState {
    ResourceVector remaining;
    std::vector<model::ContainerPort> host_ports;
  };
  std::vector<NodeState> nodes_;
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

}  // namespace adze::scheduling
