#include "adapters/twin/selectors.h"

#include <gtest/gtest.h>

namespace adze::twin {
namespace {

using nlohmann::json;

TEST(Selectors, LabelTerms) {
  json labels{{"app", "web"}, {"tier", "front"}};
  auto s = Selector::Parse("app=web,tier in (front, back),!legacy,env notin (prod)");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->Matches(labels));
  EXPECT_FALSE(Selector::Parse("app!=web")->Matches(labels));
  EXPECT_FALSE(Selector::Parse("env")->Matches(labels));
  EXPECT_TRUE(Selector::Parse("")->Matches(labels));
  EXPECT_FALSE(Selector::Parse("app in (web").ok());
}

TEST(Selectors, FieldsAreDottedPaths) {
  json pod{{"metadata", {{"name", "p"}}}, {"spec", {{"nodeName", "n1"}}}, {"status", {{"phase", "Running"}}}};
  EXPECT_TRUE(Selector::Parse("spec.nodeName=n1,status.phase!=Succeeded")->MatchesFields(pod));
  EXPECT_FALSE(Selector::Parse("spec.nodeName==n2")->MatchesFields(pod));
  // kubectl drain lists pods with spec.nodeName=<node>; an unbound pod reads as "".
  json unbound{{"metadata", {{"name", "q"}}}};
  EXPECT_TRUE(Selector::Parse("spec.nodeName=")->MatchesFields(unbound));
}

TEST(Selectors, LabelSelectorObjects) {
  json sel = json::parse(R"({"matchLabels":{"app":"web"},
      "matchExpressions":[{"key":"tier","operator":"In","values":["front"]}]})");
  EXPECT_TRUE(LabelSelectorFromJson(sel).Matches(json{{"app", "web"}, {"tier", "front"}}));
  EXPECT_FALSE(LabelSelectorFromJson(sel).Matches(json{{"app", "web"}}));
  EXPECT_TRUE(LabelSelectorFromJson(json::object()).Matches(json::object()));
}

}  // namespace
}  // namespace adze::twin
