#include "model/requirement.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace adze::model {

// For RapidCheck counterexamples and gtest messages (internal linkage: test-only).
[[maybe_unused]] static std::ostream& operator<<(std::ostream& os, const Requirement& r) {
  return os << r.ToString();
}

namespace {

using Values = std::vector<std::string>;

Requirement R(Operator op, Values values = {}, std::optional<int> min_values = std::nullopt) {
  return Requirement("k", op, std::move(values), min_values);
}

// ---------------------------------------------------------------------------
// Construction and queries

TEST(OperatorTest, NamesRoundTrip) {
  for (Operator op : {Operator::kIn, Operator::kNotIn, Operator::kExists, Operator::kDoesNotExist, Operator::kGt,
                      Operator::kLt, Operator::kGte, Operator::kLte}) {
    std::optional<Operator> back = ParseOperator(OperatorName(op));
    ASSERT_TRUE(back.has_value()) << OperatorName(op);
    EXPECT_EQ(*back, op);
  }
  EXPECT_FALSE(ParseOperator("in").has_value());  // exact case
  EXPECT_FALSE(ParseOperator("").has_value());
  EXPECT_FALSE(ParseOperator("Equals").has_value());
}

TEST(RequirementTest, ShapesOfEachOperator) {
  Requirement in = Requirement::In("k", {"b", "a", "b"});
  EXPECT_FALSE(in.complement());
  EXPECT_EQ(in.values(), (Values{"a", "b"}));  // sorted, unique
  EXPECT_EQ(in.op(), Operator::kIn);
  EXPECT_EQ(in.Size(), 2u);

  Requirement notin = Requirement::NotIn("k", {"z", "a"});
  EXPECT_TRUE(notin.complement());
  EXPECT_EQ(notin.values(), (Values{"a", "z"}));
  EXPECT_EQ(notin.op(), Operator::kNotIn);
  EXPECT_EQ(notin.Size(), std::nullopt);

  Requirement exists = Requirement::Exists("k");
  EXPECT_TRUE(exists.complement());
  EXPECT_TRUE(exists.values().empty());
  EXPECT_EQ(exists.op(), Operator::kExists);
  EXPECT_FALSE(exists.IsEmpty());

  Requirement dne = Requirement::DoesNotExist("k");
  EXPECT_FALSE(dne.complement());
  EXPECT_EQ(dne.op(), Operator::kDoesNotExist);
  EXPECT_TRUE(dne.IsEmpty());
  EXPECT_EQ(dne.Size(), 0u);

  // In with no values is the empty set, i.e. DoesNotExist.
  EXPECT_EQ(Requirement::In("k", {}).op(), Operator::kDoesNotExist);
  EXPECT_TRUE(Requirement::In("k", {}).IsEmpty());
}

TEST(RequirementTest, BoundsAreInclusiveIntegers) {
  Requirement gt = R(Operator::kGt, {"3"});
  EXPECT_EQ(gt.lower_bound(), 4);
  EXPECT_EQ(gt.upper_bound(), std::nullopt);
  EXPECT_EQ(gt.op(), Operator::kGt);
  EXPECT_FALSE(gt.Has("3"));
  EXPECT_TRUE(gt.Has("4"));
  EXPECT_TRUE(gt.Has("1000000"));
  EXPECT_FALSE(gt.Has("x"));     // bounded values must be integers
  EXPECT_FALSE(gt.Has("4.5"));
  EXPECT_FALSE(gt.Has(""));
  EXPECT_FALSE(gt.Has("05"));  // only canonical spellings: one string per integer
  EXPECT_FALSE(gt.Has("+5"));
  EXPECT_FALSE(R(Operator::kGt, {"-5"}).Has("-0"));
  EXPECT_TRUE(R(Operator::kGt, {"-5"}).Has("0"));

  Requirement lt = R(Operator::kLt, {"3"});
  EXPECT_EQ(lt.upper_bound(), 2);
  EXPECT_EQ(lt.op(), Operator::kLt);
  EXPECT_TRUE(lt.Has("2"));
  EXPECT_TRUE(lt.Has("-7"));
  EXPECT_FALSE(lt.Has("3"));

  Requirement gte = R(Operator::kGte, {"3"});
  EXPECT_EQ(gte.lower_bound(), 3);
  EXPECT_EQ(gte.op(), Operator::kGt);  // normalised
  EXPECT_TRUE(gte.Has("3"));
  EXPECT_FALSE(gte.Has("2"));

  Requirement lte = R(Operator::kLte, {"3"});
  EXPECT_EQ(lte.upper_bound(), 3);
  EXPECT_EQ(lte.op(), Operator::kLt);
  EXPECT_TRUE(lte.Has("3"));
  EXPECT_FALSE(lte.Has("4"));
}

TEST(RequirementTest, InvalidBoundIsEmpty) {
  for (const Values& v : {Values{}, Values{"x"}, Values{"1", "2"}, Values{"1.5"}, Values{"99999999999999999999"}}) {
    EXPECT_TRUE(R(Operator::kGt, v).IsEmpty());
    EXPECT_TRUE(R(Operator::kLte, v).IsEmpty());
  }
}

TEST(RequirementTest, ExtremeBoundsDoNotOverflow) {
  const std::string max = std::to_string(std::numeric_limits<int64_t>::max());
  const std::string min = std::to_string(std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(R(Operator::kGt, {max}).IsEmpty());
  EXPECT_FALSE(R(Operator::kGt, {max}).Has(max));
  EXPECT_TRUE(R(Operator::kLt, {min}).IsEmpty());
  EXPECT_TRUE(R(Operator::kGte, {max}).Has(max));
  EXPECT_TRUE(R(Operator::kLte, {min}).Has(min));
  EXPECT_EQ(R(Operator::kGte, {min}).ToString(), "k Gte " + min);
  EXPECT_EQ(R(Operator::kLte, {max}).ToString(), "k Lte " + max);
  EXPECT_EQ(R(Operator::kGte, {max}).Any(), max);
}

TEST(RequirementTest, SizeCountsDistinctIntegersInABoundedRange) {
  Requirement r = R(Operator::kGte, {"1"}).Intersect(R(Operator::kLte, {"5"}));
  EXPECT_EQ(r.Size(), 5u);
  EXPECT_EQ(r.Intersect(Requirement::NotIn("k", {"2", "9", "x"})).Size(), 4u);
  // Only the canonical "5" excludes 5; "05" and "+5" are not values under bounds.
  Requirement same = r.Intersect(Requirement::NotIn("k", {"5", "05", "+5"}));
  EXPECT_EQ(same.Size(), 4u);
  EXPECT_EQ(r.Intersect(Requirement::NotIn("k", {"05"})).Size(), 5u);
  EXPECT_TRUE(r.Intersect(Requirement::NotIn("k", {"05"})).Has("5"));
  Requirement one = R(Operator::kGte, {"5"}).Intersect(R(Operator::kLte, {"5"}));
  EXPECT_EQ(one.Size(), 1u);
  EXPECT_TRUE(one.Intersect(Requirement::NotIn("k", {"5", "05"})).IsEmpty());
}

TEST(RequirementTest, AnyReturnsAnAllowedValue) {
  EXPECT_EQ(Requirement::In("k", {"b", "a"}).Any(), "a");
  EXPECT_EQ(Requirement::DoesNotExist("k").Any(), std::nullopt);
  std::optional<std::string> ex = Requirement::NotIn("k", {"adze-0"}).Any();
  ASSERT_TRUE(ex.has_value());
  EXPECT_NE(*ex, "adze-0");
  EXPECT_EQ(R(Operator::kGt, {"3"}).Any(), "4");
  EXPECT_EQ(R(Operator::kGt, {"3"}).Intersect(Requirement::NotIn("k", {"4", "5"})).Any(), "6");
  EXPECT_EQ(R(Operator::kLt, {"-3"}).Any(), "-4");
  EXPECT_EQ(R(Operator::kLt, {"10"}).Any(), "0");
  // Only an upper bound, with everything from 0 up excluded: search downward.
  Requirement lt = R(Operator::kLt, {"2"}).Intersect(Requirement::NotIn("k", {"0", "1", "-1"}));
  EXPECT_EQ(lt.Any(), "-2");
  Requirement empty = R(Operator::kGt, {"5"}).Intersect(R(Operator::kLt, {"6"}));
  EXPECT_EQ(empty.Any(), std::nullopt);
}

TEST(RequirementTest, ToStringForMessages) {
  EXPECT_EQ(Requirement::In("zone", {"b", "a"}).ToString(), "zone In [a b]");
  EXPECT_EQ(Requirement::NotIn("zone", {"a"}).ToString(), "zone NotIn [a]");
  EXPECT_EQ(Requirement::Exists("zone").ToString(), "zone Exists");
  EXPECT_EQ(Requirement::DoesNotExist("zone").ToString(), "zone DoesNotExist");
  EXPECT_EQ(Requirement("cpu", Operator::kGt, {"3"}).ToString(), "cpu Gt 3");
  EXPECT_EQ(Requirement("cpu", Operator::kLte, {"8"}).ToString(), "cpu Lt 9");
  EXPECT_EQ(Requirement("t", Operator::kIn, {"a"}, 2).ToString(), "t In [a] (minValues 2)");
}

// ---------------------------------------------------------------------------
// Intersection: one case per rule of spec §2.6.

struct IntersectCase {
  const char* rule;
  Requirement a;
  Requirement b;
  Values allowed;  // probes the result must allow
  Values denied;   // probes it must deny
  bool empty;
  Operator op;
};

void PrintTo(const IntersectCase& c, std::ostream* os) {
  *os << c.rule << ": " << c.a.ToString() << " ∩ " << c.b.ToString();
}

class RequirementIntersectTest : public ::testing::TestWithParam<IntersectCase> {};

TEST_P(RequirementIntersectTest, FollowsTheRule) {
  const IntersectCase& c = GetParam();
  for (const Requirement& r : {c.a.Intersect(c.b), c.b.Intersect(c.a)}) {
    SCOPED_TRACE(std::string(c.rule) + ": " + r.ToString());
    EXPECT_EQ(r.key(), "k");
    EXPECT_EQ(r.IsEmpty(), c.empty);
    EXPECT_EQ(r.op(), c.op);
    for (const std::string& v : c.allowed) EXPECT_TRUE(r.Has(v)) << v;
    for (const std::string& v : c.denied) EXPECT_FALSE(r.Has(v)) << v;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Spec26, RequirementIntersectTest,
    ::testing::Values(
        IntersectCase{"set∩set = intersection", Requirement::In("k", {"a", "b"}), Requirement::In("k", {"b", "c"}),
                      {"b"}, {"a", "c", "d"}, false, Operator::kIn},
        IntersectCase{"disjoint sets → ∅", Requirement::In("k", {"a"}), Requirement::In("k", {"b"}), {}, {"a", "b"},
                      true, Operator::kDoesNotExist},
        IntersectCase{"complement∩complement = complement of union", Requirement::NotIn("k", {"a"}),
                      Requirement::NotIn("k", {"b"}), {"c", "1", ""}, {"a", "b"}, false, Operator::kNotIn},
        IntersectCase{"Exists∩NotIn = NotIn", Requirement::Exists("k"), Requirement::NotIn("k", {"a"}), {"b"},
                      {"a"}, false, Operator::kNotIn},
        IntersectCase{"Exists∩Exists = Exists", Requirement::Exists("k"), Requirement::Exists("k"), {"a", "1"}, {},
                      false, Operator::kExists},
        IntersectCase{"complement∩set = set minus excluded", Requirement::In("k", {"a", "b", "c"}),
                      Requirement::NotIn("k", {"b", "z"}), {"a", "c"}, {"b", "z", "d"}, false, Operator::kIn},
        IntersectCase{"complement∩set, all excluded → ∅", Requirement::In("k", {"a"}),
                      Requirement::NotIn("k", {"a"}), {}, {"a"}, true, Operator::kDoesNotExist},
        IntersectCase{"Exists∩In = In", Requirement::Exists("k"), Requirement::In("k", {"a"}), {"a"}, {"b"}, false,
                      Operator::kIn},
        IntersectCase{"DoesNotExist∩Exists = ∅", Requirement::DoesNotExist("k"), Requirement::Exists("k"), {},
                      {"a"}, true, Operator::kDoesNotExist},
        IntersectCase{"DoesNotExist∩NotIn = ∅", Requirement::DoesNotExist("k"), Requirement::NotIn("k", {"a"}), {},
                      {"b"}, true, Operator::kDoesNotExist},
        IntersectCase{"Gt∩Gt tightens the lower bound", R(Operator::kGt, {"2"}), R(Operator::kGt, {"5"}),
                      {"6", "100"}, {"5", "3"}, false, Operator::kGt},
        IntersectCase{"Lt∩Lt tightens the upper bound", R(Operator::kLt, {"10"}), R(Operator::kLt, {"7"}),
                      {"6", "-100"}, {"7", "9"}, false, Operator::kLt},
        IntersectCase{"Gt∩Lt is a range", R(Operator::kGt, {"2"}), R(Operator::kLt, {"5"}), {"3", "4"},
                      {"2", "5", "a"}, false, Operator::kGt},
        IntersectCase{"Gte∩Lte meet at one value", R(Operator::kGte, {"3"}), R(Operator::kLte, {"3"}), {"3"},
                      {"2", "4"}, false, Operator::kGt},
        IntersectCase{"crossing bounds → ∅", R(Operator::kGt, {"5"}), R(Operator::kLt, {"6"}), {}, {"5", "6"}, true,
                      Operator::kDoesNotExist},
        IntersectCase{"crossing Gte/Lte → ∅", R(Operator::kGte, {"5"}), R(Operator::kLte, {"4"}), {}, {"4", "5"},
                      true, Operator::kDoesNotExist},
        IntersectCase{"bounds filter a finite set, then drop", Requirement::In("k", {"1", "5", "10", "x"}),
                      R(Operator::kGt, {"3"}), {"5", "10"}, {"1", "x", "4", "11"}, false, Operator::kIn},
        IntersectCase{"bounds filter a finite set to ∅", Requirement::In("k", {"a", "1"}), R(Operator::kGt, {"3"}),
                      {}, {"a", "1"}, true, Operator::kDoesNotExist},
        IntersectCase{"bounds and NotIn stay a complement", Requirement::NotIn("k", {"5"}), R(Operator::kGt, {"3"}),
                      {"4", "6"}, {"5", "3", "a"}, false, Operator::kGt},
        IntersectCase{"range fully excluded → ∅", R(Operator::kGt, {"3"}).Intersect(R(Operator::kLt, {"6"})),
                      Requirement::NotIn("k", {"4", "5"}), {}, {"4", "5"}, true, Operator::kGt}));

TEST(RequirementIntersectTest, BoundsOnAFiniteSetAreDropped) {
  Requirement r = Requirement::In("k", {"1", "5", "10"}).Intersect(R(Operator::kGt, {"3"}));
  EXPECT_FALSE(r.complement());
  EXPECT_EQ(r.values(), (Values{"10", "5"}));
  EXPECT_EQ(r.lower_bound(), std::nullopt);
  EXPECT_EQ(r.upper_bound(), std::nullopt);
  // Dropped, not remembered: a later NotIn does not resurrect them.
  Requirement later = r.Intersect(Requirement::Exists("k"));
  EXPECT_EQ(later, r);
}

TEST(RequirementIntersectTest, BoundsAreTightenedNotReplaced) {
  Requirement r = R(Operator::kGt, {"2"}).Intersect(R(Operator::kLt, {"10"})).Intersect(R(Operator::kGt, {"1"}));
  EXPECT_EQ(r.lower_bound(), 3);
  EXPECT_EQ(r.upper_bound(), 9);
  EXPECT_EQ(r.Size(), 7u);
}

TEST(RequirementIntersectTest, CrossingBoundsBecomeDoesNotExist) {
  Requirement r = R(Operator::kGt, {"5"}).Intersect(R(Operator::kLt, {"3"}));
  EXPECT_EQ(r, Requirement::DoesNotExist("k"));
}

TEST(RequirementIntersectTest, MinValuesIsTheMaximum) {
  EXPECT_EQ(R(Operator::kIn, {"a", "b", "c"}, 2).Intersect(R(Operator::kIn, {"a", "b"}, 3)).min_values(), 3);
  EXPECT_EQ(R(Operator::kIn, {"a"}, 3).Intersect(R(Operator::kIn, {"a"}, 2)).min_values(), 3);
  EXPECT_EQ(R(Operator::kExists).Intersect(R(Operator::kIn, {"a"}, 2)).min_values(), 2);
  EXPECT_EQ(R(Operator::kIn, {"a"}, 2).Intersect(R(Operator::kNotIn, {"b"})).min_values(), 2);
  EXPECT_EQ(R(Operator::kIn, {"a"}).Intersect(R(Operator::kIn, {"a"})).min_values(), std::nullopt);
  // Kept even when the intersection is empty by crossing bounds.
  EXPECT_EQ(R(Operator::kGt, {"5"}, 2).Intersect(R(Operator::kLt, {"3"})).min_values(), 2);
}

// ---------------------------------------------------------------------------
// Intersects

struct IntersectsCase {
  const char* why;
  Requirement a;
  Requirement b;
  bool want;
};

void PrintTo(const IntersectsCase& c, std::ostream* os) {
  *os << c.why << ": " << c.a.ToString() << " vs " << c.b.ToString();
}

class RequirementIntersectsTest : public ::testing::TestWithParam<IntersectsCase> {};

TEST_P(RequirementIntersectsTest, IsSymmetric) {
  const IntersectsCase& c = GetParam();
  EXPECT_EQ(c.a.Intersects(c.b), c.want) << c.why;
  EXPECT_EQ(c.b.Intersects(c.a), c.want) << c.why;
}

INSTANTIATE_TEST_SUITE_P(
    Spec26, RequirementIntersectsTest,
    ::testing::Values(
        IntersectsCase{"overlapping sets", Requirement::In("k", {"a", "b"}), Requirement::In("k", {"b"}), true},
        IntersectsCase{"disjoint sets", Requirement::In("k", {"a"}), Requirement::In("k", {"b"}), false},
        IntersectsCase{"In vs NotIn of the same value", Requirement::In("k", {"a"}), Requirement::NotIn("k", {"a"}),
                       false},
        IntersectsCase{"In vs NotIn of another value", Requirement::In("k", {"a"}),
                       Requirement::NotIn("k", {"b"}), true},
        IntersectsCase{"In vs Exists", Requirement::In("k", {"a"}), Requirement::Exists("k"), true},
        IntersectsCase{"In vs DoesNotExist", Requirement::In("k", {"a"}), Requirement::DoesNotExist("k"), false},
        IntersectsCase{"Exists vs DoesNotExist", Requirement::Exists("k"), Requirement::DoesNotExist("k"), false},
        IntersectsCase{"NotIn vs NotIn", Requirement::NotIn("k", {"a"}), Requirement::NotIn("k", {"b"}), true},
        IntersectsCase{"exemption: NotIn vs DoesNotExist (empty, yet no conflict)", Requirement::NotIn("k", {"a"}),
                       Requirement::DoesNotExist("k"), true},
        IntersectsCase{"exemption: DoesNotExist vs DoesNotExist", Requirement::DoesNotExist("k"),
                       Requirement::DoesNotExist("k"), true},
        IntersectsCase{"empty In is DoesNotExist-shaped", Requirement::In("k", {}), Requirement::NotIn("k", {"a"}),
                       true},
        IntersectsCase{"Gt vs In above", R(Operator::kGt, {"5"}), Requirement::In("k", {"7"}), true},
        IntersectsCase{"Gt vs In below or non-integer", R(Operator::kGt, {"5"}), Requirement::In("k", {"5", "x"}),
                       false},
        IntersectsCase{"Gt vs Lt crossing", R(Operator::kGt, {"5"}), R(Operator::kLt, {"3"}), false},
        IntersectsCase{"Gt vs Lt overlapping", R(Operator::kGt, {"5"}), R(Operator::kLt, {"7"}), true},
        IntersectsCase{"Gt vs NotIn", R(Operator::kGt, {"5"}), Requirement::NotIn("k", {"6"}), true},
        IntersectsCase{"Gt vs DoesNotExist", R(Operator::kGt, {"5"}), Requirement::DoesNotExist("k"), false},
        IntersectsCase{"range vs NotIn excluding all of it",
                       R(Operator::kGt, {"5"}).Intersect(R(Operator::kLt, {"7"})), Requirement::NotIn("k", {"6"}),
                       false}));

// ---------------------------------------------------------------------------
// Properties over a small alphabet, every operator including bounds.

const Values kAlphabet = {"a", "b", "c", "1", "2", "3", "5", "05", "8", "-1"};
const Values kProbes = {"a", "b", "c", "d", "",   "adze-0", "05", "-2", "-1", "0",
                        "1", "2", "3", "4", "5", "6",      "7",  "8",  "9",  "10"};

rc::Gen<Requirement> GenRequirement() {
  return rc::gen::exec([] {
    const Operator op = *rc::gen::element(Operator::kIn, Operator::kNotIn, Operator::kExists,
                                          Operator::kDoesNotExist, Operator::kGt, Operator::kLt, Operator::kGte,
                                          Operator::kLte);
    Values values;
    switch (op) {
      case Operator::kIn:
      case Operator::kNotIn:
        values = *rc::gen::container<Values>(*rc::gen::inRange<size_t>(0, 4), rc::gen::elementOf(kAlphabet));
        break;
      case Operator::kExists:
      case Operator::kDoesNotExist:
        break;
      default:
        values = {std::to_string(*rc::gen::inRange(-2, 11))};
        break;
    }
    std::optional<int> mv;
    if (*rc::gen::arbitrary<bool>()) mv = *rc::gen::inRange(1, 4);
    return Requirement("k", op, values, mv);
  });
}

// A richer generator: intersections of up to three basic requirements, so
// NotIn-with-bounds and ranges show up as inputs too.
rc::Gen<Requirement> GenCompound() {
  return rc::gen::exec([] {
    Requirement r = *GenRequirement();
    const int more = *rc::gen::inRange(0, 3);
    for (int i = 0; i < more; ++i) r = r.Intersect(*GenRequirement());
    return r;
  });
}

bool SameSet(const Requirement& x, const Requirement& y) {
  if (x.IsEmpty() != y.IsEmpty()) return false;
  for (const std::string& p : kProbes) {
    if (x.Has(p) != y.Has(p)) return false;
  }
  return true;
}

bool NegativeShaped(const Requirement& r) {
  return r.op() == Operator::kNotIn || r.op() == Operator::kDoesNotExist;
}

RC_GTEST_PROP(RequirementProp, IntersectionIsCommutative, ()) {
  const Requirement a = *GenCompound();
  const Requirement b = *GenCompound();
  const Requirement ab = a.Intersect(b);
  const Requirement ba = b.Intersect(a);
  RC_ASSERT(SameSet(ab, ba));
  RC_ASSERT(ab.Size() == ba.Size());
  RC_ASSERT(ab.min_values() == ba.min_values());
}

RC_GTEST_PROP(RequirementProp, IntersectionIsAssociative, ()) {
  const Requirement a = *GenCompound();
  const Requirement b = *GenCompound();
  const Requirement c = *GenCompound();
  const Requirement left = a.Intersect(b).Intersect(c);
  const Requirement right = a.Intersect(b.Intersect(c));
  RC_ASSERT(SameSet(left, right));
  RC_ASSERT(left.Size() == right.Size());
  RC_ASSERT(left.min_values() == right.min_values());
}

RC_GTEST_PROP(RequirementProp, IntersectionIsIdempotent, ()) {
  const Requirement a = *GenCompound();
  RC_ASSERT(SameSet(a.Intersect(a), a));
  RC_ASSERT(SameSet(a.Intersect(Requirement::Exists("k")), a));
  RC_ASSERT(a.Intersect(Requirement::DoesNotExist("k")).IsEmpty());
}

RC_GTEST_PROP(RequirementProp, InAndNotInOfTheSameValueIsEmpty, ()) {
  const std::string x = *rc::gen::oneOf(rc::gen::elementOf(kProbes), rc::gen::arbitrary<std::string>());
  const Requirement other = *GenCompound();
  RC_ASSERT(Requirement::In("k", {x}).Intersect(Requirement::NotIn("k", {x})).IsEmpty());
  RC_ASSERT(Requirement::NotIn("k", {x}).Intersect(Requirement::In("k", {x})).IsEmpty());
  RC_ASSERT(Requirement::In("k", {x}).Intersect(other).Intersect(Requirement::NotIn("k", {x})).IsEmpty());
  RC_ASSERT(!Requirement::In("k", {x}).Intersects(Requirement::NotIn("k", {x})));
}

RC_GTEST_PROP(RequirementProp, IntersectsIsNonEmptyIntersectionExceptNegativePairs, ()) {
  const Requirement a = *GenCompound();
  const Requirement b = *GenCompound();
  const bool want = (NegativeShaped(a) && NegativeShaped(b)) || !a.Intersect(b).IsEmpty();
  RC_ASSERT(a.Intersects(b) == want);
  RC_ASSERT(b.Intersects(a) == want);
}

RC_GTEST_PROP(RequirementProp, HasOfIntersectionIsHasInBoth, ()) {
  const Requirement a = *GenCompound();
  const Requirement b = *GenCompound();
  const Requirement ab = a.Intersect(b);
  for (const std::string& p : kProbes) RC_ASSERT(ab.Has(p) == (a.Has(p) && b.Has(p)));
  const std::string random = *rc::gen::arbitrary<std::string>();
  RC_ASSERT(ab.Has(random) == (a.Has(random) && b.Has(random)));
}

RC_GTEST_PROP(RequirementProp, MinValuesIsTheMaximum, ()) {
  const Requirement a = *GenRequirement();
  const Requirement b = *GenRequirement();
  std::optional<int> want;
  if (a.min_values() || b.min_values()) want = std::max(a.min_values().value_or(0), b.min_values().value_or(0));
  RC_ASSERT(a.Intersect(b).min_values() == want);
}

RC_GTEST_PROP(RequirementProp, AnySizeAndIsEmptyAgree, ()) {
  const Requirement r = *GenCompound();
  const std::optional<std::string> any = r.Any();
  RC_ASSERT(any.has_value() == !r.IsEmpty());
  if (any) RC_ASSERT(r.Has(*any));
  const std::optional<size_t> size = r.Size();
  if (size) {
    // Every allowed value of a finite or bounded set is an alphabet string or
    // an integer in the generated range [-2, 10]: count them.
    size_t count = 0;
    if (!r.complement()) {
      count = r.values().size();
    } else {
      for (int n = -3; n <= 12; ++n) count += r.Has(std::to_string(n)) ? 1 : 0;
    }
    RC_ASSERT(*size == count);
    RC_ASSERT((*size == 0) == r.IsEmpty());
  }
  // Bounds only ever hold on complement form.
  if (r.lower_bound() || r.upper_bound()) RC_ASSERT(r.complement());
}

}  // namespace
}  // namespace adze::model
