// SQS message bodies of the interruption queue (EventBridge events, spec §7):
// adapters/aws/eventbridge_message.h.
#include <string>

#include "adapters/aws/eventbridge_message.h"
#include "fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)adze::adapters::aws::ParseEventBridgeMessage(std::string(adze::fuzz::AsText(data, size)));
  return 0;
}
