#include "scheduling/bin_packing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>
#include <utility>

#include "scheduling/covering_lp.h"

namespace adze::scheduling {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool Valid(const std::vector<BinShape>& shapes, const std::vector<ItemClass>& classes) {
  if (shapes.empty()) return false;
  const size_t dims = shapes.front().capacity.size();
  for (const BinShape& s : shapes) {
    if (s.capacity.size() != dims || !(s.price > 0) || s.price == kInf) return false;
    if (std::any_of(s.capacity.begin(), s.capacity.end(), [](int64_t c) { return c < 0; })) return false;
  }
  for (const ItemClass& c : classes) {
    if (c.size.size() != dims || c.count < 0) return false;
    if (std::any_of(c.size.begin(), c.size.end(), [](int64_t v) { return v < 0; })) return false;
  }
  return true;
}

// Items of class c one bin of shape s holds alone, at most `cap`.
int64_t Copies(const BinShape& s, const ItemClass& c, int64_t cap) {
  int64_t q = cap;
  for (size_t r = 0; r < s.capacity.size(); ++r) {
    if (c.size[r] > 0) q = std::min(q, s.capacity[r] / c.size[r]);
  }
  return q;
}

bool FitsIn(const std::vector<int64_t>& used, const std::vector<int64_t>& capacity) {
  for (size_t r = 0; r < used.size(); ++r) {
    if (used[r] > capacity[r]) return false;
  }
  return true;
}

// The cheapest shape that holds `used` (ties: lowest index), or SIZE_MAX.
size_t CheapestShape(const std::vector<BinShape>& shapes, const std::vector<int64_t>& used) {
  size_t best = SIZE_MAX;
  for (size_t s = 0; s < shapes.size(); ++s) {
    if (FitsIn(used, shapes[s].capacity) && (best == SIZE_MAX || shapes[s].price < shapes[best].price)) best = s;
  }
  return best;
}

std::vector<int64_t> Used(const std::vector<ItemClass>& classes, const std::vector<int64_t>& take, size_t dims) {
  std::vector<int64_t> used(dims, 0);
  for (size_t k = 0; k < take.size(); ++k) {
    for (size_t r = 0; r < dims && take[k] > 0; ++r) used[r] += take[k] * classes[k].size[r];
  }
  return used;
}

// The pattern of one shape with the most dual value: a bounded
// multi-dimensional knapsack, by depth-first branch and bound over the
// classes in value-density order (largest counts first, so the first leaf is
// the greedy fill). Bounds on what classes i.. can add: QuickBound, then,
// when that does not prune, Bound (tighter, linear in the classes).
class Knapsack {
 public:
  Knapsack(const BinShape& shape, const std::vector<ItemClass>& classes, const std::vector<int64_t>& upper,
           const std::vector<double>& value, size_t max_nodes)
      : classes_(classes), dims_(shape.capacity.size()), max_nodes_(max_nodes), remaining_(shape.capacity) {
    for (size_t k = 0; k < classes.size(); ++k) {
      if (value[k] <= 1e-12 || upper[k] <= 0) continue;
      const int64_t q = Copies(shape, classes[k], upper[k]);
      if (q <= 0) continue;
      double load = 0;  // largest share of the bin one item takes
      for (size_t r = 0; r < dims_; ++r) {
        if (classes[k].size[r] > 0) {
          load = std::max(load, static_cast<double>(classes[k].size[r]) / static_cast<double>(shape.capacity[r]));
        }
      }
      items_.push_back({k, q, value[k], load > 0 ? value[k] / load : kInf});
    }
    std::stable_sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) { return a.density > b.density; });
    const size_t n = items_.size();
    suffix_value_.assign(n + 1, 0.0);
    suffix_ratio_.assign((n + 1) * dims_, 0.0);
    for (size_t i = n; i-- > 0;) {
      const Item& it = items_[i];
      suffix_value_[i] = suffix_value_[i + 1] + it.value * static_cast<double>(it.upper);
      for (size_t r = 0; r < dims_; ++r) {
        const int64_t s = classes_[it.k].size[r];
        const double ratio = s > 0 ? it.value / static_cast<double>(s) : kInf;
        suffix_ratio_[i * dims_ + r] = std::max(suffix_ratio_[(i + 1) * dims_ + r], ratio);
      }
    }
    fit_.assign(n, 0);
    take_.assign(n, 0);
    best_take_.assign(n, 0);
  }

  // Returns the best value above `floor` and sets *take (one entry per
  // class) to its pattern; returns floor with an empty pattern when none is
  // above it. (Column generation wants only patterns worth more than the
  // bin's price: the floor prunes most of the search.)
  double Solve(double floor, std::vector<int64_t>* take) {
    best_ = floor;
    Search(0, 0.0);
    take->assign(classes_.size(), 0);
    for (size_t i = 0; i < items_.size(); ++i) (*take)[items_[i].k] = best_take_[i];
    return best_;
  }
  // False when the node limit cut the search short.
  bool exact() const { return nodes_ < max_nodes_; }

 private:
  struct Item {
    size_t k;
    int64_t upper;
    double value;
    double density;
  };

  // Per dimension that some item uses: item positions by value per unit of
  // it, best first (items not using it first of all). Built on the first
  // Bound call: most searches end at the root on QuickBound.
  void SortByRatio() {
    const size_t n = items_.size();
    for (size_t r = 0; r < dims_; ++r) {
      std::vector<size_t> order;
      bool used = false;
      for (size_t i = 0; i < n; ++i) {
        order.push_back(i);
        used |= classes_[items_[i].k].size[r] > 0;
      }
      if (!used) continue;
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return Ratio(a, r) > Ratio(b, r); });
      by_ratio_.push_back({r, std::move(order)});
    }
    sorted_ = true;
  }

  double Ratio(size_t i, size_t r) const {
    const int64_t s = classes_[items_[i].k].size[r];
    return s > 0 ? items_[i].value / static_cast<double>(s) : kInf;
  }

  // Cheap bound: per dimension, the capacity left × the best value per unit.
  double QuickBound(size_t i) const {
    double b = suffix_value_[i];
    for (size_t r = 0; r < dims_; ++r) {
      const double ratio = suffix_ratio_[i * dims_ + r];
      if (ratio != kInf) b = std::min(b, static_cast<double>(remaining_[r]) * ratio);
    }
    return b;
  }

  // Tighter bound: each item i.. limited to the copies that still fit (in
  // every dimension), then per dimension the fractional knapsack over it
  // alone (Dantzig's bound); the smallest.
  double Bound(size_t i) {
    if (!sorted_) SortByRatio();
    double b = 0;
    for (size_t j = i; j < items_.size(); ++j) {
      const std::vector<int64_t>& size = classes_[items_[j].k].size;
      int64_t q = items_[j].upper;
      for (size_t r = 0; r < dims_ && q > 0; ++r) {
        if (size[r] > 0) q = std::min(q, remaining_[r] / size[r]);
      }
      fit_[j] = q;
      b += static_cast<double>(q) * items_[j].value;
    }
    for (const auto& [r, order] : by_ratio_) {
      double cap = static_cast<double>(remaining_[r]);
      double v = 0;
      for (size_t j : order) {
        if (j < i || fit_[j] == 0) continue;
        const double s = static_cast<double>(classes_[items_[j].k].size[r]);
        const double q = s > 0 ? std::min(static_cast<double>(fit_[j]), cap / s) : static_cast<double>(fit_[j]);
        v += q * items_[j].value;
        cap -= q * s;
        if (cap <= 0 || v >= b) break;
      }
      b = std::min(b, v);
    }
    return b;
  }

  void Search(size_t i, double value) {
    if (nodes_ >= max_nodes_) return;
    ++nodes_;
    if (value > best_ + 1e-12) {
      best_ = value;
      best_take_ = take_;
    }
    if (i == items_.size() || value + QuickBound(i) <= best_ + 1e-12 || value + Bound(i) <= best_ + 1e-12) return;
    const Item& it = items_[i];
    const std::vector<int64_t>& size = classes_[it.k].size;
    int64_t q = it.upper;
    for (size_t r = 0; r < dims_; ++r) {
      if (size[r] > 0) q = std::min(q, remaining_[r] / size[r]);
    }
    for (int64_t t = q; t >= 0 && nodes_ < max_nodes_; --t) {
      for (size_t r = 0; r < dims_; ++r) remaining_[r] -= t * size[r];
      take_[i] = t;
      Search(i + 1, value + static_cast<double>(t) * it.value);
      for (size_t r = 0; r < dims_; ++r) remaining_[r] += t * size[r];
    }
    take_[i] = 0;
  }

  const std::vector<ItemClass>& classes_;
  size_t dims_;
  size_t max_nodes_;
  size_t nodes_ = 0;
  std::vector<int64_t> remaining_;
  std::vector<Item> items_;
  std::vector<double> suffix_value_;
  std::vector<double> suffix_ratio_;  // [i × dims + r]
  std::vector<std::pair<size_t, std::vector<size_t>>> by_ratio_;  // (dimension, item order)
  bool sorted_ = false;       // by_ratio_ built
  std::vector<int64_t> fit_;  // scratch of Bound: copies of each item that fit
  std::vector<int64_t> take_, best_take_;
  double best_ = 0;
};

struct Pattern {
  size_t shape;
  std::vector<int64_t> take;  // per class
  bool operator<(const Pattern& o) const { return std::tie(shape, take) < std::tie(o.shape, o.take); }
};

// Prices every bin at the cheapest shape that holds it (a capped pattern may
// fit a smaller one) and sums the cost.
void Reprice(const std::vector<BinShape>& shapes, const std::vector<ItemClass>& classes, BinPackingResult* out) {
  const size_t dims = shapes.front().capacity.size();
  out->cost = 0;
  for (PackedBin& b : out->bins) {
    const size_t s = CheapestShape(shapes, Used(classes, b.take, dims));
    if (s != SIZE_MAX && shapes[s].price <= shapes[b.shape].price) b.shape = s;
    out->cost += shapes[b.shape].price;
  }
}

// The column-generation master over the items still to pack. Patterns
// found in one solve are kept (capped to the items left) for the next.
class Master {
 public:
  struct Solution {
    std::vector<Pattern> columns;
    std::vector<double> values;  // per column: times the LP uses it
    double objective = 0;
    bool exact = false;  // LP optimal over all patterns (not only those found)
  };

  Master(const std::vector<BinShape>& shapes, const std::vector<ItemClass>& classes, const BinPackingOptions& options)
      : shapes_(shapes), classes_(classes), options_(options) {}

  // escalate: search harder before declaring the LP optimal (see below).
  // REQUIRES: some residual > 0, and every class with items left fits a shape.
  Solution Solve(const std::vector<int64_t>& residual, bool escalate) {
    const size_t num_classes = classes_.size();
    std::vector<size_t> rows;  // classes with items left
    std::vector<double> demand;
    for (size_t k = 0; k < num_classes; ++k) {
      if (residual[k] <= 0) continue;
      rows.push_back(k);
      demand.push_back(static_cast<double>(residual[k]));
    }
    CoveringLp lp(std::move(demand));
    Solution out;
    std::set<Pattern> in_lp;
    auto add = [&](Pattern p) {
      if (!in_lp.insert(p).second) return false;
      std::vector<double> coefficients(rows.size());
      for (size_t i = 0; i < rows.size(); ++i) coefficients[i] = static_cast<double>(p.take[rows[i]]);
      lp.AddColumn(shapes_[p.shape].price, std::move(coefficients));
      out.columns.push_back(std::move(p));
      return true;
    };
    // Starting basis: each class alone, on the shape cheapest per item.
    for (size_t k : rows) {
      size_t best = SIZE_MAX;
      int64_t best_q = 0;
      for (size_t s = 0; s < shapes_.size(); ++s) {
        const int64_t q = Copies(shapes_[s], classes_[k], residual[k]);
        if (q <= 0) continue;
        if (best == SIZE_MAX ||
            shapes_[s].price * static_cast<double>(best_q) < shapes_[best].price * static_cast<double>(q)) {
          best = s;
          best_q = q;
        }
      }
      Pattern p{best, std::vector<int64_t>(num_classes, 0)};
      p.take[k] = best_q;
      add(std::move(p));
    }
    for (const Pattern& p : pool_) {
      Pattern capped{p.shape, p.take};
      bool any = false;
      for (size_t k = 0; k < num_classes; ++k) {
        capped.take[k] = std::min(capped.take[k], residual[k]);
        any |= capped.take[k] > 0;
      }
      if (any) add(std::move(capped));
    }
    bool exact = false, converged = false;
    std::vector<double> value(num_classes);
    // Partial pricing: after a pass, only the shapes that gave a pattern are
    // priced again, until none does; then a full pass decides. When that
    // finds nothing but some knapsacks hit the node limit, those are searched
    // again with a larger one (escalate: ×8 up to twice) — with many classes
    // of near-equal value a capped search can miss the improving pattern and
    // leave the LP well above its optimum.
    std::vector<char> priced(shapes_.size(), 1);
    bool verifying = true;
    size_t node_limit = options_.max_knapsack_nodes;
    const size_t max_node_limit = escalate ? node_limit * 64 : node_limit;
    for (size_t gen = 0; gen < options_.max_generations; ++gen) {
      const bool optimal = lp.Solve();
      std::fill(value.begin(), value.end(), 0.0);
      for (size_t i = 0; i < rows.size(); ++i) value[rows[i]] = lp.duals()[i];
      bool added = false;
      std::vector<char> productive(shapes_.size(), 0), capped(shapes_.size(), 0);
      for (size_t s = 0; s < shapes_.size(); ++s) {
        if (!priced[s]) continue;
        // Only patterns worth more than the bin's price (a negative reduced
        // cost) improve the master; tiny gains are not worth a pivot.
        const double floor = shapes_[s].price * (1 + 1e-6);
        Knapsack knapsack(shapes_[s], classes_, residual, value, node_limit);
        Pattern p{s, {}};
        const double v = knapsack.Solve(floor, &p.take);
        capped[s] = !knapsack.exact();
        if (v <= floor) continue;
        pool_.insert(p);
        productive[s] = add(std::move(p));
        added |= productive[s] != 0;
      }
      const bool any_capped = std::find(capped.begin(), capped.end(), 1) != capped.end();
      if (added) {
        priced = std::move(productive);
        verifying = false;
        node_limit = options_.max_knapsack_nodes;
      } else if (!verifying) {
        priced.assign(shapes_.size(), 1);
        verifying = true;
      } else if (any_capped && node_limit < max_node_limit) {
        priced = std::move(capped);
        node_limit *= 8;
      } else {
        exact = !any_capped;
        converged = optimal;
        break;
      }
    }
    out.objective = lp.objective();
    out.exact = exact && converged;
    for (size_t j = 0; j < out.columns.size(); ++j) out.values.push_back(lp.value(j));
    return out;
  }

 private:
  const std::vector<BinShape>& shapes_;
  const std::vector<ItemClass>& classes_;
  const BinPackingOptions& options_;
  std::set<Pattern> pool_;  // every pattern generated so far
};

// Takes every pattern of the solution as many whole times as the LP uses it
// (most used first), less hold_back copies each, each copy capped to the
// items left. When that takes nothing, takes the most used pattern once, so
// every round packs at least one bin.
void TakeRounded(const Master::Solution& solution, int64_t hold_back, std::vector<int64_t>* residual,
                 std::vector<PackedBin>* bins) {
  std::vector<size_t> order(solution.columns.size());
  for (size_t j = 0; j < order.size(); ++j) order[j] = j;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return solution.values[a] > solution.values[b]; });
  auto take_once = [&](const Pattern& p) {
    PackedBin b{p.shape, std::vector<int64_t>(residual->size(), 0)};
    bool any = false;
    for (size_t k = 0; k < residual->size(); ++k) {
      b.take[k] = std::min(p.take[k], (*residual)[k]);
      (*residual)[k] -= b.take[k];
      any |= b.take[k] > 0;
    }
    if (any) bins->push_back(std::move(b));
    return any;
  };
  bool took = false;
  for (size_t j : order) {
    const int64_t copies = static_cast<int64_t>(std::floor(solution.values[j] + 1e-9)) - hold_back;
    for (int64_t c = 0; c < copies && take_once(solution.columns[j]); ++c) took = true;
  }
  if (!took && !order.empty()) take_once(solution.columns[order.front()]);
}

}  // namespace

std::optional<BinPackingResult> PackFirstFitDecreasing(const std::vector<BinShape>& shapes,
                                                       const std::vector<ItemClass>& classes) {
  if (!Valid(shapes, classes)) return std::nullopt;
  const size_t dims = shapes.front().capacity.size();
  std::vector<int64_t> biggest(dims, 0);
  for (const BinShape& s : shapes) {
    for (size_t r = 0; r < dims; ++r) biggest[r] = std::max(biggest[r], s.capacity[r]);
  }
  std::vector<double> load(classes.size(), 0.0);
  std::vector<double> alone(classes.size(), kInf);  // price of an item in a bin of its own
  std::vector<size_t> order;
  for (size_t k = 0; k < classes.size(); ++k) {
    if (classes[k].count == 0) continue;
    const size_t s = CheapestShape(shapes, classes[k].size);
    if (s == SIZE_MAX) return std::nullopt;
    alone[k] = shapes[s].price;
    for (size_t r = 0; r < dims; ++r) {
      if (biggest[r] > 0) load[k] = std::max(load[k], static_cast<double>(classes[k].size[r]) / static_cast<double>(biggest[r]));
    }
    order.push_back(k);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return load[a] > load[b]; });
  struct Open {
    std::vector<int64_t> used;
    std::vector<int64_t> take;
    size_t shape;
  };
  std::vector<Open> bins;
  std::vector<int64_t> next(dims);
  for (size_t k : order) {
    const ItemClass& c = classes[k];
    // Bins only fill up, so one that refused an item of this class is not
    // asked again for the next (identical) one.
    size_t cursor = 0;
    for (int64_t n = 0; n < c.count; ++n) {
      bool placed = false;
      for (; cursor < bins.size(); ++cursor) {
        Open& b = bins[cursor];
        for (size_t r = 0; r < dims; ++r) next[r] = b.used[r] + c.size[r];
        const size_t s = CheapestShape(shapes, next);
        if (s == SIZE_MAX || shapes[s].price - shapes[b.shape].price > alone[k] + 1e-9) continue;
        b.used = next;
        b.shape = s;
        ++b.take[k];
        placed = true;
        break;
      }
      if (placed) continue;
      Open b{c.size, std::vector<int64_t>(classes.size(), 0), CheapestShape(shapes, c.size)};
      b.take[k] = 1;
      bins.push_back(std::move(b));
    }
  }
  BinPackingResult out;
  for (Open& b : bins) out.bins.push_back({b.shape, std::move(b.take)});
  Reprice(shapes, classes, &out);
  return out;
}

std::optional<BinPackingResult> PackBins(const std::vector<BinShape>& shapes, const std::vector<ItemClass>& classes,
                                         const BinPackingOptions& options) {
  if (!Valid(shapes, classes) || classes.size() > options.max_classes) return std::nullopt;
  std::vector<int64_t> counts;
  for (const ItemClass& c : classes) {
    if (c.count > 0 && CheapestShape(shapes, c.size) == SIZE_MAX) return std::nullopt;
    counts.push_back(c.count);
  }
  if (std::all_of(counts.begin(), counts.end(), [](int64_t c) { return c == 0; })) return BinPackingResult{};
  Master master(shapes, classes, options);
  const Master::Solution first = master.Solve(counts, /*escalate=*/true);
  // Rounding every pattern down at once can strand an item that the LP
  // meant to share a bin with items now taken (an odd item of a class the LP
  // pairs, whose partner class went into bins of its own). Holding back one
  // copy of each pattern per round leaves the next LP room to recombine, at
  // the price of more rounds; both are tried, the cheaper kept.
  std::optional<BinPackingResult> best;
  for (int64_t hold_back : {0, 1}) {
    // A packing at the (exact) relaxation's cost cannot be beaten.
    if (best && first.exact && best->cost <= first.objective * (1 + 1e-9)) break;
    BinPackingResult out;
    out.relaxation = first.objective;
    out.relaxation_exact = first.exact;
    std::vector<int64_t> residual = counts;
    auto left = [&] { return std::any_of(residual.begin(), residual.end(), [](int64_t r) { return r > 0; }); };
    Master::Solution solution = first;
    for (size_t round = 0; round < options.max_rounds && left(); ++round) {
      if (round > 0) solution = master.Solve(residual, /*escalate=*/false);
      TakeRounded(solution, hold_back, &residual, &out.bins);
    }
    if (left()) {
      std::vector<ItemClass> rest = classes;
      for (size_t k = 0; k < rest.size(); ++k) rest[k].count = residual[k];
      std::optional<BinPackingResult> repair = PackFirstFitDecreasing(shapes, rest);
      if (!repair) return std::nullopt;
      for (PackedBin& b : repair->bins) out.bins.push_back(std::move(b));
    }
    Reprice(shapes, classes, &out);
    if (!best || out.cost < best->cost - 1e-9) best = std::move(out);
  }
  return best;
}

}  // namespace adze::scheduling
