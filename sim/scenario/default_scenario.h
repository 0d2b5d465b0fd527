// The built-in default scenario, the one `adze simulate` and `make demo` run
// when no file is given: a GPU cluster in us-east-1 with a 4 × 8-GPU training
// job on on-demand p5 protected by do-not-disrupt, a diurnal inference
// service on spot g5/g6, Poisson CPU batch jobs, and the GPU images
// pre-seeded on an EBS snapshot. Its text is examples/default.yaml, embedded
// at build time (sim/scenario/embed_scenario.cmake).
// Thread-safety: both functions may be called from any thread.
#pragma once

#include <string_view>

#include "model/result.h"
#include "sim/scenario.h"

namespace adze::sim {

// The file name the default scenario reports (Scenario::file and messages).
inline constexpr std::string_view kDefaultScenarioFile = "built-in";

// The YAML text of the default scenario, as examples/default.yaml was at build
// time. Lives for the whole program.
std::string_view DefaultScenarioText();

// The default scenario, decoded. Always ok in a correct build (a test checks
// it); an error means examples/default.yaml was broken at build time.
Result<Scenario> DefaultScenario();

}  // namespace adze::sim
