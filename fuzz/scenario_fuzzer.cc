// Scenario files (sim/scenario/scenario_decoder.h). Referenced files
// (manifestFiles, load-curve CSVs, traces) read as not found, so the input
// alone decides the path taken.
#include "fuzz/fuzz_target.h"
#include "sim/scenario/scenario_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const adze::sim::FileReader no_files = [](const std::string& path) -> adze::Result<std::string> {
    return adze::Error::NotFound("no such file: " + path);
  };
  (void)adze::sim::DecodeScenario(adze::fuzz::AsText(data, size), "fuzz.yaml", no_files, nullptr);
  return 0;
}
