#include "model/requirement_expression.h"

#include <gtest/gtest.h>

namespace adze::model {
namespace {

Requirement ParseSingle(std::string_view text) {
  auto r = ParseRequirementExpression(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  EXPECT_EQ(r->size(), 1u);
  return r->front().requirement;
}

TEST(RequirementExpression, SetOperators) {
  Requirement in = ParseSingle("karpenter.k8s.aws/instance-gpu-name in (h100, a100)");
  EXPECT_EQ(in.op(), Operator::kIn);
  EXPECT_TRUE(in.Has("h100"));
  EXPECT_TRUE(in.Has("a100"));
  EXPECT_FALSE(in.Has("t4"));

  Requirement notin = ParseSingle("karpenter.k8s.aws/instance-family NotIn (p3,g3)");
  EXPECT_EQ(notin.op(), Operator::kNotIn);
  EXPECT_FALSE(notin.Has("p3"));
  EXPECT_TRUE(notin.Has("p5"));
}

TEST(RequirementExpression, EqualityExistenceAndBounds) {
  EXPECT_TRUE(ParseSingle("karpenter.k8s.aws/instance-gpu-name=h100").Has("h100"));
  EXPECT_TRUE(ParseSingle("karpenter.k8s.aws/instance-gpu-name==h100").Has("h100"));
  EXPECT_FALSE(ParseSingle("karpenter.k8s.aws/instance-gpu-name!=h100").Has("h100"));
  EXPECT_EQ(ParseSingle("karpenter.k8s.aws/instance-gpu-count").op(), Operator::kExists);
  EXPECT_EQ(ParseSingle("!karpenter.k8s.aws/instance-gpu-count").op(), Operator::kDoesNotExist);

  Requirement ge = ParseSingle("karpenter.k8s.aws/instance-gpu-count>=4");
  EXPECT_FALSE(ge.Has("3"));
  EXPECT_TRUE(ge.Has("4"));
  Requirement gt = ParseSingle("karpenter.k8s.aws/instance-gpu-count > 4");
  EXPECT_FALSE(gt.Has("4"));
  EXPECT_TRUE(gt.Has("8"));
  EXPECT_TRUE(ParseSingle("karpenter.k8s.aws/instance-cpu<=8").Has("8"));
  EXPECT_FALSE(ParseSingle("karpenter.k8s.aws/instance-cpu<8").Has("8"));
}

TEST(RequirementExpression, CommaJoinsExpressionsOutsideParentheses) {
  auto r = ParseRequirementExpression("kubernetes.io/arch=amd64, karpenter.k8s.aws/instance-gpu-name in (h100,a100)");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].requirement.key(), "kubernetes.io/arch");
  EXPECT_EQ((*r)[1].requirement.key(), "karpenter.k8s.aws/instance-gpu-name");
  EXPECT_EQ((*r)[1].key_begin, 26u);
}

TEST(RequirementExpression, ErrorsPointAtTheOffendingToken) {
  struct Case {
    std::string text;
    std::string message;
    std::string caret;  // the second line of PointAt
  };
  std::vector<Case> cases = {
      {"gpu inn (h100)", "unknown operator \"inn\"", "      ^~~"},
      {"gpu in h100", "expected '(' to open the value list", "         ^"},
      {"gpu in (h100", "expected ',' or ')'", "              ^"},
      {"gpu>=four", "needs a non-negative integer, found \"four\"", "       ^~~~"},
      {"gpu>=-1", "needs a non-negative integer", "       ^~"},
      {"gpu=", "expected a value after \"=\"", "      ^"},
      {"gpu=h100 x", "expected ',' or the end", "           ^"},
      {"", "empty requirement expression", "  ^"},
      {"=h100", "expected a label key", "  ^"},
  };
  for (const Case& c : cases) {
    auto r = ParseRequirementExpression(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    const std::string& m = r.error().message;
    EXPECT_NE(m.find(c.message), std::string::npos) << c.text << " -> " << m;
    EXPECT_NE(m.find("\n  " + c.text + "\n" + c.caret), std::string::npos) << c.text << " -> " << m;
  }
}

}  // namespace
}  // namespace adze::model
