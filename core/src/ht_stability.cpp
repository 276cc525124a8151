#include "sparse_iht/ht_stability.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sparse_iht {

HtStability check_ht_stability(const Eigen::VectorXd& theta, const Eigen::VectorXd& grad, int s,
                               double step, double tolerance) {
  HtStability out;
  out.tolerance = tolerance;
  double min_on_support = std::numeric_limits<double>::infinity();
  double grad_on_support = 0.0;
  double grad_off_support = 0.0;
  for (Eigen::Index i = 0; i < theta.size(); ++i) {
    const double g = std::abs(grad[i]);
    if (theta[i] != 0.0) {
      ++out.support_size;
      min_on_support = std::min(min_on_support, std::abs(theta[i]));
      grad_on_support = std::max(grad_on_support, g);
    } else {
      grad_off_support = std::max(grad_off_support, g);
    }
  }
  if (out.support_size == 0) min_on_support = 0.0;
  out.margin = min_on_support - step * grad_off_support;
  if (out.support_size >= s) {
    out.support_grad_inf = grad_on_support;
    out.stable = grad_on_support <= tolerance && out.margin > 0.0;
  } else {
    // Fewer than s nonzeros: a fixed point needs the whole gradient to vanish.
    out.support_grad_inf = std::max(grad_on_support, grad_off_support);
    out.stable = out.support_grad_inf <= tolerance;
  }
  return out;
}

}  // namespace sparse_iht
