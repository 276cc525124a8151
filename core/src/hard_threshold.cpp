#include "sparse_iht/hard_threshold.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "sparse_iht/error.hpp"

namespace sparse_iht {

const std::vector<int>& HardThreshold::apply(Eigen::Ref<Eigen::VectorXd> x, int s) {
  const int n = static_cast<int>(x.size());
  if (s < 0) throw InputError("hard threshold: s must be ≥ 0, got " + std::to_string(s));
  for (int i = 0; i < n; ++i) {
    if (std::isnan(x[i])) {
      throw InputError("hard threshold: entry " + std::to_string(i) + " is NaN");
    }
  }
  support_.clear();
  if (s >= n) {
    for (int i = 0; i < n; ++i) {
      if (x[i] != 0.0) support_.push_back(i);
    }
    return support_;
  }
  order_.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) order_[static_cast<std::size_t>(i)] = i;
  // A strict total order (larger magnitude first, then lower index), so the
  // s selected indices are unique: ties at the s-th magnitude go to the lower index.
  const auto before = [&x](int a, int b) {
    const double ma = std::abs(x[a]);
    const double mb = std::abs(x[b]);
    return ma > mb || (ma == mb && a < b);
  };
  if (s > 0) {
    std::nth_element(order_.begin(), order_.begin() + (s - 1), order_.end(), before);
  }
  keep_.assign(static_cast<std::size_t>(n), 0);
  for (int k = 0; k < s; ++k) keep_[static_cast<std::size_t>(order_[static_cast<std::size_t>(k)])] = 1;
  for (int i = 0; i < n; ++i) {
    if (!keep_[static_cast<std::size_t>(i)]) {
      x[i] = 0.0;
    } else if (x[i] != 0.0) {
      support_.push_back(i);
    }
  }
  return support_;
}

Eigen::VectorXd hard_threshold(const Eigen::VectorXd& x, int s) {
  Eigen::VectorXd y = x;
  HardThreshold h;
  h.apply(y, s);
  return y;
}

std::vector<int> support_of(const Eigen::VectorXd& x) {
  std::vector<int> support;
  for (int i = 0; i < static_cast<int>(x.size()); ++i) {
    if (x[i] != 0.0) support.push_back(i);
  }
  return support;
}

}  // namespace sparse_iht
