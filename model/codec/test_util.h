// Helpers shared by the codec tests.
#pragma once

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "model/codec/manifests.h"

namespace adze::codec::testing {

// Decodes text; a failure is reported and yields empty Manifests.
inline Manifests DecodeOk(std::string_view text, std::string_view file = "test.yaml") {
  Result<Manifests> r = DecodeManifests(text, file);
  if (!r.ok()) {
    ADD_FAILURE() << "unexpected error: " << r.error().message;
    return {};
  }
  return std::move(r).value();
}

// The error message of a decode that must fail, or "<no error>".
inline std::string ErrorOf(std::string_view text, std::string_view file = "test.yaml") {
  Result<Manifests> r = DecodeManifests(text, file);
  if (r.ok()) return "<no error>";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  return r.error().message;
}

// The warnings of a successful decode, one ToString() per line.
inline std::string WarningsOf(std::string_view text, std::string_view file = "test.yaml") {
  std::string out;
  for (const Diagnostic& d : DecodeOk(text, file).warnings) out += d.ToString() + "\n";
  return out;
}

}  // namespace adze::codec::testing
