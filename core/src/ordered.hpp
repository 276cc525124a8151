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

}  // namespace sparse_iht
