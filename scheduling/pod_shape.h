// PodShapeKey: a text key equal for two pods exactly when the solver treats
// them alike on their own — the same effective requests, tolerations, node
// selector, required node affinity and host ports. Callers that memoise a
// per-pod answer (the consolidation simulator's placements, the run-level
// lower bound) key on it.
// Thread-safety: pure function.
#pragma once

#include <string>

#include "model/pod.h"

namespace adze::scheduling {

std::string PodShapeKey(const model::Pod& pod);

}  // namespace adze::scheduling
