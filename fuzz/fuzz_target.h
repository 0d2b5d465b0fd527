// The one entry point every fuzz target defines (libFuzzer's), and a helper
// to read the input as text. Each <name>_fuzzer.cc is built twice: with
// clang's -fsanitize=fuzzer into a libFuzzer binary (`make fuzz`), and with
// any compiler against replay_main.cc into a test that runs the body over
// every file of corpus/<name>/ (`make test`), so a crash once found stays
// fixed without clang.
// Contract of a body: it must return for every input, without crashing,
// hanging or growing memory without bound; a parse error is a normal result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace adze::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace adze::fuzz
