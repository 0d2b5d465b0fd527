#include "model/codec/document_loader.h"

#include <string>

#include <gtest/gtest.h>

#include "model/codec/yaml_field.h"

namespace adze::codec {
namespace {

std::string SyntaxError(std::string_view text, std::string_view file = "f.yaml") {
  try {
    LoadDocuments(text, file);
  } catch (const DecodeError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(DocumentLoaderTest, SplitsDocumentsAndDropsEmptyOnes) {
  std::vector<YamlNode> docs = LoadDocuments("---\na: 1\n---\n---\n# only a comment\n---\nb: 2\n", "f.yaml");
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[1]["b"].Scalar(), "2");
  EXPECT_EQ(docs[1].Mark().line, 6);  // 0-based
}

// Issue 15 class 8: documents are parsed one at a time; positions must be
// those of the whole file.
TEST(DocumentLoaderTest, ForEachDocumentKeepsFilePositions) {
  const std::string text = "# c\na: 1\n---\n---\nb: 2\n--- {c: [x,\n  y]}\n...\n---\nd: 4\n";
  std::vector<std::pair<int, int>> seen;  // (line, column) of each root's first value, 1-based
  std::vector<YamlNode> all = LoadDocuments(text, "f.yaml");
  ForEachDocument(text, "f.yaml", [&](const YamlNode& doc) {
    const YamlNode value = doc.Entries().at(0).second;
    seen.emplace_back(value.Mark().line + 1, value.Mark().column + 1);
  });
  ASSERT_EQ(seen.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    const YamlNode value = all[i].Entries().at(0).second;
    EXPECT_EQ(seen[i], std::make_pair(value.Mark().line + 1, value.Mark().column + 1)) << i;
  }
  std::string error;
  try {
    ForEachDocument("a: 1\n---\nb: 2\n---\nc: [1,\n", "f.yaml", [](const YamlNode&) {});
  } catch (const DecodeError& e) {
    error = e.what();
  }
  EXPECT_EQ(error, SyntaxError("a: 1\n---\nb: 2\n---\nc: [1,\n"));
}

TEST(DocumentLoaderTest, DetectsJson) {
  EXPECT_TRUE(LooksLikeJson("  \n{\"a\": 1}"));
  EXPECT_TRUE(LooksLikeJson("[1]"));
  EXPECT_FALSE(LooksLikeJson("a: {b: 1}"));
  EXPECT_FALSE(LooksLikeJson(""));
}

TEST(DocumentLoaderTest, JsonNodesCarryPositions) {
  std::vector<YamlNode> docs = LoadDocuments("{\n  \"a\": {\"b\": [1,\n    \"two\"]}\n}", "f.json");
  ASSERT_EQ(docs.size(), 1u);
  YamlNode two = docs[0]["a"]["b"][size_t{1}];
  EXPECT_EQ(two.Scalar(), "two");
  EXPECT_EQ(two.Mark().line + 1, 3);
  EXPECT_EQ(two.Mark().column + 1, 5);
}

TEST(DocumentLoaderTest, JsonThatYamlWouldAcceptIsStillRejected) {
  // A YAML parser reads `"b": }` as a null; strict JSON does not.
  EXPECT_EQ(SyntaxError("{\"a\": 1,\n \"b\": }", "f.json"),
            "f.json:2:7: invalid JSON: syntax error while parsing value - unexpected '}'; expected '[', '{', or a "
            "literal");
  EXPECT_EQ(SyntaxError("{\"a\": 1} trailing", "f.json"),
            "f.json:1:12: invalid JSON: syntax error while parsing value - invalid literal; last read: '1} tra'; "
            "expected end of input");
}

TEST(DocumentLoaderTest, YamlSyntaxErrorsArePositioned) {
  EXPECT_EQ(SyntaxError("a: 1\n  b: 2\n"), "f.yaml:2:4: invalid YAML: mapping values are not allowed in this context");
  EXPECT_EQ(SyntaxError("a:\n  - 1\n  - [2, 3\n"), "f.yaml:4:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)");
  EXPECT_EQ(SyntaxError("a: b: c\n"), "f.yaml:1:5: invalid YAML: mapping values are not allowed in this context");
}

// Issue 15 class 1: yaml-cpp 0.7 looped (collecting null documents until
// memory ran out) on these; libyaml, which replaced it, must end each with a
// positioned error.
TEST(DocumentLoaderTest, StreamsThatLoopedYamlCppAreRejected) {
  EXPECT_EQ(SyntaxError(",\n"), "f.yaml:1:1: invalid YAML: did not find expected node content (while parsing a block node)");
  EXPECT_EQ(SyntaxError("a: 1\n---\n,\n"), "f.yaml:3:1: invalid YAML: did not find expected node content (while parsing a block node)");
  EXPECT_NE(SyntaxError("]\n"), "<no error>");
  EXPECT_NE(SyntaxError("}\n"), "<no error>");
}

// Nine levels of ten aliases would make the decoders walk 10^9 nodes.
TEST(DocumentLoaderTest, ExcessiveAliasingIsRejected) {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int k = 1; k < 10; ++k) text += ", " + prev;
    text += "]\n";
  }
  std::string error = SyntaxError(text);
  EXPECT_NE(error.find("excessive aliasing"), std::string::npos) << error;
  // Ordinary anchors (a shared block reused a few times) stay legal.
  EXPECT_EQ(LoadDocuments("base: &b {cpu: 1}\none: *b\ntwo: *b\n", "f.yaml").size(), 1u);
}

TEST(DocumentLoaderTest, DeepNestingNamesTheLimit) {
  std::string deep = "a: " + std::string(3000, '[');
  std::string error = SyntaxError(deep);
  EXPECT_NE(error.find("nested deeper than"), std::string::npos) << error;
  EXPECT_EQ(error.find("bad file"), std::string::npos) << error;
}

// Issue 15 class 2: nlohmann throws out_of_range (not parse_error) for a
// number beyond a double; it must become a positioned error, not terminate.
TEST(DocumentLoaderTest, JsonNumberTooLargeForADoubleIsAnError) {
  EXPECT_EQ(SyntaxError("{\"a\": \"1e999\",\n \"b\": 1e999}", "f.json"),
            "f.json:2:7: invalid JSON: number overflow parsing '1e999'");
  EXPECT_NE(SyntaxError("[-1e400]", "f.json"), "<no error>");
}

// The core schema's nulls, as the API server reads them: plain empty, ~ and
// null are null; quoted they are strings.
TEST(DocumentLoaderTest, NullsFollowTheCoreSchema) {
  std::vector<YamlNode> docs =
      LoadDocuments("a:\nb: ~\nc: null\nd: NULL\ne: \"null\"\nf: ''\ng: !!null x\nh: nul\n", "f.yaml");
  ASSERT_EQ(docs.size(), 1u);
  for (const char* key : {"a", "b", "c", "d", "g"}) EXPECT_TRUE(docs[0][key].IsNull()) << key;
  for (const char* key : {"e", "f", "h"}) EXPECT_TRUE(docs[0][key].IsScalar()) << key;
  EXPECT_FALSE(docs[0]["e"].IsPlain());
  EXPECT_TRUE(docs[0]["h"].IsPlain());
  EXPECT_FALSE(docs[0]["zz"].IsDefined());
}

TEST(DocumentLoaderTest, AliasesShareTheAnchoredNode) {
  std::vector<YamlNode> docs = LoadDocuments("base: &b {cpu: \"1\"}\none: *b\nlist: [&s x, *s]\n", "f.yaml");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0]["one"]["cpu"].Scalar(), "1");
  EXPECT_EQ(docs[0]["one"].Mark().line, docs[0]["base"].Mark().line);  // the same node
  EXPECT_EQ(docs[0]["list"][size_t{1}].Scalar(), "x");
  // An alias to an anchor not (yet) complete cannot build a cycle.
  EXPECT_EQ(SyntaxError("a: &x [*x]\n"), "f.yaml:1:8: invalid YAML: unknown anchor \"x\"");
  EXPECT_EQ(SyntaxError("a: *nope\n"), "f.yaml:1:4: invalid YAML: unknown anchor \"nope\"");
}

TEST(DocumentLoaderTest, SkipsByteOrderMark) {
  std::vector<YamlNode> docs = LoadDocuments("\xEF\xBB\xBF" "a: 1\n", "f.yaml");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0]["a"].Scalar(), "1");
}

}  // namespace
}  // namespace adze::codec
