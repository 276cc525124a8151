#include "eigen_dense.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace bench {
namespace si = sparse_iht;

EigenDenseIht::EigenDenseIht(const si::Architecture& arch, const si::Dataset& train)
    : arch_(arch), x_(train.x) {
  const int classes = arch.sizes.back();
  const auto n = static_cast<Eigen::Index>(train.y.size());
  onehot_ = Eigen::MatrixXd::Zero(classes, n);
  for (Eigen::Index j = 0; j < n; ++j) onehot_(train.y[static_cast<std::size_t>(j)], j) = 1.0;
  a_.resize(static_cast<std::size_t>(arch.num_layers()));
}

double EigenDenseIht::loss_and_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) {
  const int layers = arch_.num_layers();
  const Eigen::Index n = x_.cols();
  grad.resize(theta.size());
  // Forward: z = W a + b, a = σ(z) for the hidden layers.
  Eigen::MatrixXd z;
  for (int l = 0; l < layers; ++l) {
    const int in = arch_.sizes[static_cast<std::size_t>(l)];
    const int out = arch_.sizes[static_cast<std::size_t>(l) + 1];
    const Eigen::Map<const RowMatrix> w(theta.data() + arch_.layer_offset(l), out, in);
    const Eigen::Map<const Eigen::VectorXd> b(theta.data() + arch_.layer_offset(l) + out * in, out);
    const Eigen::MatrixXd& input = l == 0 ? x_ : a_[static_cast<std::size_t>(l)];
    z.noalias() = w * input;
    z.colwise() += b;
    if (l + 1 < layers) {
      Eigen::MatrixXd& a = a_[static_cast<std::size_t>(l) + 1];
      switch (arch_.activation) {
        case si::Activation::tanh:
          a = z.array().tanh();
          break;
        case si::Activation::relu:
          a = z.array().max(0.0);
          break;
        case si::Activation::sigmoid:
          a = (1.0 + (-z.array()).exp()).inverse();
          break;
      }
    }
  }
  // Softmax cross-entropy, shifted by each column's maximum.
  const Eigen::RowVectorXd m = z.colwise().maxCoeff();
  Eigen::MatrixXd e = (z.rowwise() - m).array().exp();
  const Eigen::RowVectorXd total = e.colwise().sum();
  const double picked = (z.array() * onehot_.array()).sum();
  const double loss = (total.array().log().sum() + m.sum() - picked) / static_cast<double>(n);
  delta_ = (e.array().rowwise() / total.array()).matrix() - onehot_;
  delta_ /= static_cast<double>(n);
  // Backward: ∂W = δ aᵀ, ∂b = Σ δ, δ ← (Wᵀ δ) ⊙ σ'(z).
  for (int l = layers - 1; l >= 0; --l) {
    const int in = arch_.sizes[static_cast<std::size_t>(l)];
    const int out = arch_.sizes[static_cast<std::size_t>(l) + 1];
    const Eigen::Map<const RowMatrix> w(theta.data() + arch_.layer_offset(l), out, in);
    Eigen::Map<RowMatrix> gw(grad.data() + arch_.layer_offset(l), out, in);
    Eigen::Map<Eigen::VectorXd> gb(grad.data() + arch_.layer_offset(l) + out * in, out);
    const Eigen::MatrixXd& input = l == 0 ? x_ : a_[static_cast<std::size_t>(l)];
    gw.noalias() = delta_ * input.transpose();
    gb = delta_.rowwise().sum();
    if (l > 0) {
      delta_prev_.noalias() = w.transpose() * delta_;
      const Eigen::MatrixXd& a = a_[static_cast<std::size_t>(l)];
      switch (arch_.activation) {
        case si::Activation::tanh:
          delta_prev_.array() *= 1.0 - a.array().square();
          break;
        case si::Activation::relu:
          delta_prev_.array() *= (a.array() > 0.0).cast<double>();
          break;
        case si::Activation::sigmoid:
          delta_prev_.array() *= a.array() * (1.0 - a.array());
          break;
      }
      delta_.swap(delta_prev_);
    }
  }
  return loss;
}

void EigenDenseIht::hard_threshold(Eigen::VectorXd& theta, int s) {
  const auto n = static_cast<int>(theta.size());
  if (s >= n) return;
  order_.resize(static_cast<std::size_t>(n));
  std::iota(order_.begin(), order_.end(), 0);
  const auto larger = [&](int i, int j) {
    const double a = std::abs(theta[i]), b = std::abs(theta[j]);
    return a > b || (a == b && i < j);
  };
  std::nth_element(order_.begin(), order_.begin() + s, order_.end(), larger);
  for (auto it = order_.begin() + s; it != order_.end(); ++it) theta[*it] = 0.0;
}

}  // namespace bench
