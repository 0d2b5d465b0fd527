// `adze catalog --require` expressions (model/requirement_expression.h).
#include "fuzz/fuzz_target.h"
#include "model/requirement_expression.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)adze::model::ParseRequirementExpression(adze::fuzz::AsText(data, size));
  return 0;
}
