#include "cli/packer_flags.h"

#include <gtest/gtest.h>

namespace adze::cli {
namespace {

TEST(PackerFlagsTest, FewerNodesPremiumIsAPercentageOrZero) {
  EXPECT_DOUBLE_EQ(*ParseFewerNodesPremium("0"), 0);
  EXPECT_DOUBLE_EQ(*ParseFewerNodesPremium("0%"), 0);
  EXPECT_DOUBLE_EQ(*ParseFewerNodesPremium("50%"), 0.5);
  EXPECT_DOUBLE_EQ(*ParseFewerNodesPremium("12.5%"), 0.125);
  EXPECT_DOUBLE_EQ(*ParseFewerNodesPremium("1000%"), 10);
  for (const char* bad : {"0.5", "50", "50 %", " 50%", "+50%", "1e2%", "inf%", "1000.1%"}) {
    EXPECT_FALSE(ParseFewerNodesPremium(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace adze::cli
