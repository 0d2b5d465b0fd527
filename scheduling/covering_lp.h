// CoveringLp: a small dense linear program of the covering form
//
//   minimise  Σ_j cost_j x_j   subject to   Σ_j a_kj x_j ≥ demand_k  (every row k),   x ≥ 0,
//
// with a_kj ≥ 0, cost_j > 0 and demand_k > 0: the master problem of column
// generation for bin packing (rows are item classes, columns are bin
// patterns). Solved by the revised simplex method on an explicit basis
// inverse, which is fine for the few hundred rows a solve has; columns can be
// added between solves and the last basis is reused (warm start).
//
// The first `rows` columns added must be the starting basis: column k covers
// row k only (a_kk > 0). The solution is then always primal feasible.
//
// Deterministic: ties are broken on the lowest index. Thread-safety: none
// (a value type; use one per thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace adze::scheduling {

class CoveringLp {
 public:
  // REQUIRES: every demand > 0.
  explicit CoveringLp(std::vector<double> demand);

  // Adds column j (returned) with the given cost and coefficients (one per row).
  // REQUIRES: cost > 0, coefficients ≥ 0; the first rows() columns form the
  // starting basis (see above).
  size_t AddColumn(double cost, std::vector<double> coefficients);

  // Runs the simplex from the current basis for at most max_pivots pivots.
  // Returns true when the basis is optimal for the columns added so far.
  bool Solve(size_t max_pivots = 20000);

  size_t rows() const { return demand_.size(); }
  size_t columns() const { return cost_.size(); }
  double objective() const;
  // Value of column j in the current basic solution.
  double value(size_t j) const;
  // Row duals (shadow prices) of the current basis; ≥ 0 when optimal.
  const std::vector<double>& duals() const { return duals_; }

 private:
  void Refactor();        // recomputes the basis inverse and values from scratch
  void ComputeDuals();
  std::vector<double> Ftran(size_t var) const;  // B⁻¹ × column of var
  void Pivot(size_t row, size_t var, const std::vector<double>& u);

  // A variable is a column index, or kSurplus + k for row k's surplus
  // (coefficient −1 in row k, cost 0).
  static constexpr size_t kSurplus = size_t{1} << 62;
  double Cost(size_t var) const { return var >= kSurplus ? 0.0 : cost_[var]; }

  std::vector<double> demand_;
  std::vector<double> cost_;                      // per column
  std::vector<std::vector<double>> column_;       // per column, one entry per row
  // The same, nonzeros only: patterns use few classes, and pricing every
  // column at every pivot is the inner loop.
  std::vector<std::vector<std::pair<size_t, double>>> nonzeros_;
  std::vector<size_t> basis_;                     // per row: basic variable
  std::vector<size_t> row_of_column_;             // per column: its basis row, or SIZE_MAX
  std::vector<char> surplus_basic_;               // per row
  std::vector<std::vector<double>> inverse_;      // B⁻¹, row-major
  std::vector<double> x_basic_;                   // per row: value of basis_[row]
  std::vector<double> duals_;
  size_t pivots_since_refactor_ = 0;
};

}  // namespace adze::scheduling
