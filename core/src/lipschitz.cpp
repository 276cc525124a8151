#include "sparse_iht/lipschitz.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "sparse_iht/error.hpp"
#include "sparse_iht/random.hpp"

namespace sparse_iht {
namespace {

// Adds scale·N(0,1) values on a uniformly random s-subset of x's indices. The
// partial Fisher–Yates shuffle is undone afterwards, so each pair's draw
// depends only on its own generator.
void add_sparse_noise(Eigen::VectorXd& x, int s, double scale, Rng& rng, std::vector<int>& perm,
                      std::vector<std::pair<int, int>>& swaps) {
  const int n = static_cast<int>(perm.size());
  swaps.clear();
  for (int k = 0; k < s; ++k) {
    const int j = k + static_cast<int>(rng.below(static_cast<std::uint64_t>(n - k)));
    std::swap(perm[static_cast<std::size_t>(k)], perm[static_cast<std::size_t>(j)]);
    swaps.emplace_back(k, j);
    x[perm[static_cast<std::size_t>(k)]] += scale * rng.normal();
  }
  for (auto it = swaps.rbegin(); it != swaps.rend(); ++it) {
    std::swap(perm[static_cast<std::size_t>(it->first)],
              perm[static_cast<std::size_t>(it->second)]);
  }
}

}  // namespace

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const std::size_t upper = std::min(lower + 1, values.size() - 1);
  const double fraction = position - static_cast<double>(lower);
  return values[lower] + fraction * (values[upper] - values[lower]);
}

L2sEstimate estimate_l2s(Objective& objective, const L2sOptions& options) {
  const int n = objective.dimension();
  if (options.s < 1 || options.s > n) {
    throw InputError::bad_option("s", "expected an integer in 1.." + std::to_string(n) + ", got " +
                                          std::to_string(options.s));
  }
  if (options.samples < 1) {
    throw InputError::bad_option("samples",
                                 "expected an integer ≥ 1, got " + std::to_string(options.samples));
  }
  if (!(options.scale > 0.0) || !std::isfinite(options.scale)) {
    throw InputError::bad_option("scale", "expected a finite number > 0");
  }
  if (options.center != nullptr && options.center->size() != n) {
    throw InputError("L_2s estimate: the centre has the wrong length", ErrorCode::bad_state);
  }

  Eigen::VectorXd x(n), y(n), gx(n), gy(n);
  std::vector<int> perm(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) perm[static_cast<std::size_t>(i)] = i;
  std::vector<std::pair<int, int>> swaps;
  swaps.reserve(static_cast<std::size_t>(options.s));

  L2sEstimate estimate;
  estimate.ratios.reserve(static_cast<std::size_t>(options.samples));
  for (int i = 0; i < options.samples; ++i) {
    Rng rng(options.seed, static_cast<std::uint64_t>(options.first_pair + i));
    if (options.center != nullptr) {
      x = *options.center;
      y = *options.center;
    } else {
      x.setZero();
      y.setZero();
    }
    add_sparse_noise(x, options.s, options.scale, rng, perm, swaps);
    add_sparse_noise(y, options.s, options.scale, rng, perm, swaps);
    objective.evaluate_with_gradient(x, gx);
    objective.evaluate_with_gradient(y, gy);
    const double distance = (x - y).norm();
    const double ratio = distance > 0.0 ? (gx - gy).norm() / distance : 0.0;
    if (!std::isfinite(ratio)) {
      throw InputError("L_2s estimate: the gradient is not finite at a sampled point (pair " +
                       std::to_string(options.first_pair + i) + "); try a smaller --scale");
    }
    estimate.ratios.push_back(ratio);
  }
  estimate.max = *std::max_element(estimate.ratios.begin(), estimate.ratios.end());
  std::vector<double> sorted = estimate.ratios;
  std::sort(sorted.begin(), sorted.end());
  estimate.quantiles.p50 = quantile(sorted, 0.50);
  estimate.quantiles.p90 = quantile(sorted, 0.90);
  estimate.quantiles.p99 = quantile(sorted, 0.99);
  return estimate;
}

}  // namespace sparse_iht
