#include "cli/compare_command.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace adze::cli {
namespace {

struct Outcome {
  int rc;
  std::string out, err;
};

Outcome Compare(CompareOptions o) {
  o.progress = false;
  std::ostringstream out, err;
  int rc = RunCompare(o, out, err);
  return {rc, out.str(), err.str()};
}

TEST(CompareCommandTest, TheDefaultScenarioGivesTheSameOutputTwice) {
  CompareOptions o;
  o.duration = "2h";
  const Outcome a = Compare(o), b = Compare(o);
  ASSERT_EQ(a.rc, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  for (const char* system : {"ADZE", "KARPENTER", "CA", "FIXED-PEAK", "FIXED-MEAN"}) {
    EXPECT_NE(a.out.find(system), std::string::npos) << system;
  }
  // The derivation of the node groups is printed.
  EXPECT_NE(a.out.find("inference-a10gx1: g5.xlarge spot"), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("training-h100x8: p5.48xlarge on-demand"), std::string::npos);

  o.output = "json";
  const Outcome j1 = Compare(o), j2 = Compare(o);
  ASSERT_EQ(j1.rc, 0);
  EXPECT_EQ(j1.out, j2.out);
  const auto doc = nlohmann::json::parse(j1.out);
  ASSERT_EQ(doc["systems"].size(), 5u);
  EXPECT_EQ(doc["systems"][0]["name"], "adze");
  EXPECT_TRUE(doc["systems"][2]["minus_adze"].contains("cost_usd"));
  // A fixed fleet launches only at the start; CA and adze are on the same workload.
  EXPECT_EQ(doc["systems"][3]["name"], "fixed-peak");
  EXPECT_GT(doc["systems"][3]["mean"]["gpu_hours_idle"].get<double>(), doc["systems"][2]["mean"]["gpu_hours_idle"].get<double>());
}

TEST(CompareCommandTest, SeveralSeedsGiveAConfidenceInterval) {
  CompareOptions o;
  o.duration = "1h";
  o.against = "ca";
  o.seeds = "1..3";
  o.output = "json";
  const Outcome r = Compare(o);
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["seeds"], nlohmann::json({1, 2, 3}));
  ASSERT_EQ(doc["systems"][0]["per_seed"].size(), 3u);
  const auto& cost = doc["systems"][1]["minus_adze"]["cost_usd"];
  ASSERT_TRUE(cost.contains("ci95_low"));
  EXPECT_LE(cost["ci95_low"].get<double>(), cost["mean"].get<double>());
  EXPECT_GE(cost["ci95_high"].get<double>(), cost["mean"].get<double>());
}

TEST(CompareCommandTest, BadFlagsSayWhatWasExpected) {
  CompareOptions o;
  o.against = "ca,gke";
  Outcome r = Compare(o);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("--against: unknown system \"gke\""), std::string::npos) << r.err;
  o = {};
  o.seeds = "5..2";
  r = Compare(o);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("--seeds: found \"5..2\""), std::string::npos) << r.err;
  o = {};
  o.expander = "cheapest";
  r = Compare(o);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("least-waste, price, priority, random or most-pods"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace adze::cli
