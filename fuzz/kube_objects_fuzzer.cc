// Kubernetes API objects as the client reads them (adapters/kube/
// object_codec.h): any JSON the API server (or a watch event's "object")
// returns goes through the Node, NodeClaim and Pod decoders.
#include <nlohmann/json.hpp>

#include "adapters/kube/object_codec.h"
#include "fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto text = adze::fuzz::AsText(data, size);
  nlohmann::json object = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) return 0;
  // A watch event wraps the object: {"type": "ADDED", "object": {...}}.
  if (object.is_object() && object.contains("object")) object = object["object"];
  (void)adze::kube::DecodeNode(object);
  (void)adze::kube::DecodeNodeClaim(object);
  (void)adze::kube::DecodePodInfo(object);
  (void)adze::kube::ResourceVersionOf(object);
  return 0;
}
