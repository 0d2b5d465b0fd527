// Kubernetes and Karpenter manifests, YAML or JSON (model/codec/manifests.h):
// the path every `plan`, `catalog --fits` and `--nodepool` input takes.
#include "fuzz/fuzz_target.h"
#include "model/codec/manifests.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)adze::codec::DecodeManifests(adze::fuzz::AsText(data, size), "fuzz.yaml");
  return 0;
}
