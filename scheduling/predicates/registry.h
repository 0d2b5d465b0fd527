// The predicates, in the fixed order the solver and Explain try them: the
// cheap, pool-level ones first, then per-type ones, then topology. Explain
// reports the first that fails for each pool and instance type.
#pragma once

#include <vector>

#include "scheduling/predicates/predicate.h"

namespace adze::scheduling {

// Taints, requirements, resources, offerings, limits, host ports, topology
// spread, pod affinity, pod anti-affinity (with the inverse).
const std::vector<const Predicate*>& Predicates();

// Looks a predicate up by Name(); nullptr when unknown.
const Predicate* FindPredicate(std::string_view name);

}  // namespace adze::scheduling
