#include "scheduling/solver.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "catalog/instance_type.h"
#include "scheduling/lower_bound.h"
#include "scheduling/packing.h"
#include "scheduling/problem.h"
#include "scheduling/queue.h"

namespace adze::scheduling {
namespace {

// A claim whose cheapest option has GPUs or other accelerators: its node
// boots in minutes (driver, device plugin, large images), where the premium
// for fewer nodes pays.
bool AcceleratedClaim(const NewClaim& claim) {
  return !claim.instance_types.empty() && claim.instance_types.front()->HasAccelerators();
}

size_t AcceleratedClaims(const Plan& plan) {
  return static_cast<size_t>(std::count_if(plan.claims.begin(), plan.claims.end(), AcceleratedClaim));
}

// SolverOptions::fewer_nodes_premium. candidates[0] is Karpenter's plan.
Plan FewestNodesWithinPremium(std::vector<Plan> candidates, double premium) {
  auto placed_more = [](const Plan& a, const Plan& b) { return a.unschedulable.size() < b.unschedulable.size(); };
  const size_t unplaced = std::min_element(candidates.begin(), candidates.end(), placed_more)->unschedulable.size();
  double cheapest = std::numeric_limits<double>::infinity();
  for (const Plan& p : candidates) {
    if (p.unschedulable.size() == unplaced) cheapest = std::min(cheapest, p.cost_per_hour);
  }
  // Never dearer than Karpenter's packer would buy.
  double cap = (1 + premium) * cheapest;
  if (candidates[0].unschedulable.size() == unplaced) cap = std::min(cap, candidates[0].cost_per_hour);
  std::erase_if(candidates, [&](const Plan& p) { return p.unschedulable.size() > unplaced || p.cost_per_hour > cap; });
  auto better = [](const Plan& a, const Plan& b) {
    const size_t na = AcceleratedClaims(a), nb = AcceleratedClaims(b);
    if (na != nb) return na < nb;
    return a.cost_per_hour < b.cost_per_hour;
  };
  return std::move(*std::min_element(candidates.begin(), candidates.end(), better));
}

}  // namespace

Plan Solve(const SolverInput& input, const SolverOptions& options) {
  Problem problem(input, options);
  std::vector<size_t> queue = QueueOrder(input);
  RepackMemo memo;
  auto karpenter = std::make_unique<Packing>(problem, &memo, /*fullest_first=*/false, /*cost_aware=*/false);
  karpenter->Run(queue);
  // With no pools there is nothing to buy: both orders give the same plan.
  if (options.packer == Packer::kKarpenter || input.pools.empty()) {
    Plan plan = karpenter->Finish();
    if (options.compute_lower_bound) plan.lower_bound = LowerBound(problem, plan);
    return plan;
  }
  // Candidate packings: Karpenter's, best fit by price per packed pod, and
  // with options.thorough two more thresholds. The first that places the
  // most pods at the lowest cost wins (ties keep the earlier, so the result
  // is deterministic and never dearer than Karpenter's).
  struct Variant {
    bool fullest_first;
    double alpha;
  };
  std::vector<Variant> variants = {{true, 1.0}};
  if (options.thorough) {
    variants.push_back({true, 0.5});
    variants.push_back({false, 0.9});
  }
  // With a premium every candidate's plan is kept (at most four); without,
  // only the best packing so far is kept alive (a packing holds its claims,
  // topology counts and memos).
  const bool premium = options.fewer_nodes_premium > 0;
  std::vector<Plan> candidates;
  if (premium) candidates.push_back(karpenter->Finish());
  std::unique_ptr<Packing> best = std::move(karpenter);
  std::pair<size_t, double> best_score = premium ? std::pair<size_t, double>{} : best->Score();
  for (const Variant& v : variants) {
    auto packing = std::make_unique<Packing>(problem, &memo, v.fullest_first, /*cost_aware=*/true, v.alpha);
    packing->Run(queue);
    packing->Repack();
    if (premium) {  // chosen among finished plans below: no score needed
      candidates.push_back(packing->Finish());
      continue;
    }
    std::pair<size_t, double> score = packing->Score();
    if (score.first < best_score.first || (score.first == best_score.first && score.second < best_score.second)) {
      best = std::move(packing);
      best_score = score;
    }
  }
  Plan plan = premium ? FewestNodesWithinPremium(std::move(candidates), options.fewer_nodes_premium) : best->Finish();
  if (options.compute_lower_bound) plan.lower_bound = LowerBound(problem, plan);
  return plan;
}

}  // namespace adze::scheduling
