#include "scheduling/predicates/resources.h"

namespace adze::scheduling {

std::string Shortfall(const model::ResourceList& need, const model::ResourceList& have, std::string_view holder) {
  for (const auto& [name, q] : need) {
    if (q.milli() > 0 && q > have.Get(name)) {
      std::string h = have.Has(name) ? have.Get(name).ToString() : "0";
      return "needs " + q.ToString() + " " + name + ", " + std::string(holder) + " has " + h + " allocatable";
    }
  }
  return "";
}

Verdict ResourcesPredicate::Check(const PodView& pod, const Candidate& c) const {
  if (c.free_list && !c.free) {
    // Explain: an instance type (c.type set) or an existing node.
    std::string gap = Shortfall(pod.pod->pod->EffectiveRequests(), *c.free_list, c.type ? "type" : "node");
    return gap.empty() ? Verdict::Pass() : Verdict::Fail(std::move(gap));
  }
  if (!c.free || pod.pod->requests.FitsIn(*c.free)) return Verdict::Pass();
  if (c.explain && c.free_list) return Verdict::Fail(Shortfall(pod.pod->pod->EffectiveRequests(), *c.free_list));
  if (!c.explain || !c.space) return Verdict::Fail("not enough resources");
  model::ResourceList have = c.space->ToList(*c.free);
  return Verdict::Fail(Shortfall(pod.pod->pod->EffectiveRequests(), have));
}

}  // namespace adze::scheduling
