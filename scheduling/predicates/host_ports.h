// Host ports (spec §2.7): (IP, port, protocol) must be unique per node;
// 0.0.0.0, :: and an empty IP clash with any IP. DaemonSet ports count.
#pragma once

#include "scheduling/predicates/predicate.h"

namespace adze::scheduling {

class HostPortsPredicate final : public Predicate {
 public:
  std::string_view Name() const override { return "host-ports"; }
  Verdict Check(const PodView& pod, const Candidate& c) const override;
};

// The first port of want that clashes with one in used; nullptr when none.
const model::ContainerPort* PortClash(const std::vector<model::ContainerPort>& used,
                                      const std::vector<model::ContainerPort>& want);

}  // namespace adze::scheduling
