#include "cli/simulate_command.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace adze::cli {
namespace {

std::string Example(const std::string& name) {
  const char* root = std::getenv("ADZE_SOURCE_DIR");
  return std::string(root ? root : ".") + "/examples/" + name;
}

struct Output {
  int code;
  std::string out, err;
};

Output Simulate(const SimulateOptions& options) {
  std::ostringstream out, err;
  const int code = RunSimulate(options, out, err, /*err_is_terminal=*/false);
  return {code, out.str(), err.str()};
}

TEST(SimulateCommandTest, PrintsASummaryTable) {
  SimulateOptions o;
  o.file = Example("snapshot-preseed-on.yaml");
  o.duration = "2h";
  const Output r = Simulate(o);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("TIME TO RUNNING"), std::string::npos);
  EXPECT_NE(r.out.find("nodes launched"), std::string::npos);
  EXPECT_NE(r.out.find("simulated 2.0h"), std::string::npos);
}

TEST(SimulateCommandTest, JsonOutputAndRunFilesAgree) {
  SimulateOptions o;
  o.file = Example("prefix-delegation-on.yaml");
  o.duration = "1h";
  o.output = "json";
  o.out_dir = (std::filesystem::temp_directory_path() / "adze_simulate_test_out").string();
  std::filesystem::remove_all(o.out_dir);
  const Output r = Simulate(o);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto printed = nlohmann::json::parse(r.out);
  std::ifstream summary_file(o.out_dir + "/summary.json");
  const auto written = nlohmann::json::parse(summary_file);
  EXPECT_EQ(printed["cost"], written["cost"]);
  EXPECT_EQ(printed["pods"]["created"], written["pods"]["created"]);
  EXPECT_GT(printed["pods"]["created"].get<int>(), 0);
  // One time-series row per simulated minute, plus the header.
  std::ifstream csv(o.out_dir + "/timeseries.csv");
  int lines = 0;
  for (std::string line; std::getline(csv, line);) ++lines;
  EXPECT_EQ(lines, 61);
  std::ifstream events(o.out_dir + "/events.jsonl");
  std::string first;
  ASSERT_TRUE(std::getline(events, first));
  EXPECT_TRUE(nlohmann::json::parse(first).contains("type"));
}

TEST(SimulateCommandTest, BadScenarioNamesFileLineAndField) {
  const auto path = std::filesystem::temp_directory_path() / "adze_simulate_bad.yaml";
  std::ofstream(path) << "apiVersion: adze.dev/v1alpha1\nkind: Scenario\nduration: forever\n";
  SimulateOptions o;
  o.file = path.string();
  const Output r = Simulate(o);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("adze_simulate_bad.yaml:3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("duration"), std::string::npos) << r.err;
}

TEST(SimulateCommandTest, RejectsUnknownOutputFormatAndBadOverrides) {
  SimulateOptions o;
  o.output = "xml";
  EXPECT_EQ(Simulate(o).code, 1);
  o.output = "table";
  o.duration = "-5m";
  const Output r = Simulate(o);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--duration"), std::string::npos);
}

// Each value, set by `set`, is refused with exit code 1 and exactly the
// error `message` gives for it.
template <typename Set, typename Message>
void ExpectEachRefused(std::initializer_list<const char*> values, Set set, Message message) {
  for (const char* value : values) {
    SimulateOptions o;
    set(o, value);
    const Output r = Simulate(o);
    EXPECT_EQ(r.code, 1) << value;
    EXPECT_EQ(r.err, message(std::string(value)));
  }
}

// Issue 15 class 5: the command line clamped or ignored what the scenario
// file rejects.
TEST(SimulateCommandTest, SeedAndDurationOverridesAreCheckedLikeTheScenario) {
  ExpectEachRefused(
      {"", "-1", "9223372036854775808", "18446744073709551616", "7x"},
      [](SimulateOptions& o, const char* v) { o.seed = v; },
      [](const std::string& v) {
        return "error: --seed: found \"" + v + "\", expected an integer from 0 to 9223372036854775807\n";
      });
  SimulateOptions o;
  o.duration = "";
  const Output r = Simulate(o);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--duration"), std::string::npos) << r.err;
}

TEST(SimulateCommandTest, LostWorkPaybackMustBeADuration) {
  ExpectEachRefused(
      {"soon", "-10m", ""}, [](SimulateOptions& o, const char* v) { o.lost_work_payback = v; },
      [](const std::string& v) {
        return "error: --lost-work-payback: found \"" + v +
               "\", expected a duration such as 30m, or 0 to ignore lost work\n";
      });
}

TEST(SimulateCommandTest, FewerNodesPremiumMustBeAPercentage) {
  ExpectEachRefused(
      {"50", "half", "-5%", "1001%", "%", "", "50%%", "nan%"},
      [](SimulateOptions& o, const char* v) { o.fewer_nodes_premium = v; },
      [](const std::string& v) {
        return "error: --fewer-nodes-premium: found \"" + v +
               "\", expected a percentage from 0% to 1000% such as 50%, or 0 for the cheapest packing\n";
      });
}

// snapshot-preseed starts 13 one-GPU replicas at once: one 1-GPU node each is
// the cheapest; a premium buys 4-GPU nodes, fewer of them, for more.
TEST(SimulateCommandTest, FewerNodesPremiumLaunchesFewerDearerNodes) {
  auto run = [](const char* premium) {
    SimulateOptions o;
    o.file = Example("snapshot-preseed-on.yaml");
    o.duration = "30m";
    o.output = "json";
    o.fewer_nodes_premium = premium;
    const Output r = Simulate(o);
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  };
  const nlohmann::json cheapest = run("0");
  const nlohmann::json fewer = run("50%");
  EXPECT_LT(fewer["nodes"]["launched"].get<int>(), cheapest["nodes"]["launched"].get<int>());
  EXPECT_GT(fewer["cost"]["total_usd"].get<double>(), cheapest["cost"]["total_usd"].get<double>());
}

// Issue 15 class 6: a flag the other flags make meaningless is named.
TEST(SimulateCommandTest, HeadroomWithoutAdzeDisruptionIsWarned) {
  SimulateOptions o;
  o.file = Example("prefix-delegation-on.yaml");
  o.duration = "10m";
  o.headroom = true;
  o.disruption = "off";
  const Output r = Simulate(o);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: --headroom has no effect with --disruption off"), std::string::npos) << r.err;
}

TEST(SimulateCommandTest, FewerNodesPremiumWithKarpentersPackerIsWarned) {
  SimulateOptions o;
  o.file = Example("prefix-delegation-on.yaml");
  o.duration = "10m";
  o.packer = "karpenter";
  o.fewer_nodes_premium = "50%";
  const Output r = Simulate(o);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: --fewer-nodes-premium has no effect with --packer karpenter"), std::string::npos)
      << r.err;
}

TEST(SimulateCommandTest, PrintsTheBuiltInScenario) {
  SimulateOptions o;
  o.print_scenario = true;
  const Output r = Simulate(o);
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("kind: Scenario"), std::string::npos);
}

}  // namespace
}  // namespace adze::cli
