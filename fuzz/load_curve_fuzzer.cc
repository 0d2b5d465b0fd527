// Load-curve CSVs (minute,replicas), reached as a scenario's
// InferenceService loadCurve.csv: the input is the CSV file.
#include <string>

#include "fuzz/fuzz_target.h"
#include "sim/scenario/scenario_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string kScenario =
      "apiVersion: adze.dev/v1alpha1\nkind: Scenario\nworkloads:\n  - kind: InferenceService\n    name: i\n"
      "    loadCurve: {csv: curve.csv}\n    template:\n      spec:\n        containers:\n          - name: c\n"
      "            image: app:1\n";
  const std::string csv(adze::fuzz::AsText(data, size));
  const adze::sim::FileReader reader = [&csv](const std::string&) -> adze::Result<std::string> { return csv; };
  (void)adze::sim::DecodeScenario(kScenario, "fuzz.yaml", reader, nullptr);
  return 0;
}
