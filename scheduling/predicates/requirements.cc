#include "scheduling/predicates/requirements.h"

namespace adze::scheduling {

Verdict RequirementsPredicate::Check(const PodView& pod, const Candidate& c) const {
  if (!c.requirements || pod.step->requirements.empty()) return Verdict::Pass();
  auto conflict = c.requirements->Compatible(pod.step->requirements);
  if (!conflict) return Verdict::Pass();
  return Verdict::Fail(std::move(*conflict));
}

}  // namespace adze::scheduling
