// Durations: Go's (model/duration.h: expireAfter, consolidateAfter, ...) and
// the scenario's with days (`--duration 7d`). What parses must print and
// parse back to the same value.
#include <cstdlib>

#include "fuzz/fuzz_target.h"
#include "model/duration.h"
#include "sim/scenario/scenario_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = adze::fuzz::AsText(data, size);
  adze::Result<adze::model::Duration> d = adze::model::ParseDuration(text);
  if (d.ok()) {
    adze::Result<adze::model::Duration> again = adze::model::ParseDuration(adze::model::FormatDuration(*d));
    if (!again.ok() || *again != *d) std::abort();
  }
  (void)adze::sim::ParseScenarioDuration(text);
  return 0;
}
