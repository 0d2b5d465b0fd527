// StartupPhases: where one pod's time from creation to running went
// (issue 4 item 6). The parts add up to the total.
// Thread-safety: value type.
#pragma once

#include "model/duration.h"

namespace adze::sim {

struct StartupPhases {
  model::Duration decision = 0;      // created → a NodeClaim made for it, or bound
  model::Duration launch = 0;        // claim created → instance launched
  model::Duration boot = 0;          // launched → Node registered and Ready
  model::Duration gpu_init = 0;      // Ready → device plugin registered (GPU nodes)
  model::Duration binding = 0;       // node usable → bound by the kube-scheduler
  model::Duration image = 0;         // image pull / snapshot hydration, container start
  model::Duration weights = 0;       // model weights into GPU memory
  model::Duration Total() const { return decision + launch + boot + gpu_init + binding + image + weights; }
};

}  // namespace adze::sim
