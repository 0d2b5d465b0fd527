#include "adapters/twin/object_store.h"

#include <gtest/gtest.h>

namespace adze::twin {
namespace {

using nlohmann::json;

ObjectStore MakeStore(size_t history = 100) {
  return ObjectStore([] { return int64_t{1767571200} * 1000000; }, history);
}

json Obj(const std::string& name) { return json{{"metadata", {{"name", name}}}, {"spec", {{"x", 1}}}}; }

TEST(ObjectStore, CreateStampsServerFields) {
  ObjectStore s = MakeStore();
  auto a = s.Create("pods", "default", Obj("a"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)["metadata"]["resourceVersion"], "1");
  EXPECT_EQ((*a)["metadata"]["namespace"], "default");
  EXPECT_EQ((*a)["metadata"]["creationTimestamp"], "2026-01-05T00:00:00Z");
  EXPECT_FALSE((*a)["metadata"]["uid"].get<std::string>().empty());
  EXPECT_EQ(s.Create("pods", "default", Obj("a")).error().code, ErrorCode::kAlreadyExists);
  json gen{{"metadata", {{"generateName", "web-"}}}};
  auto g = s.Create("pods", "default", gen);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)["metadata"]["name"].get<std::string>().rfind("web-", 0), 0u);
}

TEST(ObjectStore, UpdateWithStaleVersionConflicts) {
  ObjectStore s = MakeStore();
  json a = *s.Create("nodeclaims", "", Obj("a"));
  auto first = s.Mutate("nodeclaims", "", "a", [&](json& o) {
    o = a;
    o["spec"]["x"] = 2;
    return OkStatus();
  });
  ASSERT_TRUE(first.ok());
  EXPECT_EQ((*first)["metadata"]["resourceVersion"], "2");
  EXPECT_EQ((*first)["metadata"]["generation"], 2);
  // The same stale read again: conflict, nothing written.
  auto second = s.Mutate("nodeclaims", "", "a", [&](json& o) {
    o = a;
    o["spec"]["x"] = 3;
    return OkStatus();
  });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  EXPECT_EQ((*s.Get("nodeclaims", "", "a"))["spec"]["x"], 2);
}

TEST(ObjectStore, FinalizersHoldDeletionUntilRemoved) {
  ObjectStore s = MakeStore();
  json a = Obj("a");
  a["metadata"]["finalizers"] = json::array({"karpenter.sh/termination"});
  ASSERT_TRUE(s.Create("nodeclaims", "", a).ok());
  auto marked = s.Delete("nodeclaims", "", "a");
  ASSERT_TRUE(marked.ok());
  EXPECT_TRUE((*marked)["metadata"].contains("deletionTimestamp"));
  ASSERT_TRUE(s.Get("nodeclaims", "", "a").ok());
  ASSERT_TRUE(s.Mutate("nodeclaims", "", "a", [](json& o) {
                 o["metadata"]["finalizers"] = json::array();
                 return OkStatus();
               }).ok());
  EXPECT_EQ(s.Get("nodeclaims", "", "a").error().code, ErrorCode::kNotFound);
  auto events = s.EventsSince("nodeclaims", "", 0);
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].type, "ADDED");
  EXPECT_EQ((*events)[1].type, "MODIFIED");
  EXPECT_EQ((*events)[2].type, "DELETED");
}

TEST(ObjectStore, WatchFromBeforeTheHistoryIsExpired) {
  ObjectStore s = MakeStore(/*history=*/2);
  for (const char* n : {"a", "b", "c", "d"}) ASSERT_TRUE(s.Create("pods", "ns", Obj(n)).ok());
  EXPECT_FALSE(s.EventsSince("pods", "ns", 1).has_value());
  auto recent = s.EventsSince("pods", "ns", 2);
  ASSERT_TRUE(recent.has_value());
  EXPECT_EQ(recent->size(), 2u);
  s.Compact();
  EXPECT_FALSE(s.EventsSince("pods", "ns", 3).has_value());
  EXPECT_TRUE(s.EventsSince("pods", "ns", 4).has_value());
}

TEST(ObjectStore, NoOpWriteKeepsVersion) {
  ObjectStore s = MakeStore();
  ASSERT_TRUE(s.Create("pods", "ns", Obj("a")).ok());
  auto same = s.Mutate("pods", "ns", "a", [](json&) { return OkStatus(); });
  ASSERT_TRUE(same.ok());
  EXPECT_EQ((*same)["metadata"]["resourceVersion"], "1");
  // Also when the writer drops the version (an unconditional update).
  auto unversioned = s.Mutate("pods", "ns", "a", [](json& o) {
    o["metadata"].erase("resourceVersion");
    return OkStatus();
  });
  ASSERT_TRUE(unversioned.ok());
  EXPECT_EQ((*unversioned)["metadata"]["resourceVersion"], "1");
  EXPECT_EQ(s.revision(), 1u);
}

}  // namespace
}  // namespace adze::twin
