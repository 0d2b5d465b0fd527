#include "scheduling/predicates/limits.h"

namespace adze::scheduling {

Verdict LimitsPredicate::Check(const PodView&, const Candidate& c) const {
  if (c.nodes_limit_reached) return Verdict::Fail("NodePool limit on nodes reached");
  if (c.limits_list && c.capacity_list) {
    for (const auto& [res, left] : *c.limits_list) {
      if (res != "nodes" && c.capacity_list->Get(res) > left) {
        return Verdict::Fail("pool limit on " + res + " reached (" + left.ToString() + " left, type has " +
                             c.capacity_list->Get(res).ToString() + ")");
      }
    }
    return Verdict::Pass();
  }
  if (!c.limits || !c.capacity || c.capacity->FitsIn(*c.limits)) return Verdict::Pass();
  if (!c.explain || !c.space) return Verdict::Fail("limits reached");
  for (size_t i = 0; i < c.space->size(); ++i) {
    if ((*c.capacity)[i] <= (*c.limits)[i]) continue;
    const std::string& name = c.space->name(i);
    model::ResourceList left = c.space->ToList(*c.limits);
    model::ResourceList cap = c.space->ToList(*c.capacity);
    return Verdict::Fail("pool limit on " + name + " reached (" + left.Get(name).ToString() + " left, type has " +
                         cap.Get(name).ToString() + ")");
  }
  return Verdict::Fail("limits reached");
}

}  // namespace adze::scheduling
