#include "sparse_iht/network.hpp"

#include <cmath>
#include <string>

#include "sparse_iht/error.hpp"
#include "sparse_iht/random.hpp"

namespace sparse_iht {
namespace {

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstWeights = Eigen::Map<const RowMajorMatrix>;
using Weights = Eigen::Map<RowMajorMatrix>;

void activate(Activation activation, const Eigen::MatrixXd& z, Eigen::MatrixXd& a) {
  switch (activation) {
    case Activation::tanh:
      a = z.array().tanh();
      break;
    case Activation::relu:
      a = z.array().max(0.0);
      break;
    case Activation::sigmoid:
      // 1 / (1 + e^{-z}) never overflows to NaN: e^{-z} = inf gives 0.
      a = (1.0 + (-z.array()).exp()).inverse();
      break;
  }
}

// delta ← delta ∘ σ'(z), written with the activation a = σ(z) where that is cheaper.
void multiply_by_derivative(Activation activation, const Eigen::MatrixXd& z,
                            const Eigen::MatrixXd& a, Eigen::MatrixXd& delta) {
  switch (activation) {
    case Activation::tanh:
      delta.array() *= 1.0 - a.array().square();
      break;
    case Activation::relu:
      delta.array() *= (z.array() > 0.0).cast<double>();
      break;
    case Activation::sigmoid:
      delta.array() *= a.array() * (1.0 - a.array());
      break;
  }
}

// dst = a · b. Eigen's general matrix product packs its operands, which costs
// more than it saves when the layer's weight matrix is tiny (the paper's 3 × 4),
// so those products go through the coefficient-based one.
constexpr int kTinyLayer = 64;
template <typename Dst, typename A, typename B>
void multiply(Dst& dst, const A& a, const B& b, bool tiny_layer) {
  if (tiny_layer) {
    dst.noalias() = a.lazyProduct(b);
  } else {
    dst.noalias() = a * b;
  }
}

}  // namespace

Activation parse_activation(const std::string& name) {
  if (name == "tanh") return Activation::tanh;
  if (name == "relu") return Activation::relu;
  if (name == "sigmoid") return Activation::sigmoid;
  throw InputError("--activation: expected tanh, relu or sigmoid, got '" + name + "'");
}

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::tanh:
      return "tanh";
    case Activation::relu:
      return "relu";
    case Activation::sigmoid:
      return "sigmoid";
  }
  return "tanh";
}

int Architecture::num_params() const {
  int n = 0;
  for (int l = 0; l < num_layers(); ++l) n += sizes[l + 1] * (sizes[l] + 1);
  return n;
}

int Architecture::layer_offset(int layer) const {
  int offset = 0;
  for (int l = 0; l < layer; ++l) offset += sizes[l + 1] * (sizes[l] + 1);
  return offset;
}

Eigen::VectorXd initial_parameters(const Architecture& arch, Rng& rng, double scale) {
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(arch.num_params());
  for (int l = 0; l < arch.num_layers(); ++l) {
    const int in = arch.sizes[l];
    const int out = arch.sizes[l + 1];
    const double sigma = scale * std::sqrt(2.0 / (in + out));
    const int offset = arch.layer_offset(l);
    for (int k = 0; k < out * in; ++k) theta[offset + k] = sigma * rng.normal();
  }
  return theta;
}

NetworkObjective::NetworkObjective(Architecture arch, const Dataset& data)
    : arch_(std::move(arch)), data_(&data) {
  if (arch_.sizes.size() < 2) throw InputError("network: needs at least an input and an output layer");
  for (int width : arch_.sizes) {
    if (width < 1) throw InputError("network: every layer needs at least one unit");
  }
  if (arch_.sizes.front() != data.num_features()) {
    throw InputError("network: " + std::to_string(arch_.sizes.front()) + " inputs but the data has " +
                     std::to_string(data.num_features()) + " features");
  }
  if (arch_.sizes.back() != data.num_classes()) {
    throw InputError("network: " + std::to_string(arch_.sizes.back()) + " outputs but the data has " +
                     std::to_string(data.num_classes()) + " classes");
  }
  z_.resize(static_cast<std::size_t>(arch_.num_layers()));
  a_.resize(static_cast<std::size_t>(arch_.num_layers()));
}

double NetworkObjective::forward(const Eigen::VectorXd& theta, const Eigen::MatrixXd& x,
                                 const std::vector<int>& y, bool want_gradient,
                                 Eigen::VectorXd* grad) {
  if (theta.size() != arch_.num_params()) {
    throw InputError("network: θ has " + std::to_string(theta.size()) + " entries, expected " +
                     std::to_string(arch_.num_params()));
  }
  const int layers = arch_.num_layers();
  const auto samples = x.cols();
  if (samples == 0) return 0.0;

  for (int l = 0; l < layers; ++l) {
    const int in = arch_.sizes[l];
    const int out = arch_.sizes[l + 1];
    const int offset = arch_.layer_offset(l);
    const ConstWeights w(theta.data() + offset, out, in);
    const Eigen::Map<const Eigen::VectorXd> b(theta.data() + offset + out * in, out);
    auto& z = z_[static_cast<std::size_t>(l)];
    const bool tiny = out * in <= kTinyLayer;
    if (l == 0) {
      multiply(z, w, x, tiny);
    } else {
      multiply(z, w, a_[static_cast<std::size_t>(l - 1)], tiny);
    }
    z.colwise() += b;
    if (l + 1 < layers) activate(arch_.activation, z, a_[static_cast<std::size_t>(l)]);
  }

  // Softmax and cross-entropy, shifted by each column's maximum so exp cannot
  // overflow: loss_j = log Σ_k exp(z_kj − m_j) + m_j − z_{y_j j}.
  const auto& logits = z_.back();
  auto& p = a_.back();
  auto& shift = shift_;
  auto& total = total_;
  shift = logits.colwise().maxCoeff();
  p = logits;
  p.rowwise() -= shift;
  // In place on a plain matrix, so Eigen's vectorised exp applies.
  p.array() = p.array().exp();
  total = p.colwise().sum();
  double loss = total.array().log().sum() + shift.sum();
  for (Eigen::Index j = 0; j < samples; ++j) loss -= logits(y[static_cast<std::size_t>(j)], j);
  loss /= static_cast<double>(samples);
  if (!want_gradient) return loss;

  // δ_L = (softmax − onehot(y)) / N, then back through the layers.
  p.array().rowwise() /= total.array();
  auto& delta = delta_;
  delta = p;
  for (Eigen::Index j = 0; j < samples; ++j) delta(y[static_cast<std::size_t>(j)], j) -= 1.0;
  delta /= static_cast<double>(samples);

  grad->resize(arch_.num_params());
  for (int l = layers - 1; l >= 0; --l) {
    const int in = arch_.sizes[l];
    const int out = arch_.sizes[l + 1];
    const int offset = arch_.layer_offset(l);
    Weights gw(grad->data() + offset, out, in);
    Eigen::Map<Eigen::VectorXd> gb(grad->data() + offset + out * in, out);
    const Eigen::MatrixXd& input = l == 0 ? x : a_[static_cast<std::size_t>(l - 1)];
    multiply(gw, delta, input.transpose(), out * in <= kTinyLayer);
    gb = delta.rowwise().sum();
    if (l > 0) {
      const ConstWeights w(theta.data() + offset, out, in);
      delta_prev_.noalias() = w.transpose() * delta;
      multiply_by_derivative(arch_.activation, z_[static_cast<std::size_t>(l - 1)],
                             a_[static_cast<std::size_t>(l - 1)], delta_prev_);
      delta.swap(delta_prev_);
    }
  }
  return loss;
}

double NetworkObjective::evaluate(const Eigen::VectorXd& theta) {
  return forward(theta, data_->x, data_->y, false, nullptr);
}

double NetworkObjective::evaluate_with_gradient(const Eigen::VectorXd& theta,
                                                Eigen::VectorXd& grad) {
  return forward(theta, data_->x, data_->y, true, &grad);
}

double NetworkObjective::evaluate_batch_with_gradient(const Eigen::VectorXd& theta,
                                                      const int* indices, int count,
                                                      Eigen::VectorXd& grad) {
  batch_x_.resize(data_->x.rows(), count);
  batch_y_.resize(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) {
    batch_x_.col(k) = data_->x.col(indices[k]);
    batch_y_[static_cast<std::size_t>(k)] = data_->y[static_cast<std::size_t>(indices[k])];
  }
  return forward(theta, batch_x_, batch_y_, true, &grad);
}

std::vector<int> NetworkObjective::predict(const Eigen::VectorXd& theta) {
  forward(theta, data_->x, data_->y, false, nullptr);
  const auto& logits = z_.back();
  std::vector<int> predicted(static_cast<std::size_t>(logits.cols()));
  for (Eigen::Index j = 0; j < logits.cols(); ++j) {
    Eigen::Index best = 0;
    // maxCoeff returns the first maximum, so ties go to the lower class.
    logits.col(j).maxCoeff(&best);
    predicted[static_cast<std::size_t>(j)] = static_cast<int>(best);
  }
  return predicted;
}

double NetworkObjective::accuracy(const Eigen::VectorXd& theta) {
  if (data_->y.empty()) return 0.0;
  const auto predicted = predict(theta);
  int correct = 0;
  for (std::size_t j = 0; j < predicted.size(); ++j) correct += predicted[j] == data_->y[j] ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(predicted.size());
}

Eigen::MatrixXd NetworkObjective::probabilities(const Eigen::VectorXd& theta) {
  forward(theta, data_->x, data_->y, false, nullptr);
  Eigen::MatrixXd p = a_.back();
  p.array().rowwise() /= p.colwise().sum().array();
  return p;
}

}  // namespace sparse_iht
