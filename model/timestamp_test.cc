#include "model/timestamp.h"

#include <gtest/gtest.h>

namespace adze::model {
namespace {

TEST(ParseTimestampTest, ReadsUtcAndOffsets) {
  EXPECT_EQ(*ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseTimestamp("1970-01-02T00:00:01Z"), 24 * kHour + kSecond);
  // 2024-05-01 is day 19844 since the epoch.
  EXPECT_EQ(*ParseTimestamp("2024-05-01T12:30:00Z"), 19844 * 24 * kHour + 12 * kHour + 30 * kMinute);
  EXPECT_EQ(*ParseTimestamp("2024-05-01T14:30:00+02:00"), *ParseTimestamp("2024-05-01T12:30:00Z"));
  EXPECT_EQ(*ParseTimestamp("2024-05-01T12:30:00.25Z") - *ParseTimestamp("2024-05-01T12:30:00Z"),
            250 * kMillisecond);
  EXPECT_EQ(*ParseTimestamp("2024-05-01T12:30:00.123456789Z") - *ParseTimestamp("2024-05-01T12:30:00Z"), 123456);
}

TEST(ParseTimestampTest, OrdersAsTime) {
  EXPECT_LT(*ParseTimestamp("2023-12-31T23:59:59Z"), *ParseTimestamp("2024-01-01T00:00:00Z"));
  EXPECT_LT(*ParseTimestamp("2024-01-01T01:00:00+02:00"), *ParseTimestamp("2024-01-01T00:00:00Z"));
}

TEST(ParseTimestampTest, RejectsWhatIsNotRfc3339) {
  for (const char* bad : {"", "2024-05-01", "2024-05-01T12:30:00", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z",
                          "2024-05-01T24:00:00Z", "2024-05-01T12:30:00.Z", "2024-05-01T12:30:00Zjunk",
                          "yesterday"}) {
    Result<Duration> t = ParseTimestamp(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_NE(t.error().message.find("RFC 3339"), std::string::npos) << t.error().message;
    }
  }
}

}  // namespace
}  // namespace adze::model
