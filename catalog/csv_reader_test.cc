#include "catalog/csv_reader.h"

#include <gtest/gtest.h>

namespace adze::catalog {
namespace {

TEST(CsvTableTest, ReadsHeaderAndRecords) {
  auto t = CsvTable::Parse("a,b,c\n1,2,3\n4,,6\n", "t.csv");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->header(), (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(t->records().size(), 2u);
  EXPECT_EQ(t->records()[0].line, 2);
  EXPECT_EQ(t->records()[1].fields, (std::vector<std::string>{"4", "", "6"}));
  EXPECT_EQ(t->ColumnIndex("c"), 2u);
  EXPECT_FALSE(t->ColumnIndex("d").has_value());
}

TEST(CsvTableTest, QuotedFieldsHoldCommasQuotesAndNewlines) {
  auto t = CsvTable::Parse("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,\"\"\n", "t.csv");
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->records().size(), 3u);
  EXPECT_EQ(t->records()[0].fields, (std::vector<std::string>{"x,y", "say \"hi\""}));
  EXPECT_EQ(t->records()[1].fields, (std::vector<std::string>{"two\nlines", "z"}));
  EXPECT_EQ(t->records()[1].line, 3);
  EXPECT_EQ(t->records()[2].line, 5);  // the quoted newline counted
  EXPECT_EQ(t->records()[2].fields, (std::vector<std::string>{"last", ""}));
}

TEST(CsvTableTest, AcceptsCrlfBomBlankLinesAndNoFinalNewline) {
  auto t = CsvTable::Parse("\xEF\xBB\xBF" "a,b\r\n\r\n1,2\r\n\n3,4", "t.csv");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->header()[0], "a");
  ASSERT_EQ(t->records().size(), 2u);
  EXPECT_EQ(t->records()[0].fields, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(t->records()[1].line, 5);
  EXPECT_EQ(t->records()[1].fields, (std::vector<std::string>{"3", "4"}));
}

TEST(CsvTableTest, TrailingCommaIsAnEmptyField) {
  auto t = CsvTable::Parse("a,b\n1,\n", "t.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->records()[0].fields, (std::vector<std::string>{"1", ""}));
}

TEST(CsvTableTest, WrongFieldCountNamesTheLine) {
  auto t = CsvTable::Parse("a,b\n1,2\n1,2,3\n", "dir/t.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(t.error().message.find("dir/t.csv:3:"), std::string::npos) << t.error().message;
  EXPECT_NE(t.error().message.find("expected 2 fields"), std::string::npos) << t.error().message;
}

TEST(CsvTableTest, UnterminatedQuoteNamesLineAndColumn) {
  auto t = CsvTable::Parse("a,b\n1,\"open\n", "t.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("t.csv:2:"), std::string::npos) << t.error().message;
  EXPECT_NE(t.error().message.find("column \"b\""), std::string::npos) << t.error().message;
  EXPECT_NE(t.error().message.find("unterminated"), std::string::npos) << t.error().message;
}

TEST(CsvTableTest, StrayQuotesAreErrors) {
  auto inside = CsvTable::Parse("a,b\n1,x\"y\n", "t.csv");
  ASSERT_FALSE(inside.ok());
  EXPECT_NE(inside.error().message.find("t.csv:2: column \"b\": quote inside"), std::string::npos)
      << inside.error().message;
  auto after = CsvTable::Parse("a,b\n\"x\"y,1\n", "t.csv");
  ASSERT_FALSE(after.ok());
  EXPECT_NE(after.error().message.find("column \"a\": unexpected character after closing quote"), std::string::npos)
      << after.error().message;
}

TEST(CsvTableTest, BadHeadersAreErrors) {
  EXPECT_FALSE(CsvTable::Parse("", "t.csv").ok());
  EXPECT_FALSE(CsvTable::Parse("\n\n", "t.csv").ok());
  auto dup = CsvTable::Parse("a,b,a\n", "t.csv");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("duplicate column \"a\""), std::string::npos);
  EXPECT_FALSE(CsvTable::Parse("a,,b\n", "t.csv").ok());
}

TEST(CsvTableTest, HeaderOnlyHasNoRecords) {
  auto t = CsvTable::Parse("a,b\n", "t.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->records().empty());
}

}  // namespace
}  // namespace adze::catalog
