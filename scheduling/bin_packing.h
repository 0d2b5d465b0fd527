// BinPacking: variable-sized vector bin packing. Items come in classes (equal
// size vectors, a count each); bins come in shapes (a capacity vector and a
// price). Find bins of minimum total price holding every item.
//
// PackBins solves the LP relaxation over bin patterns by column generation
// (Gilmore–Gomory: the master is a CoveringLp, new patterns come from a
// bounded knapsack per shape priced by the master's duals), takes each
// pattern as many whole times as the LP does (or one fewer, see
// PackBins), and solves the LP again on the items left until none are left
// (past the round limit PackFirstFitDecreasing packs the rest). On
// cutting-stock-like inputs this lands within a bin or two of the
// relaxation, where greedy packers lose a few percent.
//
// Pure functions, deterministic (ties on the lowest index, no clocks).
// Thread-safety: safe to call concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace adze::scheduling {

struct BinShape {
  std::vector<int64_t> capacity;  // one entry per dimension
  double price = 0;               // > 0
};

struct ItemClass {
  std::vector<int64_t> size;  // one entry per dimension, each ≥ 0
  int64_t count = 0;          // > 0
};

struct PackedBin {
  size_t shape = 0;
  std::vector<int64_t> take;  // per class: items of that class in the bin
};

struct BinPackingResult {
  std::vector<PackedBin> bins;
  double cost = 0;  // Σ price of the bins' shapes
  // Value of the first LP relaxation found. A lower bound on any packing's
  // cost when relaxation_exact (column generation ran to the end with every
  // knapsack solved exactly).
  double relaxation = 0;
  bool relaxation_exact = false;
};

struct BinPackingOptions {
  // Past this many classes the master LP (dense, classes² per pivot) is too
  // slow: PackBins returns nullopt.
  size_t max_classes = 256;
  // LP solves on the residual items before the rest is packed first-fit.
  size_t max_rounds = 128;
  // Pricing rounds per LP solve.
  size_t max_generations = 400;
  // Branch-and-bound nodes per knapsack; past it the best pattern found so
  // far is used (the LP is then only approximately optimal).
  size_t max_knapsack_nodes = 1000;
};

// Returns the packing, or nullopt when some item fits no shape, a size,
// capacity or count is malformed, or there are more than max_classes classes.
// REQUIRES: every shape and class has the same number of dimensions.
std::optional<BinPackingResult> PackBins(const std::vector<BinShape>& shapes, const std::vector<ItemClass>& classes,
                                         const BinPackingOptions& options = {});

// The greedy baseline (and PackBins's repair step): items by decreasing size
// (their largest share of the biggest capacity of any shape), each into the
// first open bin that still fits some shape without its price rising by more
// than the item would cost in a bin of its own; else a new bin. Each bin is
// priced at the cheapest shape holding it. nullopt when some item fits no
// shape.
std::optional<BinPackingResult> PackFirstFitDecreasing(const std::vector<BinShape>& shapes,
                                                       const std::vector<ItemClass>& classes);

}  // namespace adze::scheduling
