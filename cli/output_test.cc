#include "cli/output.h"

#include <gtest/gtest.h>

namespace adze::cli {
namespace {

TEST(Output, ParsesFormats) {
  EXPECT_EQ(*ParseOutputFormat("json"), OutputFormat::kJson);
  EXPECT_EQ(*ParseOutputFormat("yaml"), OutputFormat::kYaml);
  EXPECT_EQ(*ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_EQ(*ParseOutputFormat("table"), OutputFormat::kTable);
  auto bad = ParseOutputFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("expected table, json, yaml or csv"), std::string::npos);
}

TEST(Output, TextTableAlignsColumns) {
  Table t({{"type", false}, {"price", true}});
  t.AddRow({"p5.48xlarge", "55.0400"});
  t.AddRow({"g5.xlarge", "1.0060"});
  EXPECT_EQ(t.RenderText(),
            "TYPE           PRICE\n"
            "p5.48xlarge  55.0400\n"
            "g5.xlarge     1.0060\n");
}

TEST(Output, CsvQuotesWhenNeeded) {
  Table t({{"name", false}, {"note", false}});
  t.AddRow({"a", "x,y"});
  t.AddRow({"b", "say \"hi\""});
  EXPECT_EQ(t.RenderCsv(), "name,note\na,\"x,y\"\nb,\"say \"\"hi\"\"\"\n");
}

TEST(Output, YamlFromJsonKeepsOrderAndTypes) {
  nlohmann::ordered_json j = {{"type", "p5.48xlarge"}, {"vcpu", 192}, {"gpu", {{"count", 8}}}, {"spot", nullptr}};
  EXPECT_EQ(ToYaml(j), "type: p5.48xlarge\nvcpu: 192\ngpu:\n  count: 8\nspot: ~\n");
}

}  // namespace
}  // namespace adze::cli
