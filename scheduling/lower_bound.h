// LowerBound: what any plan must at least pay for the pods a plan puts in
// new claims (spec: LB_r = sum over pods of request_r × min over types that
// can carry the pod of price/allocatable_r; LB = max over r). Pods on
// existing nodes cost nothing; unschedulable pods are not in the plan's cost.
// Thread-safety: a pure function of its arguments.
#pragma once

#include <map>
#include <string>

#include "scheduling/problem.h"
#include "scheduling/solver.h"

namespace adze::scheduling {

// 0 when no pod has a type.
double LowerBound(const Problem& p, const Plan& plan);

// LB_r of every pod of the problem as if each needed new capacity, by
// resource name (resources with LB_r = 0 left out); LB = the largest. The
// run-level bound (sim/run_lower_bound.h) sums these over the pods present.
std::map<std::string, double> LowerBoundByResource(const Problem& p);

}  // namespace adze::scheduling
