#include "scheduling/predicates/taints.h"

namespace adze::scheduling {

bool ToleratesTaints(const PodView& pod, const std::vector<model::Taint>& taints) {
  if (taints.empty()) return true;
  return !model::FirstUntolerated(taints, pod.pod->pod->tolerations, !pod.step->tolerate_prefer_no_schedule);
}

Verdict TaintsPredicate::Check(const PodView& pod, const Candidate& c) const {
  if (!c.taints || c.taints->empty()) return Verdict::Pass();
  auto taint = model::FirstUntolerated(*c.taints, pod.pod->pod->tolerations, !pod.step->tolerate_prefer_no_schedule);
  if (!taint) return Verdict::Pass();
  return Verdict::Fail(c.explain ? "taint " + taint->ToString() + " not tolerated" : "");
}

}  // namespace adze::scheduling
