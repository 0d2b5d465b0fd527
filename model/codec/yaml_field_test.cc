#include "model/codec/yaml_field.h"

#include <string>

#include <gtest/gtest.h>

#include "model/codec/document_loader.h"

namespace adze::codec {
namespace {

// Parses one YAML document and keeps the context alive for its fields.
class YamlFieldTest : public ::testing::Test {
 protected:
  YamlField Parse(std::string_view text) {
    std::vector<YamlNode> docs = LoadDocuments(text, "f.yaml");
    EXPECT_EQ(docs.size(), 1u);
    return YamlField(docs.at(0), &ctx_);
  }

  // The message of the DecodeError fn throws, or "<no error>".
  template <typename F>
  std::string ErrorOf(F&& fn) {
    try {
      fn();
    } catch (const DecodeError& e) {
      return e.what();
    }
    return "<no error>";
  }

  DecodeContext ctx_{"f.yaml"};
};

TEST_F(YamlFieldTest, Scalars) {
  YamlField f = Parse("s: hello\ni: -42\nq: \"7\"\nb: True\ny: yes\nd: 1h30m\nqty: 1.5Gi\nn: null\nk: Gt\n");
  EXPECT_EQ(f["s"].String(), "hello");
  EXPECT_EQ(f["i"].Int(), -42);
  EXPECT_EQ(f["q"].Int32(0, 10), 7);  // quoted integers are accepted
  EXPECT_TRUE(f["b"].Bool());
  EXPECT_TRUE(f["y"].Bool());
  EXPECT_EQ(f["d"].Duration(), 90 * model::kMinute);
  EXPECT_EQ(f["qty"].Quantity(), *model::Quantity::Parse("1536Mi"));
  EXPECT_EQ(f["k"].Keyword({"Gt", "Lt"}), "Gt");
  // Null and absent both read as unset.
  EXPECT_FALSE(f["n"].present());
  EXPECT_FALSE(f["missing"].present());
  EXPECT_EQ(f["n"].OptString(), std::nullopt);
  EXPECT_EQ(f["missing"].OptInt(), std::nullopt);
  EXPECT_EQ(f["missing"].StringOr("dflt"), "dflt");
  EXPECT_TRUE(f["missing"].BoolOr(true));
  EXPECT_TRUE(f["n"].Items().empty());
  EXPECT_TRUE(f["missing"].Entries().empty());
}

TEST_F(YamlFieldTest, ScalarErrors) {
  YamlField f = Parse("a:\n  i: 1.5\n  m: {x: 1}\n  n: ~\n  b: maybe\n  r: 7\n");
  YamlField a = f["a"];
  EXPECT_EQ(ErrorOf([&] { a["i"].Int(); }), "f.yaml:2:6: a.i: found \"1.5\", expected an integer");
  EXPECT_EQ(ErrorOf([&] { a["m"].String(); }), "f.yaml:3:6: a.m: found a map, expected a string");
  EXPECT_EQ(ErrorOf([&] { a["n"].String(); }), "f.yaml:4:3: a.n: found null, expected a string");
  EXPECT_EQ(ErrorOf([&] { a["gone"].String(); }),
            "f.yaml:2:3: a.gone: required field is missing (expected a string)");
  EXPECT_EQ(ErrorOf([&] { a["b"].Bool(); }), "f.yaml:5:6: a.b: found \"maybe\", expected true or false");
  EXPECT_EQ(ErrorOf([&] { a["r"].Int(10); }), "f.yaml:6:6: a.r: found 7, expected an integer >= 10");
  EXPECT_EQ(ErrorOf([&] { a["r"].Int(0, 5); }), "f.yaml:6:6: a.r: found 7, expected an integer from 0 to 5");
  EXPECT_EQ(ErrorOf([&] { a["r"].Int32(std::numeric_limits<int32_t>::min(), 5); }),
            "f.yaml:6:6: a.r: found 7, expected an integer <= 5");
  EXPECT_EQ(ErrorOf([&] { a["r"]["x"]; }), "f.yaml:6:6: a.r: found 7, expected a map");
  EXPECT_EQ(ErrorOf([&] { a["m"].Items(); }), "f.yaml:3:6: a.m: found a map, expected a list");
  EXPECT_EQ(ErrorOf([&] { a["r"].Keyword({"In", "NotIn"}); }), "f.yaml:6:6: a.r: found 7, expected one of In, NotIn");
  EXPECT_EQ(ErrorOf([&] { a.RequireMap()["m"]["x"].RequireMap(); }), "f.yaml:3:10: a.m.x: found 1, expected a map");
}

TEST_F(YamlFieldTest, IntegerOverflowIsAnError) {
  YamlField f = Parse("big: 99999999999999999999\nmid: 3000000000\n");
  EXPECT_EQ(ErrorOf([&] { f["big"].Int(); }), "f.yaml:1:6: big: found \"99999999999999999999\", expected an integer");
  EXPECT_EQ(ErrorOf([&] { f["mid"].Int32(); }), "f.yaml:2:6: mid: found 3000000000, expected an integer");
  EXPECT_EQ(f["mid"].Int(), 3000000000);
}

TEST_F(YamlFieldTest, CollectionsCarryPaths) {
  YamlField f = Parse("list:\n  - a\n  - b\nmap:\n  k1: v1\n  k/2:\n");
  std::vector<YamlField> items = f["list"].Items();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].path(), "list[1]");
  EXPECT_EQ(items[1].line(), 3);
  EXPECT_EQ(items[1].column(), 5);
  auto entries = f["map"].Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].first, "k/2");
  EXPECT_EQ(entries[1].second.path(), "map[k/2]");
  EXPECT_EQ(f["map"].StringMap().at("k/2"), "");  // null value reads as ""
  EXPECT_EQ(f["list"].StringList(), (std::vector<std::string>{"a", "b"}));
}

TEST_F(YamlFieldTest, CheckFieldsWarnsOnUnknownAndFailsOnDuplicate) {
  YamlField f = Parse("a: 1\nb: 2\nzz: 3\n");
  f.CheckFields({"a"}, {"b"});
  ASSERT_EQ(ctx_.warnings().size(), 1u);
  EXPECT_EQ(ctx_.warnings()[0].ToString(), "f.yaml:3:1: zz: unknown field \"zz\" (ignored)");
  YamlField dup = Parse("a: 1\na: 2\n");
  EXPECT_EQ(ErrorOf([&] { dup.CheckFields({"a"}); }), "f.yaml:2:1: a: duplicate field \"a\"");
}

TEST_F(YamlFieldTest, CatchDecodeErrorReturnsAResult) {
  YamlField f = Parse("a: x\n");
  Result<int64_t> r = CatchDecodeError<int64_t>("f.yaml", [&] { return f["a"].Int(); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "f.yaml:1:4: a: found \"x\", expected an integer");
  Result<int64_t> ok = CatchDecodeError<int64_t>("f.yaml", [] { return int64_t{5}; });
  EXPECT_EQ(*ok, 5);
}

TEST_F(YamlFieldTest, DescribeQuotesStringsButNotNumbers) {
  YamlField f = Parse("a: \"12\"\nb: 12\nc: ''\nd: [1]\n");
  EXPECT_EQ(f["a"].Describe(), "\"12\"");
  EXPECT_EQ(f["b"].Describe(), "12");
  EXPECT_EQ(f["c"].Describe(), "\"\"");
  EXPECT_EQ(f["d"].Describe(), "a list");
  EXPECT_EQ(f["e"].Describe(), "nothing");
}

}  // namespace
}  // namespace adze::codec
