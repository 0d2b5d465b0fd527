// The zones CSV (`--zones FILE`), with a fixed valid instance-types file.
#include "catalog/catalog.h"
#include "catalog/testing_csv.h"
#include "fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string kTypes = adze::catalog::testing::TypesCsv({{}, {{"instance_type", "p5.48xlarge"}}});
  (void)adze::catalog::Catalog::FromCsv(kTypes, adze::fuzz::AsText(data, size), "fuzz");
  return 0;
}
