#include "adapters/twin/protobuf_envelope.h"

#include <gtest/gtest.h>

#include <string>

namespace adze::twin {
namespace {

// Length-delimited field (wire type 2) with a one-byte length.
std::string Field(int number, const std::string& bytes) {
  return std::string(1, static_cast<char>(number << 3 | 2)) + std::string(1, static_cast<char>(bytes.size())) + bytes;
}

TEST(ProtobufEnvelope, ReadsTypeMetaAndObjectMeta) {
  std::string meta = Field(1, "serving") + Field(11, Field(1, "team") + Field(2, "ml"));
  std::string ns = Field(1, meta);  // Namespace{metadata}
  std::string unknown = Field(1, Field(1, "v1") + Field(2, "Namespace")) + Field(2, ns);
  auto out = DecodeProtobufEnvelope(std::string("k8s\0", 4) + unknown);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ((*out)["apiVersion"], "v1");
  EXPECT_EQ((*out)["kind"], "Namespace");
  EXPECT_EQ((*out)["metadata"]["name"], "serving");
  EXPECT_EQ((*out)["metadata"]["labels"]["team"], "ml");
}

TEST(ProtobufEnvelope, RejectsWhatIsNotAnEnvelope) {
  EXPECT_FALSE(DecodeProtobufEnvelope("{\"kind\":\"Namespace\"}").has_value());
  // Truncated: a length past the end.
  EXPECT_FALSE(DecodeProtobufEnvelope(std::string("k8s\0", 4) + "\x0a\x7f").has_value());
}

}  // namespace
}  // namespace adze::twin
