#include "model/duration.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

namespace adze::model {
namespace {

struct ParseCase {
  const char* in;
  Duration want;
};

void PrintTo(const ParseCase& c, std::ostream* os) { *os << '"' << c.in << '"'; }

class ParseDurationTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseDurationTest, Parses) {
  Result<Duration> d = ParseDuration(GetParam().in);
  ASSERT_TRUE(d.ok()) << GetParam().in << ": " << d.error().message;
  EXPECT_EQ(*d, GetParam().want) << GetParam().in;
}

INSTANTIATE_TEST_SUITE_P(
    Go, ParseDurationTest,
    ::testing::Values(ParseCase{"720h", 720 * kHour}, ParseCase{"1h30m", kHour + 30 * kMinute},
                      ParseCase{"90s", 90 * kSecond}, ParseCase{"500ms", 500 * kMillisecond},
                      ParseCase{"1.5h", kHour + 30 * kMinute}, ParseCase{"0", 0}, ParseCase{"-0", 0},
                      ParseCase{"+0", 0}, ParseCase{"0s", 0}, ParseCase{"10m", 10 * kMinute},
                      ParseCase{"1h1m1s", kHour + kMinute + kSecond}, ParseCase{"2us", 2}, ParseCase{"2µs", 2},
                      ParseCase{"2μs", 2}, ParseCase{"1500ns", 1}, ParseCase{"999ns", 0},
                      ParseCase{"-1m", -kMinute}, ParseCase{"+5s", 5 * kSecond}, ParseCase{".5s", 500 * kMillisecond},
                      ParseCase{"1.s", kSecond}, ParseCase{"0.000001s", 1}, ParseCase{"1m30s500ms", 90'500'000},
                      ParseCase{"30s1h", kHour + 30 * kSecond},  // Go allows any unit order
                      ParseCase{"2562047h", 2562047 * kHour}));

TEST(ParseDurationTest, RejectsWithAMessageNamingTheInput) {
  for (const char* s : {"", "1", "1d", "1w", "h", "1hh", "1.2.3s", "-", "+", "abc", "1 h", " 1h", "1h ", "1H", "1S",
                        ".", "s1", "--1s", "1e3s", "9999999999999999999999h", "2562048h", "106751992d"}) {
    Result<Duration> d = ParseDuration(s);
    ASSERT_FALSE(d.ok()) << "\"" << s << "\" parsed as " << *d;
    EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(d.error().message.find("\"" + std::string(s) + "\""), std::string::npos) << d.error().message;
  }
  EXPECT_NE(ParseDuration("1d").error().message.find("unknown unit"), std::string::npos);
  EXPECT_NE(ParseDuration("1").error().message.find("missing unit"), std::string::npos);
  EXPECT_NE(ParseDuration("2562048h").error().message.find("overflow"), std::string::npos);
}

struct FormatCase {
  Duration in;
  const char* want;
};

void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.in << "us -> \"" << c.want << '"'; }

class FormatDurationTest : public ::testing::TestWithParam<FormatCase> {};

TEST_P(FormatDurationTest, Formats) { EXPECT_EQ(FormatDuration(GetParam().in), GetParam().want); }

INSTANTIATE_TEST_SUITE_P(
    Go, FormatDurationTest,
    ::testing::Values(FormatCase{0, "0s"}, FormatCase{720 * kHour, "720h"}, FormatCase{kHour + 30 * kMinute, "1h30m"},
                      FormatCase{90 * kSecond, "1m30s"}, FormatCase{500 * kMillisecond, "500ms"},
                      FormatCase{1500, "1.5ms"}, FormatCase{1, "1us"}, FormatCase{999, "999us"},
                      FormatCase{kHour + kSecond, "1h1s"}, FormatCase{kSecond + 500 * kMillisecond, "1.5s"},
                      FormatCase{kMinute + 1, "1m0.000001s"}, FormatCase{-90 * kSecond, "-1m30s"},
                      FormatCase{-1, "-1us"}, FormatCase{-1500, "-1.5ms"}, FormatCase{kSecond, "1s"},
                      FormatCase{std::numeric_limits<Duration>::min(), "-2562047788h54.775808s"},
                      FormatCase{std::numeric_limits<Duration>::max(), "2562047788h54.775807s"}));

RC_GTEST_PROP(DurationProp, FormatThenParseIsIdentity, ()) {
  const Duration d = *rc::gen::oneOf(
      rc::gen::inRange<Duration>(std::numeric_limits<Duration>::min() / 1000 + 1,
                                 std::numeric_limits<Duration>::max() / 1000),
      rc::gen::inRange<Duration>(-10 * kSecond, 10 * kSecond),
      rc::gen::map(rc::gen::inRange<int64_t>(-10'000, 10'000), [](int64_t m) { return m * kMinute; }));
  const std::string s = FormatDuration(d);
  Result<Duration> back = ParseDuration(s);
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == d);
}

}  // namespace
}  // namespace adze::model
