#include "cli/twin_command.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

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

TEST(TwinCommand, AwsFlagsWithoutAwsAreAnError) {
  TwinOptions o;
  o.scenario_file = "examples/default.yaml";
  std::ostringstream out, err;
  EXPECT_EQ(RunTwin(o, out, err), 2);
  EXPECT_NE(err.str().find("add --aws"), std::string::npos);
}

TEST(TwinCommand, AwsCredentialsFromTheEnvironmentElseTheDefaults) {
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  EXPECT_EQ(TwinAwsCredentials(), std::make_pair(std::string("adze-twin"), std::string("adze-twin-secret")));
  setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", 1);
  EXPECT_EQ(TwinAwsCredentials().first, "adze-twin");  // both or neither
  setenv("AWS_SECRET_ACCESS_KEY", "s3cret", 1);
  EXPECT_EQ(TwinAwsCredentials(), std::make_pair(std::string("AKIAEXAMPLE"), std::string("s3cret")));
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
}

}  // namespace
}  // namespace adze::cli
