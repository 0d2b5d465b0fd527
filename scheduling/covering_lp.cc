#include "scheduling/covering_lp.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "model/check.h"

namespace adze::scheduling {
namespace {

constexpr double kTolerance = 1e-9;
// Pivots between refactorisations: explicit inverse updates drift slowly.
constexpr size_t kRefactorEvery = 64;
// Degenerate pivots in a row before switching to Bland's rule (which cannot
// cycle); cutting-stock masters are very degenerate.
constexpr size_t kDegenerateStreak = 32;

}  // namespace

CoveringLp::CoveringLp(std::vector<double> demand) : demand_(std::move(demand)) {
  for (double d : demand_) ADZE_CHECK(d > 0);
  surplus_basic_.assign(demand_.size(), 0);
  duals_.assign(demand_.size(), 0.0);
}

size_t CoveringLp::AddColumn(double cost, std::vector<double> coefficients) {
  ADZE_CHECK(cost > 0 && coefficients.size() == rows());
  const size_t j = cost_.size();
  cost_.push_back(cost);
  nonzeros_.emplace_back();
  for (size_t k = 0; k < coefficients.size(); ++k) {
    if (coefficients[k] != 0) nonzeros_.back().emplace_back(k, coefficients[k]);
  }
  column_.push_back(std::move(coefficients));
  row_of_column_.push_back(SIZE_MAX);
  if (j < rows()) {
    // Starting basis: column j covers row j alone.
    ADZE_CHECK(column_[j][j] > 0);
    for (size_t k = 0; k < rows(); ++k) ADZE_CHECK(k == j || column_[j][k] == 0);
    basis_.push_back(j);
    row_of_column_[j] = j;
    if (basis_.size() == rows()) Refactor();
  }
  return j;
}

std::vector<double> CoveringLp::Ftran(size_t var) const {
  const size_t m = rows();
  std::vector<double> u(m, 0.0);
  if (var >= kSurplus) {
    const size_t k = var - kSurplus;
    for (size_t i = 0; i < m; ++i) u[i] = -inverse_[i][k];
    return u;
  }
  for (const auto& [k, a] : nonzeros_[var]) {
    for (size_t i = 0; i < m; ++i) u[i] += inverse_[i][k] * a;
  }
  return u;
}

void CoveringLp::Refactor() {
  const size_t m = rows();
  // Gauss–Jordan on [B | I] with partial pivoting.
  std::vector<std::vector<double>> b(m, std::vector<double>(m, 0.0));
  for (size_t r = 0; r < m; ++r) {
    const size_t var = basis_[r];
    for (size_t k = 0; k < m; ++k) {
      b[k][r] = var >= kSurplus ? (var - kSurplus == k ? -1.0 : 0.0) : column_[var][k];
    }
  }
  std::vector<std::vector<double>> inv(m, std::vector<double>(m, 0.0));
  for (size_t i = 0; i < m; ++i) inv[i][i] = 1.0;
  for (size_t c = 0; c < m; ++c) {
    size_t p = c;
    for (size_t i = c + 1; i < m; ++i) {
      if (std::abs(b[i][c]) > std::abs(b[p][c])) p = i;
    }
    // A basis is never singular; if rounding made it look so, keep the
    // updated inverse rather than a broken one.
    if (std::abs(b[p][c]) < 1e-12) return;
    std::swap(b[p], b[c]);
    std::swap(inv[p], inv[c]);
    const double d = b[c][c];
    for (size_t k = 0; k < m; ++k) {
      b[c][k] /= d;
      inv[c][k] /= d;
    }
    for (size_t i = 0; i < m; ++i) {
      if (i == c || b[i][c] == 0) continue;
      const double f = b[i][c];
      for (size_t k = 0; k < m; ++k) {
        b[i][k] -= f * b[c][k];
        inv[i][k] -= f * inv[c][k];
      }
    }
  }
  inverse_ = std::move(inv);
  x_basic_.assign(m, 0.0);
  for (size_t i = 0; i < m; ++i) {
    for (size_t k = 0; k < m; ++k) x_basic_[i] += inverse_[i][k] * demand_[k];
    if (x_basic_[i] < 0 && x_basic_[i] > -1e-9) x_basic_[i] = 0;
  }
  pivots_since_refactor_ = 0;
}

void CoveringLp::ComputeDuals() {
  const size_t m = rows();
  std::fill(duals_.begin(), duals_.end(), 0.0);
  for (size_t r = 0; r < m; ++r) {
    const double c = Cost(basis_[r]);
    if (c == 0) continue;
    for (size_t k = 0; k < m; ++k) duals_[k] += c * inverse_[r][k];
  }
}

void CoveringLp::Pivot(size_t row, size_t var, const std::vector<double>& u) {
  const size_t m = rows();
  const double theta = x_basic_[row] / u[row];
  for (size_t i = 0; i < m; ++i) {
    if (i == row) continue;
    x_basic_[i] -= theta * u[i];
    if (x_basic_[i] < 0) x_basic_[i] = 0;  // rounding: values stay feasible
  }
  x_basic_[row] = theta;
  std::vector<double>& pivot_row = inverse_[row];
  for (double& v : pivot_row) v /= u[row];
  for (size_t i = 0; i < m; ++i) {
    if (i == row || u[i] == 0) continue;
    const double f = u[i];
    for (size_t k = 0; k < m; ++k) inverse_[i][k] -= f * pivot_row[k];
  }
  const size_t leaving = basis_[row];
  if (leaving >= kSurplus) {
    surplus_basic_[leaving - kSurplus] = 0;
  } else {
    row_of_column_[leaving] = SIZE_MAX;
  }
  basis_[row] = var;
  if (var >= kSurplus) {
    surplus_basic_[var - kSurplus] = 1;
  } else {
    row_of_column_[var] = row;
  }
  if (++pivots_since_refactor_ >= kRefactorEvery) Refactor();
}

bool CoveringLp::Solve(size_t max_pivots) {
  ADZE_CHECK(basis_.size() == rows());
  const size_t m = rows();
  size_t degenerate = 0;
  for (size_t pivot = 0; pivot < max_pivots; ++pivot) {
    ComputeDuals();
    const bool bland = degenerate >= kDegenerateStreak;
    // Entering variable: most negative reduced cost (Dantzig), or the first
    // negative one under Bland's rule. Columns first, then surpluses.
    size_t entering = SIZE_MAX;
    double best = -kTolerance;
    for (size_t j = 0; j < cost_.size() && !(bland && entering != SIZE_MAX); ++j) {
      if (row_of_column_[j] != SIZE_MAX) continue;
      double rc = cost_[j];
      for (const auto& [k, a] : nonzeros_[j]) rc -= duals_[k] * a;
      if (rc < best) {
        best = rc;
        entering = j;
      }
    }
    for (size_t k = 0; k < m && !(bland && entering != SIZE_MAX); ++k) {
      if (surplus_basic_[k]) continue;
      const double rc = duals_[k];  // 0 − π·(−e_k)
      if (rc < best) {
        best = rc;
        entering = kSurplus + k;
      }
    }
    if (entering == SIZE_MAX) return true;
    const std::vector<double> u = Ftran(entering);
    // Leaving row: minimum ratio; ties prefer the larger pivot element (more
    // stable), under Bland's rule the lowest variable, then the lower row.
    size_t leave = SIZE_MAX;
    double ratio = 0;
    for (size_t i = 0; i < m; ++i) {
      if (u[i] <= kTolerance) continue;
      const double r = x_basic_[i] / u[i];
      const bool tie = leave != SIZE_MAX && r <= ratio + kTolerance;
      const bool better_tie = tie && (bland ? basis_[i] < basis_[leave] : u[i] > u[leave]);
      if (leave == SIZE_MAX || r < ratio - kTolerance || better_tie) {
        leave = i;
        ratio = r;
      }
    }
    // Unbounded cannot happen (costs are positive, the objective is ≥ 0).
    if (leave == SIZE_MAX) return false;
    degenerate = ratio <= kTolerance ? degenerate + 1 : 0;
    Pivot(leave, entering, u);
  }
  ComputeDuals();
  return false;
}

double CoveringLp::objective() const {
  double z = 0;
  for (size_t r = 0; r < rows(); ++r) z += Cost(basis_[r]) * x_basic_[r];
  return z;
}

double CoveringLp::value(size_t j) const {
  return row_of_column_[j] == SIZE_MAX ? 0.0 : x_basic_[row_of_column_[j]];
}

}  // namespace adze::scheduling
