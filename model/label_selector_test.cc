#include "model/label_selector.h"

#include <gtest/gtest.h>

namespace adze::model {
namespace {

using Op = LabelSelectorRequirement::Op;

LabelSelector Expr(std::string key, Op op, std::vector<std::string> values = {}) {
  LabelSelector s;
  s.match_expressions.push_back({std::move(key), op, std::move(values)});
  return s;
}

const Labels kWeb{{"app", "web"}, {"tier", "frontend"}};
const Labels kDb{{"app", "db"}};
const Labels kNone{};

TEST(LabelSelectorTest, EmptySelectorMatchesEverything) {
  LabelSelector s;
  EXPECT_TRUE(s.Matches(kWeb));
  EXPECT_TRUE(s.Matches(kNone));
}

TEST(LabelSelectorTest, MatchLabelsNeedsEveryPair) {
  LabelSelector s;
  s.match_labels = {{"app", "web"}};
  EXPECT_TRUE(s.Matches(kWeb));
  EXPECT_FALSE(s.Matches(kDb));
  EXPECT_FALSE(s.Matches(kNone));
  s.match_labels.emplace("tier", "frontend");
  EXPECT_TRUE(s.Matches(kWeb));
  s.match_labels["tier"] = "backend";
  EXPECT_FALSE(s.Matches(kWeb));
  // Empty value must equal an empty label value, not just a present key.
  LabelSelector empty_value;
  empty_value.match_labels = {{"app", ""}};
  EXPECT_FALSE(empty_value.Matches(kWeb));
  EXPECT_TRUE(empty_value.Matches(Labels{{"app", ""}}));
}

TEST(LabelSelectorTest, In) {
  LabelSelector s = Expr("app", Op::kIn, {"web", "api"});
  EXPECT_TRUE(s.Matches(kWeb));
  EXPECT_FALSE(s.Matches(kDb));
  EXPECT_FALSE(s.Matches(kNone));  // absent key is not In
  EXPECT_FALSE(Expr("app", Op::kIn, {}).Matches(kWeb));
}

TEST(LabelSelectorTest, NotIn) {
  LabelSelector s = Expr("app", Op::kNotIn, {"web"});
  EXPECT_FALSE(s.Matches(kWeb));
  EXPECT_TRUE(s.Matches(kDb));
  EXPECT_TRUE(s.Matches(kNone));  // absent key satisfies NotIn
}

TEST(LabelSelectorTest, Exists) {
  LabelSelector s = Expr("tier", Op::kExists);
  EXPECT_TRUE(s.Matches(kWeb));
  EXPECT_FALSE(s.Matches(kDb));
  EXPECT_TRUE(s.Matches(Labels{{"tier", ""}}));
}

TEST(LabelSelectorTest, DoesNotExist) {
  LabelSelector s = Expr("tier", Op::kDoesNotExist);
  EXPECT_FALSE(s.Matches(kWeb));
  EXPECT_TRUE(s.Matches(kDb));
  EXPECT_TRUE(s.Matches(kNone));
}

TEST(LabelSelectorTest, EverythingIsAnded) {
  LabelSelector s = Expr("app", Op::kIn, {"web", "db"});
  s.match_expressions.push_back({"tier", Op::kExists, {}});
  EXPECT_TRUE(s.Matches(kWeb));
  EXPECT_FALSE(s.Matches(kDb));  // second expression fails
  s.match_labels = {{"app", "db"}};
  EXPECT_FALSE(s.Matches(kWeb));  // matchLabels fails
  EXPECT_FALSE(s.Matches(Labels{{"app", "db"}}));
  EXPECT_TRUE(s.Matches(Labels{{"app", "db"}, {"tier", "x"}}));
}

TEST(LabelSelectorTest, Equality) {
  EXPECT_EQ(Expr("a", Op::kIn, {"x"}), Expr("a", Op::kIn, {"x"}));
  EXPECT_FALSE(Expr("a", Op::kIn, {"x"}) == Expr("a", Op::kNotIn, {"x"}));
}

}  // namespace
}  // namespace adze::model
