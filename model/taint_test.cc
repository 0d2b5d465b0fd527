#include "model/taint.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace adze::model {
namespace {

using Op = Toleration::Op;

Taint T(std::string key, std::string value, TaintEffect effect = TaintEffect::kNoSchedule) {
  return Taint{std::move(key), std::move(value), effect};
}

Toleration Tol(std::string key, Op op, std::string value = "", std::optional<TaintEffect> effect = std::nullopt) {
  Toleration t;
  t.key = std::move(key);
  t.op = op;
  t.value = std::move(value);
  t.effect = effect;
  return t;
}

TEST(TaintTest, EffectNamesRoundTrip) {
  for (TaintEffect e : {TaintEffect::kNoSchedule, TaintEffect::kPreferNoSchedule, TaintEffect::kNoExecute}) {
    EXPECT_EQ(ParseTaintEffect(TaintEffectName(e)), e);
  }
  EXPECT_EQ(ParseTaintEffect("noschedule"), std::nullopt);
  EXPECT_EQ(ParseTaintEffect(""), std::nullopt);
}

TEST(TaintTest, ToString) {
  EXPECT_EQ(T("nvidia.com/gpu", "true").ToString(), "nvidia.com/gpu=true:NoSchedule");
  EXPECT_EQ(T("dedicated", "", TaintEffect::kNoExecute).ToString(), "dedicated:NoExecute");
  EXPECT_EQ(T("k", "v", TaintEffect::kPreferNoSchedule).ToString(), "k=v:PreferNoSchedule");
}

TEST(TolerationTest, EqualMatchesKeyAndValue) {
  Toleration tol = Tol("gpu", Op::kEqual, "true");
  EXPECT_TRUE(tol.Tolerates(T("gpu", "true")));
  EXPECT_TRUE(tol.Tolerates(T("gpu", "true", TaintEffect::kNoExecute)));  // no effect: every effect
  EXPECT_FALSE(tol.Tolerates(T("gpu", "false")));
  EXPECT_FALSE(tol.Tolerates(T("gpu", "")));
  EXPECT_FALSE(tol.Tolerates(T("other", "true")));
  // Equal with an empty value matches only an empty taint value.
  EXPECT_TRUE(Tol("gpu", Op::kEqual).Tolerates(T("gpu", "")));
  EXPECT_FALSE(Tol("gpu", Op::kEqual).Tolerates(T("gpu", "x")));
}

TEST(TolerationTest, ExistsMatchesAnyValueOfTheKey) {
  Toleration tol = Tol("gpu", Op::kExists);
  EXPECT_TRUE(tol.Tolerates(T("gpu", "true")));
  EXPECT_TRUE(tol.Tolerates(T("gpu", "")));
  EXPECT_FALSE(tol.Tolerates(T("gpux", "true")));
}

TEST(TolerationTest, EmptyKeyWithExistsToleratesEverything) {
  Toleration all = Tol("", Op::kExists);
  EXPECT_TRUE(all.Tolerates(T("a", "1")));
  EXPECT_TRUE(all.Tolerates(T("b", "", TaintEffect::kNoExecute)));
  EXPECT_TRUE(all.Tolerates(T("c", "", TaintEffect::kPreferNoSchedule)));
  // ... restricted to one effect when it names one.
  Toleration no_exec = Tol("", Op::kExists, "", TaintEffect::kNoExecute);
  EXPECT_TRUE(no_exec.Tolerates(T("a", "1", TaintEffect::kNoExecute)));
  EXPECT_FALSE(no_exec.Tolerates(T("a", "1", TaintEffect::kNoSchedule)));
  // Empty key with Equal is not a wildcard.
  EXPECT_FALSE(Tol("", Op::kEqual, "1").Tolerates(T("a", "1")));
}

TEST(TolerationTest, EffectMustMatchWhenGiven) {
  Toleration tol = Tol("gpu", Op::kExists, "", TaintEffect::kNoSchedule);
  EXPECT_TRUE(tol.Tolerates(T("gpu", "x", TaintEffect::kNoSchedule)));
  EXPECT_FALSE(tol.Tolerates(T("gpu", "x", TaintEffect::kNoExecute)));
  EXPECT_FALSE(tol.Tolerates(T("gpu", "x", TaintEffect::kPreferNoSchedule)));
  Toleration eq = Tol("gpu", Op::kEqual, "x", TaintEffect::kNoExecute);
  EXPECT_TRUE(eq.Tolerates(T("gpu", "x", TaintEffect::kNoExecute)));
  EXPECT_FALSE(eq.Tolerates(T("gpu", "x", TaintEffect::kNoSchedule)));
}

TEST(FirstUntoleratedTest, ReturnsTheFirstInOrder) {
  std::vector<Taint> taints = {T("a", "1"), T("b", "2", TaintEffect::kNoExecute), T("c", "3")};
  EXPECT_EQ(FirstUntolerated(taints, {}), taints[0]);
  EXPECT_EQ(FirstUntolerated(taints, {Tol("a", Op::kExists)}), taints[1]);
  EXPECT_EQ(FirstUntolerated(taints, {Tol("a", Op::kExists), Tol("b", Op::kEqual, "2")}), taints[2]);
  EXPECT_EQ(FirstUntolerated(taints, {Tol("a", Op::kExists), Tol("b", Op::kEqual, "2"), Tol("c", Op::kExists)}),
            std::nullopt);
  EXPECT_EQ(FirstUntolerated(taints, {Tol("", Op::kExists)}), std::nullopt);
  EXPECT_EQ(FirstUntolerated({}, {}), std::nullopt);
}

TEST(FirstUntoleratedTest, PreferNoScheduleIgnoredUnlessAsked) {
  std::vector<Taint> taints = {T("soft", "x", TaintEffect::kPreferNoSchedule)};
  EXPECT_EQ(FirstUntolerated(taints, {}), std::nullopt);
  EXPECT_EQ(FirstUntolerated(taints, {}, /*include_prefer=*/true), taints[0]);
  EXPECT_EQ(FirstUntolerated(taints, {Tol("soft", Op::kExists)}, true), std::nullopt);
  // A hard taint after a soft one is still reported when soft ones are ignored.
  taints.push_back(T("hard", "y"));
  EXPECT_EQ(FirstUntolerated(taints, {}), taints[1]);
  EXPECT_EQ(FirstUntolerated(taints, {}, true), taints[0]);
}

}  // namespace
}  // namespace adze::model
