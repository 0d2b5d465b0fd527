#include "scheduling/bin_packing.h"

#include <gtest/gtest.h>

#include <random>

namespace adze::scheduling {
namespace {

// Every item packed exactly once, every bin within its shape, cost = Σ prices.
void ExpectValid(const std::vector<BinShape>& shapes, const std::vector<ItemClass>& classes,
                 const BinPackingResult& result) {
  std::vector<int64_t> packed(classes.size(), 0);
  double cost = 0;
  for (const PackedBin& b : result.bins) {
    ASSERT_LT(b.shape, shapes.size());
    ASSERT_EQ(b.take.size(), classes.size());
    cost += shapes[b.shape].price;
    for (size_t r = 0; r < shapes[b.shape].capacity.size(); ++r) {
      int64_t used = 0;
      for (size_t k = 0; k < classes.size(); ++k) used += b.take[k] * classes[k].size[r];
      EXPECT_LE(used, shapes[b.shape].capacity[r]);
    }
    int64_t items = 0;
    for (size_t k = 0; k < classes.size(); ++k) {
      EXPECT_GE(b.take[k], 0);
      packed[k] += b.take[k];
      items += b.take[k];
    }
    EXPECT_GT(items, 0) << "empty bin";
  }
  for (size_t k = 0; k < classes.size(); ++k) EXPECT_EQ(packed[k], classes[k].count) << "class " << k;
  EXPECT_NEAR(result.cost, cost, 1e-9);
}

// Capacity 10, items 5, 4, 4, 3, 2, 2 (total 20). First-fit decreasing puts
// 5+4, then 4+3+2, and the last 2 fits neither: 3 bins. Two are enough:
// 5+3+2 and 4+4+2.
TEST(BinPacking, FindsTheOptimumFirstFitDecreasingMisses) {
  const std::vector<BinShape> shapes = {{{10}, 1.0}};
  const std::vector<ItemClass> classes = {{{5}, 1}, {{4}, 2}, {{3}, 1}, {{2}, 2}};
  std::optional<BinPackingResult> greedy = PackFirstFitDecreasing(shapes, classes);
  ASSERT_TRUE(greedy);
  ExpectValid(shapes, classes, *greedy);
  EXPECT_EQ(greedy->bins.size(), 3u);
  std::optional<BinPackingResult> packed = PackBins(shapes, classes);
  ASSERT_TRUE(packed);
  ExpectValid(shapes, classes, *packed);
  EXPECT_EQ(packed->bins.size(), 2u);
  EXPECT_NEAR(packed->cost, 2.0, 1e-9);
  EXPECT_TRUE(packed->relaxation_exact);
  EXPECT_NEAR(packed->relaxation, 2.0, 1e-9);
}

// Two dimensions (CPU, GPUs) and three shapes, like the GPU pools: a 2-GPU
// node for 0.60 and 1-GPU nodes for 0.29 (8 CPU) or 0.40 (16 CPU). Three
// items of 12 CPU cost 0.40 alone and 0.30 on a shared 2-GPU node; three of
// 6 CPU cost 0.29 alone. The optimum pairs two big items, pairs the third
// with a small one and leaves two small ones alone: 0.60 + 0.60 + 2 × 0.29 =
// 1.78. The relaxation pairs 1.5 big pairs: 0.90 + 3 × 0.29 = 1.77.
TEST(BinPacking, PairsItemsOnTheCheaperPerItemShape) {
  const std::vector<BinShape> shapes = {{{64, 2}, 0.60}, {{8, 1}, 0.29}, {{16, 1}, 0.40}};
  const std::vector<ItemClass> classes = {{{12, 1}, 3}, {{6, 1}, 3}};
  std::optional<BinPackingResult> packed = PackBins(shapes, classes);
  ASSERT_TRUE(packed);
  ExpectValid(shapes, classes, *packed);
  EXPECT_NEAR(packed->cost, 1.78, 1e-9);
  EXPECT_TRUE(packed->relaxation_exact);
  EXPECT_NEAR(packed->relaxation, 1.77, 1e-9);
}

TEST(BinPacking, RejectsItemsThatFitNoShape) {
  const std::vector<BinShape> shapes = {{{10, 10}, 1.0}};
  EXPECT_FALSE(PackBins(shapes, {{{11, 1}, 1}}));
  EXPECT_FALSE(PackFirstFitDecreasing(shapes, {{{1, 11}, 1}}));
  EXPECT_FALSE(PackBins(shapes, {{{1}, 1}})) << "dimension mismatch";
}

// Random instances: always valid, never below the relaxation when that is
// exact, and the same input gives the same bins.
TEST(BinPacking, RandomInstancesAreValidAndDeterministic) {
  std::mt19937 rng(7);  // fixed seed: the same instances every run
  for (int instance = 0; instance < 60; ++instance) {
    std::vector<BinShape> shapes;
    const int num_shapes = 1 + static_cast<int>(rng() % 4);
    for (int s = 0; s < num_shapes; ++s) {
      const int64_t cpu = 8 << (rng() % 4), mem = 16 << (rng() % 4);
      shapes.push_back({{cpu, mem}, 0.05 * static_cast<double>(cpu) + 0.01 * static_cast<double>(mem) + 0.01 * s});
    }
    std::vector<ItemClass> classes;
    const int num_classes = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < num_classes; ++k) {
      classes.push_back({{1 + static_cast<int64_t>(rng() % 8), 1 + static_cast<int64_t>(rng() % 16)},
                         1 + static_cast<int64_t>(rng() % 30)});
    }
    std::optional<BinPackingResult> a = PackBins(shapes, classes);
    std::optional<BinPackingResult> greedy = PackFirstFitDecreasing(shapes, classes);
    ASSERT_EQ(a.has_value(), greedy.has_value());
    if (!a) continue;
    ExpectValid(shapes, classes, *a);
    ExpectValid(shapes, classes, *greedy);
    if (a->relaxation_exact) {
      EXPECT_GE(a->cost, a->relaxation - 1e-6);
    }
    std::optional<BinPackingResult> b = PackBins(shapes, classes);
    ASSERT_TRUE(b);
    ASSERT_EQ(a->bins.size(), b->bins.size());
    for (size_t i = 0; i < a->bins.size(); ++i) {
      EXPECT_EQ(a->bins[i].shape, b->bins[i].shape);
      EXPECT_EQ(a->bins[i].take, b->bins[i].take);
    }
  }
}

}  // namespace
}  // namespace adze::scheduling
