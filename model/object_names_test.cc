#include "model/object_names.h"

#include <string>

#include <gtest/gtest.h>

namespace adze::model {
namespace {

TEST(ObjectNamesTest, DnsSubdomain) {
  EXPECT_EQ(DnsSubdomainError("llm-serve-0"), "");
  EXPECT_EQ(DnsSubdomainError("ip-10-0-1-23.us-west-2.compute.internal"), "");
  EXPECT_NE(DnsSubdomainError(""), "");
  EXPECT_NE(DnsSubdomainError("Web"), "");
  EXPECT_NE(DnsSubdomainError("a b"), "");
  EXPECT_NE(DnsSubdomainError("-a"), "");
  EXPECT_NE(DnsSubdomainError("a..b"), "");
  EXPECT_NE(DnsSubdomainError("a."), "");
  EXPECT_EQ(DnsSubdomainError(std::string(253, 'a')), "");
  EXPECT_EQ(DnsSubdomainError(std::string(254, 'a')), "must be no more than 253 characters");
}

TEST(ObjectNamesTest, DnsLabel) {
  EXPECT_EQ(DnsLabelError("kube-system"), "");
  EXPECT_NE(DnsLabelError("a.b"), "");
  EXPECT_NE(DnsLabelError(std::string(64, 'a')), "");
}

TEST(ObjectNamesTest, QualifiedName) {
  EXPECT_EQ(QualifiedNameError("app"), "");
  EXPECT_EQ(QualifiedNameError("App_1.x"), "");
  EXPECT_EQ(QualifiedNameError("karpenter.k8s.aws/instance-gpu-count"), "");
  EXPECT_NE(QualifiedNameError(""), "");
  EXPECT_NE(QualifiedNameError("a/b/c"), "");
  EXPECT_NE(QualifiedNameError("/b"), "");
  EXPECT_NE(QualifiedNameError("a/"), "");
  EXPECT_NE(QualifiedNameError("Example.com/b"), "");
  EXPECT_NE(QualifiedNameError("b-"), "");
  EXPECT_NE(QualifiedNameError("has space"), "");
  EXPECT_NE(QualifiedNameError(std::string(64, 'a')), "");
}

TEST(ObjectNamesTest, LabelValue) {
  EXPECT_EQ(LabelValueError(""), "");
  EXPECT_EQ(LabelValueError("NVIDIA-H100-80GB-HBM3"), "");
  EXPECT_EQ(LabelValueError("v1.2_x"), "");
  EXPECT_EQ(LabelValueError(std::string(63, 'a')), "");
  EXPECT_NE(LabelValueError(std::string(64, 'a')), "");
  EXPECT_NE(LabelValueError("has space"), "");
  EXPECT_NE(LabelValueError("a/b"), "");
  EXPECT_NE(LabelValueError("-a"), "");
  EXPECT_NE(LabelValueError("a."), "");
}

}  // namespace
}  // namespace adze::model
