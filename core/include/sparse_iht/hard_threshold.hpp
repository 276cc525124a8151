// Hard thresholding H_s (docs/method.md §2): keep the s entries of largest magnitude and
// zero the rest; ties at the s-th magnitude go to the lower index, so H_s is a
// function. Linear time: a selection (nth_element) of the s-th largest
// magnitude, then passes over x.
#pragma once

#include <Eigen/Core>
#include <vector>

namespace sparse_iht {

// Reusable workspace, so that IHT's inner loop does not allocate.
class HardThreshold {
 public:
  // Applies H_s to x in place and returns its support in ascending order.
  // s >= x.size() keeps every entry. Throws InputError if s < 0 or x has a NaN.
  const std::vector<int>& apply(Eigen::Ref<Eigen::VectorXd> x, int s);
  const std::vector<int>& support() const { return support_; }

 private:
  std::vector<double> magnitude_, selection_;
  std::vector<int> support_;
};

// Convenience: returns H_s(x) without touching x.
Eigen::VectorXd hard_threshold(const Eigen::VectorXd& x, int s);
// Ascending indices of the nonzero entries of x.
std::vector<int> support_of(const Eigen::VectorXd& x);

}  // namespace sparse_iht
