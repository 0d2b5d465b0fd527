#include "cli/twin_command.h"

#include <gtest/gtest.h>

namespace adze::cli {
namespace {

TEST(TwinCommand, ParsesFaults) {
  auto f = ParseFaults({"error-rate=0.05", "throttle-rate=0.1", "delay=100ms", "drop-watches=5s", "compact=1m"});
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_DOUBLE_EQ(f->error_rate, 0.05);
  EXPECT_DOUBLE_EQ(f->throttle_rate, 0.1);
  EXPECT_EQ(f->delay.count(), 100);
  EXPECT_EQ(f->watch_drop_after.count(), 5000);
  EXPECT_EQ(f->compact_every.count(), 60000);
}

TEST(TwinCommand, FaultErrorsSayWhatWasExpected) {
  auto bad = ParseFaults({"error-rate=2"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("--fault error-rate=2: expected a share of requests from 0 to 1"),
            std::string::npos);
  EXPECT_NE(ParseFaults({"delay=soon"}).error().message.find("duration"), std::string::npos);
  EXPECT_NE(ParseFaults({"explode=1"}).error().message.find("unknown fault"), std::string::npos);
  EXPECT_FALSE(ParseFaults({"error-rate=0.6", "throttle-rate=0.6"}).ok());
}

TEST(TwinCommand, KubeconfigPointsAtThePort) {
  std::string kc = TwinKubeconfig(41234);
  EXPECT_NE(kc.find("server: http://127.0.0.1:41234"), std::string::npos);
  EXPECT_NE(kc.find("current-context: adze-twin"), std::string::npos);
}

}  // namespace
}  // namespace adze::cli
