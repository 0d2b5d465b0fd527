#include "report/html_report.h"

#include <regex>

#include <gtest/gtest.h>

namespace adze::report {
namespace {

sim::RunResult FakeRun(double scale) {
  sim::RunResult run;
  run.summary.duration = 2 * model::kHour;
  for (int m = 0; m < 120; ++m) {
    sim::TimeseriesRow row;
    row.minute = m;
    row.nodes = 2;
    row.cost_per_hour = 3.5 * scale;
    row.pods_pending = m % 7;
    row.gpus_provisioned = 8;
    row.gpus_requested = 4;
    run.timeseries.push_back(row);
  }
  run.events = {
      R"({"type":"claim_launched","claim":"a","instance_type":"g5.xlarge","t":30})",
      R"({"type":"claim_launched","claim":"b","instance_type":"m6i.large","t":60})",
      R"({"type":"pod_running","pod":"p","time_to_running":95.5,"t":100})",
      R"({"type":"pod_running","pod":"q","time_to_running":12,"t":100})",
      R"({"type":"claim_deletion_requested","claim":"a","reason":"interrupted","t":3000})",
      R"({"type":"claim_terminated","claim":"a","reason":"interrupted","t":3100})",
      R"({"type":"pod_evicted","pod":"p","t":3000})",
  };
  return run;
}

TEST(HtmlReportTest, IsSelfContainedAndEveryChartHasData) {
  const sim::RunResult a = FakeRun(1), b = FakeRun(2);
  HtmlReport r;
  r.title = "adze <compare> & co";
  r.subtitle = "test";
  r.runs = {{"adze", &a}, {"ca", &b}};
  const std::string html = RenderHtmlReport(r);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_NE(html.find("adze &lt;compare&gt; &amp; co"), std::string::npos);
  // Only the SVG namespace may name a URL.
  std::string stripped = std::regex_replace(html, std::regex("xmlns=\"http://www.w3.org/2000/svg\""), "");
  EXPECT_EQ(stripped.find("http"), std::string::npos);
  // Every chart: an <svg class="chart"> with at least one drawn series or mark.
  const std::regex chart("<svg class=\"chart\" data-chart=\"([^\"]+)\"[\\s\\S]*?</svg>");
  int charts = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), chart); it != std::sregex_iterator(); ++it) {
    ++charts;
    const std::string svg = it->str();
    EXPECT_TRUE(svg.find("class=\"series\"") != std::string::npos || svg.find("class=\"mark\"") != std::string::npos)
        << (*it)[1];
    EXPECT_NE(svg.find("<title>"), std::string::npos);
    EXPECT_NE(svg.find("class=\"legend\""), std::string::npos);
  }
  // cost, GPUs, nodes by type × 2, pending, time to running, timeline.
  EXPECT_EQ(charts, 7);
  EXPECT_NE(html.find("g5.xlarge"), std::string::npos);
  EXPECT_NE(html.find("spot interruption"), std::string::npos);
}

}  // namespace
}  // namespace adze::report
