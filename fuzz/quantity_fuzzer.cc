// Kubernetes quantities (model/quantity.h): parse, and print what parsed.
#include "fuzz/fuzz_target.h"
#include "model/quantity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  adze::Result<adze::model::Quantity> q = adze::model::Quantity::Parse(adze::fuzz::AsText(data, size));
  if (q.ok()) (void)q->ToString();
  return 0;
}
