#include "model/resource_list.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

namespace adze::model {
namespace {

Quantity Q(const std::string& s) {
  Result<Quantity> r = Quantity::Parse(s);
  EXPECT_TRUE(r.ok()) << s;
  return r.ok() ? *r : Quantity();
}

using Names = std::vector<std::string>;

TEST(ResourceListTest, GetSetHasErase) {
  ResourceList r;
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.Has("cpu"));
  EXPECT_EQ(r.Get("cpu"), Quantity());  // absent reads as zero
  r.Set("memory", Q("1Gi"));
  r.Set("cpu", Q("500m"));
  r.Set("cpu", Q("2"));  // overwrite, not append
  EXPECT_TRUE(r.Has("cpu"));
  EXPECT_EQ(r.Get("cpu"), Q("2"));
  ASSERT_EQ(r.entries().size(), 2u);
  EXPECT_EQ(r.entries()[0].first, "cpu");  // sorted by name
  EXPECT_EQ(r.entries()[1].first, "memory");
  r.Erase("cpu");
  r.Erase("absent");
  EXPECT_FALSE(r.Has("cpu"));
  EXPECT_EQ(r.entries().size(), 1u);
}

TEST(ResourceListTest, InitializerListKeepsNamesSortedAndLastWins) {
  ResourceList r{{"pods", Q("110")}, {"cpu", Q("4")}, {"memory", Q("16Gi")}, {"cpu", Q("8")}};
  std::vector<std::string> names;
  for (const auto& [name, q] : r) names.push_back(name);
  EXPECT_EQ(names, (Names{"cpu", "memory", "pods"}));
  EXPECT_EQ(r.Get("cpu"), Q("8"));
  EXPECT_EQ(r.ToString(), "cpu=8, memory=16Gi, pods=110");
  EXPECT_EQ(ResourceList().ToString(), "");
}

TEST(ResourceListTest, AddSumsAndInsertsMissingNames) {
  ResourceList a{{"cpu", Q("1")}, {"memory", Q("1Gi")}};
  ResourceList b{{"cpu", Q("500m")}, {"nvidia.com/gpu", Q("1")}};
  ResourceList& ret = a.Add(b);
  EXPECT_EQ(&ret, &a);
  EXPECT_EQ(a.Get("cpu"), Q("1500m"));
  EXPECT_EQ(a.Get("memory"), Q("1Gi"));
  EXPECT_EQ(a.Get("nvidia.com/gpu"), Q("1"));
  EXPECT_EQ(a.ToString(), "cpu=1500m, memory=1Gi, nvidia.com/gpu=1");
}

TEST(ResourceListTest, SubtractGoesNegativeForMissingNames) {
  ResourceList a{{"cpu", Q("4")}, {"memory", Q("8Gi")}};
  a.Subtract(ResourceList{{"cpu", Q("1500m")}, {"pods", Q("1")}, {"memory", Q("2Gi")}});
  EXPECT_EQ(a.Get("cpu"), Q("2500m"));
  EXPECT_EQ(a.Get("memory"), Q("6Gi"));
  EXPECT_EQ(a.Get("pods"), Q("-1"));
  // The binary format survives subtracting from an absent entry.
  ResourceList empty;
  empty.Subtract(ResourceList{{"memory", Q("1Gi")}});
  EXPECT_EQ(empty.ToString(), "memory=-1Gi");
}

TEST(ResourceListTest, AddThenSubtractIsIdentityUpToZeros) {
  ResourceList a{{"cpu", Q("4")}};
  ResourceList b{{"cpu", Q("1")}, {"memory", Q("1Gi")}};
  ResourceList c = a;
  c.Add(b).Subtract(b);
  EXPECT_EQ(c, a);  // memory=0 equals absent
  EXPECT_TRUE(c.Has("memory"));
}

TEST(ResourceListTest, FitsTreatsAbsentAsZero) {
  ResourceList avail{{"cpu", Q("4")}, {"memory", Q("16Gi")}, {"pods", Q("110")}};
  EXPECT_TRUE(ResourceList::Fits(ResourceList{{"cpu", Q("4")}}, avail));  // exactly full fits
  EXPECT_FALSE(ResourceList::Fits(ResourceList{{"cpu", Q("4001m")}}, avail));
  EXPECT_FALSE(ResourceList::Fits(ResourceList{{"nvidia.com/gpu", Q("1")}}, avail));  // absent = 0
  EXPECT_TRUE(ResourceList::Fits(ResourceList{{"nvidia.com/gpu", Q("0")}}, avail));   // zero always fits
  EXPECT_TRUE(ResourceList::Fits(ResourceList{{"nvidia.com/gpu", Q("0")}}, ResourceList()));
  EXPECT_TRUE(ResourceList::Fits(ResourceList(), ResourceList()));
  EXPECT_TRUE(ResourceList::Fits(ResourceList{{"cpu", Q("-1")}}, ResourceList{{"cpu", Q("-5")}}));
  // Negative availability (overcommitted) fails any positive request.
  EXPECT_FALSE(ResourceList::Fits(ResourceList{{"cpu", Q("1m")}}, ResourceList{{"cpu", Q("-1")}}));
}

TEST(ResourceListTest, ExceedingNamesEachShortfallInOrder) {
  ResourceList avail{{"cpu", Q("4")}, {"memory", Q("16Gi")}};
  ResourceList req{{"cpu", Q("8")}, {"memory", Q("1Gi")}, {"nvidia.com/gpu", Q("1")}, {"pods", Q("0")}};
  EXPECT_EQ(ResourceList::Exceeding(req, avail), (Names{"cpu", "nvidia.com/gpu"}));
  EXPECT_FALSE(ResourceList::Fits(req, avail));
  EXPECT_TRUE(ResourceList::Exceeding(ResourceList{{"cpu", Q("4")}}, avail).empty());
}

TEST(ResourceListTest, MaxIsPerName) {
  ResourceList a{{"cpu", Q("2")}, {"memory", Q("1Gi")}};
  ResourceList b{{"cpu", Q("1")}, {"memory", Q("2Gi")}, {"nvidia.com/gpu", Q("1")}};
  ResourceList m = ResourceList::Max(a, b);
  EXPECT_EQ(m, (ResourceList{{"cpu", Q("2")}, {"memory", Q("2Gi")}, {"nvidia.com/gpu", Q("1")}}));
  EXPECT_EQ(ResourceList::Max(b, a), m);
  EXPECT_EQ(ResourceList::Max(a, ResourceList()), a);
}

TEST(ResourceListTest, TimesMultipliesEveryEntry) {
  ResourceList a{{"cpu", Q("250m")}, {"memory", Q("512Mi")}};
  EXPECT_EQ(a.Times(4), (ResourceList{{"cpu", Q("1")}, {"memory", Q("2Gi")}}));
  EXPECT_EQ(a.Times(0), ResourceList());
}

TEST(ResourceListTest, CopiesThatFit) {
  ResourceList avail{{"cpu", Q("4")}, {"memory", Q("10Gi")}, {"pods", Q("110")}};
  EXPECT_EQ(ResourceList::CopiesThatFit(ResourceList{{"cpu", Q("1")}, {"memory", Q("3Gi")}}, avail), 3);
  EXPECT_EQ(ResourceList::CopiesThatFit(ResourceList{{"cpu", Q("300m")}}, avail), 13);
  EXPECT_EQ(ResourceList::CopiesThatFit(ResourceList{{"cpu", Q("5")}}, avail), 0);
  EXPECT_EQ(ResourceList::CopiesThatFit(ResourceList{{"nvidia.com/gpu", Q("1")}}, avail), 0);
  // Zero and negative requests do not limit; all-zero gives max_count.
  EXPECT_EQ(ResourceList::CopiesThatFit(ResourceList{{"nvidia.com/gpu", Q("0")}}, avail), 1'000'000);
  EXPECT_EQ(ResourceList::CopiesThatFit(ResourceList(), avail, 7), 7);
  EXPECT_EQ(ResourceList::CopiesThatFit(ResourceList{{"cpu", Q("1m")}}, avail, 50), 50);
  EXPECT_EQ(ResourceList::CopiesThatFit(ResourceList{{"cpu", Q("1")}}, ResourceList{{"cpu", Q("-2")}}), 0);
}

TEST(ResourceListTest, EqualityTreatsAbsentAsZero) {
  EXPECT_EQ(ResourceList(), (ResourceList{{"cpu", Q("0")}}));
  EXPECT_EQ((ResourceList{{"cpu", Q("0")}}), ResourceList());
  EXPECT_EQ((ResourceList{{"memory", Q("1Gi")}}), (ResourceList{{"memory", Q("1073741824")}}));
  EXPECT_NE((ResourceList{{"cpu", Q("1")}}), ResourceList());
  EXPECT_NE(ResourceList(), (ResourceList{{"cpu", Q("1")}}));
  EXPECT_NE((ResourceList{{"cpu", Q("1")}}), (ResourceList{{"memory", Q("1")}}));
}

// Properties over small lists of names drawn from a fixed alphabet.
rc::Gen<ResourceList> GenList() {
  return rc::gen::map(
      rc::gen::container<std::vector<std::pair<int, int64_t>>>(
          rc::gen::pair(rc::gen::inRange(0, 4), rc::gen::inRange<int64_t>(0, 100'000))),
      [](const std::vector<std::pair<int, int64_t>>& v) {
        static const char* kNames[] = {"cpu", "memory", "pods", "nvidia.com/gpu"};
        ResourceList r;
        for (const auto& [i, m] : v) r.Set(kNames[i], Quantity::FromMilli(m));
        return r;
      });
}

RC_GTEST_PROP(ResourceListProp, FitsAgreesWithCopiesAndExceeding, ()) {
  ResourceList req = *GenList();
  ResourceList avail = *GenList();
  bool fits = ResourceList::Fits(req, avail);
  RC_ASSERT(fits == ResourceList::Exceeding(req, avail).empty());
  RC_ASSERT(fits == (ResourceList::CopiesThatFit(req, avail) >= 1));
  int64_t n = ResourceList::CopiesThatFit(req, avail, 1000);
  if (n < 1000) {
    RC_ASSERT(ResourceList::Fits(req.Times(n), avail));
    RC_ASSERT(!ResourceList::Fits(req.Times(n + 1), avail));
  }
}

RC_GTEST_PROP(ResourceListProp, AddCommutesAndMaxDominates, ()) {
  ResourceList a = *GenList();
  ResourceList b = *GenList();
  ResourceList ab = a;
  ab.Add(b);
  ResourceList ba = b;
  ba.Add(a);
  RC_ASSERT(ab == ba);
  ResourceList m = ResourceList::Max(a, b);
  RC_ASSERT(ResourceList::Fits(a, m));
  RC_ASSERT(ResourceList::Fits(b, m));
  RC_ASSERT(ResourceList::Fits(m, ab));  // non-negative entries: max <= sum
  ResourceList back = ab;
  back.Subtract(b);
  RC_ASSERT(back == a);
}

}  // namespace
}  // namespace adze::model
