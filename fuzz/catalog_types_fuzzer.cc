// instance-types.csv (`--catalog FILE`), with a fixed valid zones file.
#include "catalog/catalog.h"
#include "catalog/testing_csv.h"
#include "fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string kZones = adze::catalog::testing::ZonesCsv({{"m5.large", "us-east-1a", "use1-az1"}});
  (void)adze::catalog::Catalog::FromCsv(adze::fuzz::AsText(data, size), kZones, "fuzz");
  return 0;
}
