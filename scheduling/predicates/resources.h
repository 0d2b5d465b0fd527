// Resources (spec §2.5, §2.8b): the pod's requests (cpu, memory, pods, GPUs
// and other extended resources) must fit what the candidate has left after
// bound pods and daemon overhead.
#pragma once

#include "scheduling/predicates/predicate.h"

namespace adze::scheduling {

class ResourcesPredicate final : public Predicate {
 public:
  std::string_view Name() const override { return "resources"; }
  Verdict Check(const PodView& pod, const Candidate& c) const override;
};

// "needs 8 nvidia.com/gpu, type has 1 allocatable" for the first short
// resource; holder names what has it ("type", or "node" for an existing node).
std::string Shortfall(const model::ResourceList& need, const model::ResourceList& have,
                      std::string_view holder = "type");

}  // namespace adze::scheduling
