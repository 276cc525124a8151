// A plain dense IHT written directly in Eigen, as a C++ user would write it
// without sparse-iht: GEMM forward and backward over the whole network, the
// softmax cross-entropy from Eigen's array functions, and H_s by
// std::nth_element. The contestant `native-eigen` of workloads iris and mlp
// (issue #18): it is compiled with the same flags as the native bench and
// starts from the same θ_0, step and s, so the two run the same iterations.
// θ has sparse-iht's layout (sparse_iht::Architecture: per layer the weights
// out × in, row-major, then the biases).
#pragma once

#include <Eigen/Core>
#include <vector>

#include "sparse_iht/dataset.hpp"
#include "sparse_iht/network.hpp"

namespace bench {

class EigenDenseIht {
 public:
  // tanh, relu or sigmoid hidden layers; a softmax output.
  EigenDenseIht(const sparse_iht::Architecture& arch, const sparse_iht::Dataset& train);

  // f(θ) (mean cross-entropy) and ∇f(θ).
  double loss_and_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad);

  // θ ← H_s(θ − γ ∇f(θ)), `iterations` times from theta (in place). With
  // `losses`, appends f(θ_0) … f(θ_K). The gradient at θ_0 is taken before
  // `timed_from` is called, so a caller can leave it out of the clock, as the
  // native bench does for sparse-iht.
  template <typename Start>
  void run(Eigen::VectorXd& theta, int s, double step, int iterations, Start timed_from,
           std::vector<double>* losses = nullptr) {
    Eigen::VectorXd grad(theta.size());
    double loss = loss_and_gradient(theta, grad);
    if (losses != nullptr) losses->push_back(loss);
    timed_from();
    for (int k = 0; k < iterations; ++k) {
      theta -= step * grad;
      hard_threshold(theta, s);
      loss = loss_and_gradient(theta, grad);
      if (losses != nullptr) losses->push_back(loss);
    }
  }

  // Keeps the s entries of largest magnitude (ties: the lower index), zeroes the rest.
  void hard_threshold(Eigen::VectorXd& theta, int s);

 private:
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  sparse_iht::Architecture arch_;
  Eigen::MatrixXd x_;               // features × samples
  Eigen::MatrixXd onehot_;          // classes × samples
  std::vector<Eigen::MatrixXd> a_;  // activations per layer (a_[0] = x)
  Eigen::MatrixXd delta_, delta_prev_;
  std::vector<int> order_;
};

}  // namespace bench
