#include "sparse_iht/hard_threshold.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "sparse_iht/error.hpp"

namespace sparse_iht {

const std::vector<int>& HardThreshold::apply(Eigen::Ref<Eigen::VectorXd> x, int s) {
  const int n = static_cast<int>(x.size());
  if (s < 0) throw InputError("hard threshold: s must be ≥ 0, got " + std::to_string(s));
  double* v = x.data();
  magnitude_.resize(static_cast<std::size_t>(n));
  bool nan = false;
  for (int i = 0; i < n; ++i) {
    magnitude_[static_cast<std::size_t>(i)] = std::abs(v[i]);
    nan |= v[i] != v[i];
  }
  if (nan) {
    for (int i = 0; i < n; ++i) {
      if (std::isnan(v[i])) {
        throw InputError("hard threshold: entry " + std::to_string(i) + " is NaN");
      }
    }
  }
  support_.clear();
  if (s >= n) {
    for (int i = 0; i < n; ++i) {
      if (v[i] != 0.0) support_.push_back(i);
    }
    return support_;
  }
  if (s == 0) {
    x.setZero();
    return support_;
  }
  // t = the s-th largest magnitude (a selection on the magnitudes alone). H_s
  // keeps every entry above t and, of those equal to t, the lowest indices:
  // the first s entries in the strict order (larger magnitude first, then lower
  // index), so H_s is a function and ties go to the lower index.
  selection_.assign(magnitude_.begin(), magnitude_.end());
  std::nth_element(selection_.begin(), selection_.begin() + (s - 1), selection_.end(),
                   std::greater<double>());
  const double t = selection_[static_cast<std::size_t>(s - 1)];
  int above = 0;
  for (int i = 0; i < n; ++i) above += magnitude_[static_cast<std::size_t>(i)] > t ? 1 : 0;
  int ties = s - above;  // entries equal to t still to keep, lowest index first
  for (int i = 0; i < n; ++i) {
    const double m = magnitude_[static_cast<std::size_t>(i)];
    const bool keep = m > t || (m == t && ties-- > 0);
    if (!keep) {
      v[i] = 0.0;
    } else if (v[i] != 0.0) {
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
