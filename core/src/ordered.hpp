// Sums in index order, one term after another. Eigen's reductions (dot,
// squaredNorm) sum in SIMD lanes natively and one by one in WebAssembly, so
// their last bits differ; the adaptive step rules divide such sums by small
// secants, which would turn those bits into visible differences between the
// native and the WebAssembly runs. Without -ffast-math the compiler keeps this
// order.
#pragma once

#include <Eigen/Core>
#include <cmath>

namespace sparse_iht {

inline double ordered_dot(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

inline double ordered_squared_norm(const Eigen::VectorXd& a) { return ordered_dot(a, a); }

inline double ordered_norm(const Eigen::VectorXd& a) { return std::sqrt(ordered_squared_norm(a)); }

// p = −(H + shift·I)⁻¹ g by a Cholesky factorisation in plain loops (the same
// operations in the same order everywhere); false when H + shift·I is not
// positive definite. H is symmetric; only its lower triangle is read.
inline bool ordered_cholesky_solve(const Eigen::MatrixXd& h, double shift, const Eigen::VectorXd& g,
                                   Eigen::VectorXd& p) {
  const Eigen::Index k = h.rows();
  Eigen::MatrixXd l = Eigen::MatrixXd::Zero(k, k);
  for (Eigen::Index j = 0; j < k; ++j) {
    double diagonal = h(j, j) + shift;
    for (Eigen::Index m = 0; m < j; ++m) diagonal -= l(j, m) * l(j, m);
    if (!(diagonal > 0.0)) return false;
    l(j, j) = std::sqrt(diagonal);
    for (Eigen::Index i = j + 1; i < k; ++i) {
      double v = h(i, j);
      for (Eigen::Index m = 0; m < j; ++m) v -= l(i, m) * l(j, m);
      l(i, j) = v / l(j, j);
    }
  }
  // L y = −g, then Lᵀ p = y.
  Eigen::VectorXd y(k);
  for (Eigen::Index i = 0; i < k; ++i) {
    double v = -g[i];
    for (Eigen::Index m = 0; m < i; ++m) v -= l(i, m) * y[m];
    y[i] = v / l(i, i);
  }
  p.resize(k);
  for (Eigen::Index i = k - 1; i >= 0; --i) {
    double v = y[i];
    for (Eigen::Index m = i + 1; m < k; ++m) v -= l(m, i) * p[m];
    p[i] = v / l(i, i);
  }
  return p.allFinite();
}

}  // namespace sparse_iht
