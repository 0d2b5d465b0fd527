#include "model/quantity.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

namespace adze::model {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
// Quantities are symmetric: the most negative value is -(2^63-1).
constexpr int64_t kMin = -kMax;

Quantity Q(const std::string& s) {
  Result<Quantity> r = Quantity::Parse(s);
  EXPECT_TRUE(r.ok()) << s << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : Quantity();
}

struct CanonicalCase {
  const char* in;
  const char* out;
  int64_t milli;
};

void PrintTo(const CanonicalCase& c, std::ostream* os) { *os << '"' << c.in << "\" -> \"" << c.out << '"'; }

class QuantityCanonicalTest : public ::testing::TestWithParam<CanonicalCase> {};

TEST_P(QuantityCanonicalTest, PrintsAsKubernetes) {
  const CanonicalCase& c = GetParam();
  Result<Quantity> q = Quantity::Parse(c.in);
  ASSERT_TRUE(q.ok()) << c.in << ": " << q.error().message;
  EXPECT_EQ(q->milli(), c.milli) << c.in;
  EXPECT_EQ(q->ToString(), c.out) << c.in;
  // The canonical form parses back to the same value. (Its format may change:
  // "2000" printed from a binary quantity reads back as decimal "2k".)
  Result<Quantity> again = Quantity::Parse(q->ToString());
  ASSERT_TRUE(again.ok()) << q->ToString();
  EXPECT_EQ(again->milli(), q->milli());
  Result<Quantity> third = Quantity::Parse(again->ToString());
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->ToString(), again->ToString());
}

INSTANTIATE_TEST_SUITE_P(
    Quantity, QuantityCanonicalTest,
    ::testing::Values(
        CanonicalCase{"1500m", "1500m", 1500}, CanonicalCase{"1.5", "1500m", 1500},
        CanonicalCase{"1536Mi", "1536Mi", int64_t{1536} * 1024 * 1024 * 1000},
        CanonicalCase{"1.5Gi", "1536Mi", int64_t{1536} * 1024 * 1024 * 1000},
        CanonicalCase{"2e3", "2e3", 2'000'000}, CanonicalCase{"0.1", "100m", 100},
        CanonicalCase{"1000m", "1", 1000}, CanonicalCase{"1000", "1k", 1'000'000},
        CanonicalCase{"1024Mi", "1Gi", (int64_t{1} << 30) * 1000},
        CanonicalCase{"0.5Ki", "512", 512'000}, CanonicalCase{"100u", "1m", 1},
        CanonicalCase{"1n", "1m", 1}, CanonicalCase{"1001u", "2m", 2},
        CanonicalCase{"0", "0", 0}, CanonicalCase{"0Gi", "0", 0}, CanonicalCase{"-0", "0", 0},
        CanonicalCase{"+2", "2", 2000}, CanonicalCase{"-1500m", "-1500m", -1500},
        CanonicalCase{"-1.5Gi", "-1536Mi", -int64_t{1536} * 1024 * 1024 * 1000},
        CanonicalCase{"-2k", "-2k", -2'000'000}, CanonicalCase{"-100u", "-1m", -1},
        CanonicalCase{"1Ki", "1Ki", 1'024'000}, CanonicalCase{"1.5Ki", "1536", 1'536'000},
        // Binary values >= 1024 stay binary even when no binary suffix divides them.
        CanonicalCase{"1.953125Ki", "2000", 2'000'000},
        CanonicalCase{"0.9765625Ki", "1k", 1'000'000}, CanonicalCase{"1000Ki", "1000Ki", 1'024'000'000},
        CanonicalCase{"0.0001Ki", "103m", 103}, CanonicalCase{"0.001Ei", "1152921504606846976m", 1152921504606846976LL},
        CanonicalCase{"4k", "4k", 4'000'000}, CanonicalCase{"4000k", "4M", 4'000'000'000},
        CanonicalCase{"1G", "1G", 1'000'000'000'000}, CanonicalCase{"2T", "2T", 2'000'000'000'000'000},
        CanonicalCase{"3P", "3P", 3'000'000'000'000'000'000}, CanonicalCase{"1500k", "1500k", 1'500'000'000},
        CanonicalCase{"1E-3", "1e-3", 1}, CanonicalCase{"5E-3", "5e-3", 5},
        CanonicalCase{"1.5e3", "1500", 1'500'000}, CanonicalCase{"1e0", "1", 1000},
        CanonicalCase{"1e+3", "1e3", 1'000'000}, CanonicalCase{"12e6", "12e6", 12'000'000'000},
        CanonicalCase{".5", "500m", 500}, CanonicalCase{"1.", "1", 1000},
        CanonicalCase{"007", "7", 7000}, CanonicalCase{"0.000000000000000000000000000001e30", "1", 1000},
        CanonicalCase{"0e100", "0", 0}, CanonicalCase{"1e-100", "1e-3", 1},
        CanonicalCase{"9223372036854775807m", "9223372036854775807m", kMax},
        CanonicalCase{"8Pi", "8Pi", int64_t{8} * (int64_t{1} << 50) * 1000}));

TEST(QuantityTest, FormatComesFromTheInput) {
  EXPECT_EQ(Q("1Gi").format(), Quantity::Format::kBinarySI);
  EXPECT_EQ(Q("1G").format(), Quantity::Format::kDecimalSI);
  EXPECT_EQ(Q("1").format(), Quantity::Format::kDecimalSI);
  EXPECT_EQ(Q("1e9").format(), Quantity::Format::kDecimalExponent);
  // "E" alone is exa, not an exponent: 0.001E = 1P.
  EXPECT_EQ(Q("0.001E").format(), Quantity::Format::kDecimalSI);
  EXPECT_EQ(Q("0.001E").milli(), int64_t{1'000'000'000'000'000'000});
  EXPECT_EQ(Q("0.001E").ToString(), "1P");
  EXPECT_FALSE(Quantity::Parse("1E").ok());  // 10^21 milli-units
}

TEST(QuantityTest, EiIsTheExbiSuffixNotAnExponent) {
  Result<Quantity> half = Quantity::Parse("0.5Ei");
  ASSERT_FALSE(half.ok());  // 2^59 units = 5.7e20 milli: overflow, but for the right reason
  EXPECT_NE(half.error().message.find("overflow"), std::string::npos) << half.error().message;
  EXPECT_EQ(Q("0.000001Ei").format(), Quantity::Format::kBinarySI);
}

TEST(QuantityTest, OverflowIsRejected) {
  for (const char* s : {"10Ei", "1Ei", "9223372036854775807k", "9223372036854775808m", "-10Ei", "1e19",
                        "10E", "1e999", "100000000000000000000", "99999999999999999999999999Ei",
                        "999999999999999999999999999999e24"}) {
    Result<Quantity> q = Quantity::Parse(s);
    ASSERT_FALSE(q.ok()) << s << " parsed as " << q->milli();
    EXPECT_EQ(q.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(q.error().message.find("\"" + std::string(s) + "\""), std::string::npos) << q.error().message;
    EXPECT_NE(q.error().message.find("overflow"), std::string::npos) << q.error().message;
  }
}

TEST(QuantityTest, MalformedIsRejectedNamingTheInput) {
  for (const char* s : {"", "1.2.3", "abc", "1Kb", "1e", "--1", ".", "+", "-", "1K", "1 ", " 1", "1ki",
                        "1e3Ki", "1e+", "1e1.5", "1e1234", "Gi", "1mm", "1.5.Gi", "0x10", ".m", "1,5"}) {
    Result<Quantity> q = Quantity::Parse(s);
    ASSERT_FALSE(q.ok()) << "\"" << s << "\" parsed as " << q->milli();
    EXPECT_EQ(q.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(q.error().message.find("\"" + std::string(s) + "\""), std::string::npos) << q.error().message;
  }
}

TEST(QuantityTest, ValueRoundsAwayFromZeroAsKubernetes) {
  EXPECT_EQ(Q("1500m").Value(), 2);
  EXPECT_EQ(Q("1001m").Value(), 2);
  EXPECT_EQ(Q("1000m").Value(), 1);
  EXPECT_EQ(Q("1m").Value(), 1);
  EXPECT_EQ(Q("0").Value(), 0);
  EXPECT_EQ(Q("1Ki").Value(), 1024);
  EXPECT_EQ(Q("-1500m").Value(), -2);
  EXPECT_EQ(Q("-1000m").Value(), -1);
  EXPECT_EQ(Q("-1m").Value(), -1);
  EXPECT_EQ(Quantity::FromMilli(kMax).Value(), kMax / 1000 + 1);
  EXPECT_EQ(Quantity::FromMilli(kMin).Value(), kMin / 1000 - 1);
}

TEST(QuantityTest, Constructors) {
  EXPECT_EQ(Quantity::FromUnits(3).milli(), 3000);
  EXPECT_EQ(Quantity::FromUnits(kMax).milli(), kMax);  // saturates
  EXPECT_EQ(Quantity::FromUnits(kMin).milli(), kMin);
  EXPECT_EQ(Quantity::Bytes(2048).ToString(), "2Ki");
  EXPECT_EQ(Quantity::MiB(1536).ToString(), "1536Mi");
  EXPECT_EQ(Quantity::MiB(1536), Q("1.5Gi"));
  EXPECT_EQ(Quantity::FromMilli(250).ToString(), "250m");
  EXPECT_TRUE(Quantity().IsZero());
  EXPECT_FALSE(Quantity::FromMilli(1).IsZero());
}

TEST(QuantityTest, ArithmeticSaturates) {
  Quantity max = Quantity::FromMilli(kMax);
  Quantity min = Quantity::FromMilli(kMin);
  Quantity one = Quantity::FromMilli(1);
  EXPECT_EQ((max + one).milli(), kMax);
  EXPECT_EQ((max + max).milli(), kMax);
  EXPECT_EQ((min - one).milli(), kMin);
  EXPECT_EQ((min + min).milli(), kMin);
  EXPECT_EQ((Quantity() - min).milli(), kMax);
  EXPECT_EQ(max.Times(2).milli(), kMax);
  EXPECT_EQ(max.Times(-2).milli(), kMin);
  EXPECT_EQ(min.Times(-1).milli(), kMax);
  EXPECT_EQ(Q("3").Times(4), Q("12"));
  EXPECT_EQ(Q("3").Times(0), Quantity());
  Quantity q = Q("1");
  q += Q("500m");
  EXPECT_EQ(q.milli(), 1500);
  q -= Q("2");
  EXPECT_EQ(q.milli(), -500);
  EXPECT_EQ(q.ToString(), "-500m");
}

TEST(QuantityTest, ArithmeticKeepsTheFormat) {
  EXPECT_EQ((Q("1Gi") + Q("1Gi")).ToString(), "2Gi");
  EXPECT_EQ((Q("1Gi") - Q("512Mi")).ToString(), "512Mi");
  // A zero left side takes the right side's format (Kubernetes' Add/Sub).
  EXPECT_EQ((Quantity() + Q("1Gi")).ToString(), "1Gi");
  EXPECT_EQ((Quantity() - Q("1Gi")).ToString(), "-1Gi");
}

TEST(QuantityTest, Ordering) {
  EXPECT_LT(Q("999m"), Q("1"));
  EXPECT_EQ(Q("1Ki"), Q("1024"));  // equality ignores format
  EXPECT_GT(Q("1Gi"), Q("1G"));
  EXPECT_LT(Q("-1"), Q("0"));
}

// Property: parse -> format -> parse is the identity on the value, and the
// canonical string is a fixed point.
RC_GTEST_PROP(QuantityProp, FormatParseRoundTrip, ()) {
  const int64_t milli = *rc::gen::oneOf(
      rc::gen::inRange<int64_t>(kMin, kMax), rc::gen::element(kMin, kMax, int64_t{0}), rc::gen::inRange<int64_t>(-5'000'000, 5'000'000),
      rc::gen::map(rc::gen::inRange<int64_t>(-(int64_t{1} << 40), int64_t{1} << 40),
                   [](int64_t v) { return v * 1024 * 1000; }),
      rc::gen::map(rc::gen::inRange<int64_t>(-1'000'000, 1'000'000), [](int64_t v) { return v * 1'000'000; }));
  const auto format = *rc::gen::element(Quantity::Format::kDecimalSI, Quantity::Format::kBinarySI,
                                         Quantity::Format::kDecimalExponent);
  Quantity q = Quantity::FromMilli(milli, format);
  std::string s = q.ToString();
  Result<Quantity> back = Quantity::Parse(s);
  RC_ASSERT(back.ok());
  RC_ASSERT(back->milli() == milli);
  // Printing the parsed value again is a fixed point.
  Result<Quantity> third = Quantity::Parse(back->ToString());
  RC_ASSERT(third.ok());
  RC_ASSERT(third->ToString() == back->ToString());
  if (format != Quantity::Format::kBinarySI) RC_ASSERT(back->ToString() == s);
}

RC_GTEST_PROP(QuantityProp, ParseFormatParseFromText, ()) {
  const int64_t mantissa = *rc::gen::inRange<int64_t>(-999'999, 1'000'000);
  const int frac = *rc::gen::inRange(0, 4);
  const std::string suffix =
      *rc::gen::element<std::string>("", "m", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti", "e3", "e-3", "e6", "u", "n");
  std::string digits = std::to_string(mantissa < 0 ? -mantissa : mantissa);
  while (static_cast<int>(digits.size()) <= frac) digits.insert(0, "0");
  if (frac > 0) digits.insert(digits.size() - frac, ".");
  std::string text = (mantissa < 0 ? "-" : "") + digits + suffix;
  Result<Quantity> a = Quantity::Parse(text);
  if (!a.ok()) {
    // Only the largest suffixes can overflow; nothing here is malformed.
    RC_ASSERT(a.error().message.find("overflow") != std::string::npos);
    return;
  }
  Result<Quantity> b = Quantity::Parse(a->ToString());
  RC_ASSERT(b.ok());
  RC_ASSERT(b->milli() == a->milli());
  RC_ASSERT(b->ToString() == a->ToString());
}

RC_GTEST_PROP(QuantityProp, AdditionMatchesInt128UntilSaturation, (int64_t a, int64_t b)) {
  __int128 exact = static_cast<__int128>(a) + b;
  int64_t want = exact > kMax ? kMax : exact < kMin ? kMin : static_cast<int64_t>(exact);
  RC_ASSERT((Quantity::FromMilli(a) + Quantity::FromMilli(b)).milli() == want);
  __int128 diff = static_cast<__int128>(a) - b;
  int64_t want_diff = diff > kMax ? kMax : diff < kMin ? kMin : static_cast<int64_t>(diff);
  RC_ASSERT((Quantity::FromMilli(a) - Quantity::FromMilli(b)).milli() == want_diff);
}

}  // namespace
}  // namespace adze::model
