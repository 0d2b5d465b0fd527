#include "sim/scenario/default_scenario.h"

#include <string>

#include "sim/scenario/embedded_default_scenario.h"
#include "sim/scenario/scenario_decoder.h"

namespace adze::sim {

std::string_view DefaultScenarioText() { return EmbeddedDefaultScenarioYaml(); }

Result<Scenario> DefaultScenario() {
  // The default names no other file; any read is a mistake in it.
  FileReader no_files = [](const std::string& path) -> Result<std::string> {
    return Error::NotFound("the built-in scenario cannot read files (" + path + ")");
  };
  return DecodeScenario(DefaultScenarioText(), kDefaultScenarioFile, no_files);
}

}  // namespace adze::sim
