// The Alibaba GPU trace's pod list CSV (sim/alibaba_trace.h).
#include "fuzz/fuzz_target.h"
#include "sim/alibaba_trace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)adze::sim::ParseAlibabaPodList(adze::fuzz::AsText(data, size), "fuzz.csv");
  return 0;
}
