#include "ports/random_stream.h"

#include <cmath>
#include <set>

#include <gtest/gtest.h>

namespace adze::ports {
namespace {

TEST(RandomStreamTest, SameSeedAndNameGiveSameDraws) {
  RandomStream a(42, "ec2/spot");
  RandomStream b(42, "ec2/spot");
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.NextU64(), b.NextU64());
}

TEST(RandomStreamTest, OtherNameOrSeedGivesOtherDraws) {
  RandomStream a(42, "ec2/spot");
  RandomStream b(42, "kubelet/boot");
  RandomStream c(43, "ec2/spot");
  const uint64_t first = a.NextU64();
  EXPECT_NE(first, b.NextU64());
  EXPECT_NE(first, c.NextU64());
}

TEST(RandomStreamTest, UniformStaysInRangeWithTheRightMean) {
  RandomStream r(1, "u");
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = r.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.01);
}

TEST(RandomStreamTest, BelowCoversEveryValue) {
  RandomStream r(1, "below");
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t v = r.Below(7);
    ASSERT_LT(v, 7u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
}

TEST(RandomStreamTest, DistributionMeansMatchTheirParameters) {
  RandomStream r(7, "dist");
  const int n = 200000;
  double exp_sum = 0, normal_sum = 0, normal_sq = 0, poisson_sum = 0, big_poisson_sum = 0;
  for (int i = 0; i < n; ++i) {
    exp_sum += r.Exponential(4.0);
    const double z = r.Normal();
    normal_sum += z;
    normal_sq += z * z;
    poisson_sum += static_cast<double>(r.Poisson(3.5));
    big_poisson_sum += static_cast<double>(r.Poisson(200));
  }
  EXPECT_NEAR(exp_sum / n, 0.25, 0.005);
  EXPECT_NEAR(normal_sum / n, 0.0, 0.01);
  EXPECT_NEAR(normal_sq / n, 1.0, 0.02);
  EXPECT_NEAR(poisson_sum / n, 3.5, 0.03);
  EXPECT_NEAR(big_poisson_sum / n, 200, 0.5);
}

TEST(RandomStreamTest, LogNormalMedianIsExpMu) {
  RandomStream r(9, "lognormal");
  int below = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) below += r.LogNormal(std::log(600.0), 1.0) < 600.0;
  EXPECT_NEAR(static_cast<double>(below) / n, 0.5, 0.01);
}

}  // namespace
}  // namespace adze::ports
