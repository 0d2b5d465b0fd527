#include "scheduling/solver.h"

#include <memory>
#include <utility>
#include <vector>

#include "scheduling/lower_bound.h"
#include "scheduling/packing.h"
#include "scheduling/problem.h"
#include "scheduling/queue.h"

namespace adze::scheduling {

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
  // Only the best packing so far is kept alive (a packing holds its claims,
  // topology counts and memos).
  std::unique_ptr<Packing> best = std::move(karpenter);
  std::pair<size_t, double> best_score = best->Score();
  for (const Variant& v : variants) {
    auto packing = std::make_unique<Packing>(problem, &memo, v.fullest_first, /*cost_aware=*/true, v.alpha);
    packing->Run(queue);
    packing->Repack();
    std::pair<size_t, double> score = packing->Score();
    if (score.first < best_score.first || (score.first == best_score.first && score.second < best_score.second)) {
      best = std::move(packing);
      best_score = score;
    }
  }
  Plan plan = best->Finish();
  if (options.compute_lower_bound) plan.lower_bound = LowerBound(problem, plan);
  return plan;
}

}  // namespace adze::scheduling
