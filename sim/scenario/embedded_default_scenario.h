// The text of examples/default.yaml, embedded into adze_sim_scenario at build
// time by cmake/embed_text.cmake (the definition lives in a
// generated .cc in the build directory). Use DefaultScenarioText()
// (default_scenario.h) rather than this.
// Thread-safety: the view is immutable and lives for the whole program; the
// first call builds it (thread-safe static initialisation).
#pragma once

#include <string_view>

namespace adze::sim {

std::string_view EmbeddedDefaultScenarioYaml();

}  // namespace adze::sim
