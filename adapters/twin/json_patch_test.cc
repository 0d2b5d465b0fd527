#include "adapters/twin/json_patch.h"

#include <gtest/gtest.h>

namespace adze::twin {
namespace {

using nlohmann::json;

TEST(JsonPatch, ContentTypes) {
  EXPECT_EQ(PatchTypeFromContentType("application/merge-patch+json"), PatchType::kMerge);
  EXPECT_EQ(PatchTypeFromContentType("application/strategic-merge-patch+json; charset=utf-8"), PatchType::kStrategic);
  EXPECT_EQ(PatchTypeFromContentType("application/json-patch+json"), PatchType::kJson);
  EXPECT_FALSE(PatchTypeFromContentType("application/apply-patch+yaml").has_value());
}

TEST(JsonPatch, MergePatchReplacesListsAndDeletesNulls) {
  json target = json::parse(R"({"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"taints":[{"key":"x"}]}})");
  auto out = ApplyPatch(target, json::parse(R"({"metadata":{"labels":{"a":null,"c":"3"}},"spec":{"taints":[]}})"),
                        PatchType::kMerge);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)["metadata"]["labels"], json::parse(R"({"b":"2","c":"3"})"));
  EXPECT_EQ((*out)["spec"]["taints"], json::array());
}

TEST(JsonPatch, StrategicMergesContainersByNameAndHonoursDirectives) {
  json target = json::parse(R"({"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]},
                                "metadata":{"finalizers":["f1"]}})");
  json patch = json::parse(R"({"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],
      "containers":[{"name":"b","image":"3"},{"name":"a","$patch":"delete"},{"name":"c","image":"4"}]},
      "metadata":{"finalizers":["f2"],"$deleteFromPrimitiveList/finalizers":["f1"]}})");
  auto out = ApplyPatch(target, patch, PatchType::kStrategic);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)["spec"]["containers"], json::parse(R"([{"name":"b","image":"3"},{"name":"c","image":"4"}])"));
  EXPECT_EQ((*out)["metadata"]["finalizers"], json::array({"f2"}));
  // kubectl cordon / drain
  auto cordon = ApplyPatch(json::parse(R"({"spec":{}})"), json::parse(R"({"spec":{"unschedulable":true}})"),
                           PatchType::kStrategic);
  EXPECT_EQ((*cordon)["spec"]["unschedulable"], true);
}

TEST(JsonPatch, JsonPatchErrorsAreInvalid) {
  auto ok = ApplyPatch(json::parse(R"({"a":1})"), json::parse(R"([{"op":"replace","path":"/a","value":2}])"),
                       PatchType::kJson);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["a"], 2);
  auto bad = ApplyPatch(json::parse(R"({"a":1})"), json::parse(R"([{"op":"remove","path":"/zz"}])"), PatchType::kJson);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace adze::twin
