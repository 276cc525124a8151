#include "sparse_iht/network.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>

#include "kernels/layers.hpp"
#include "kernels/softmax.hpp"
#include "kernels/wide.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/random.hpp"

// What makes this an objective: the layers' places in θ, the workspace, the
// order of the passes and mini-batches. The arithmetic is in core/src/kernels/.
namespace sparse_iht {

using kernels::Index;

Activation parse_activation(const std::string& name) {
  if (name == "tanh") return Activation::tanh;
  if (name == "relu") return Activation::relu;
  if (name == "sigmoid") return Activation::sigmoid;
  throw InputError::bad_option("activation", "expected tanh, relu or sigmoid, got '" + name + "'");
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

namespace {

// Equal bit for bit (so −0 differs from 0, and a NaN equals itself).
bool same_bits(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(double)) == 0;
}

// data.x in the objective's layout: a column-major samples × features matrix
// holds exactly the row-major features × samples one.
std::shared_ptr<const Eigen::MatrixXd> transposed(const Dataset& data) {
  return std::make_shared<const Eigen::MatrixXd>(data.x.transpose());
}

}  // namespace

NetworkObjective::NetworkObjective(Architecture arch, const Dataset& data)
    : NetworkObjective(std::move(arch), data, transposed(data), nullptr) {}

NetworkObjective::NetworkObjective(Architecture arch, const Dataset& data,
                                   std::shared_ptr<const Eigen::MatrixXd> storage,
                                   const double* begin)
    : arch_(std::move(arch)),
      data_(&data),
      storage_(std::move(storage)),
      x_(begin != nullptr ? begin : storage_->data(), data.x.rows(), data.num_samples()) {
  const double* end = storage_->data() + storage_->size();
  if (x_.data() < storage_->data() || x_.data() + x_.size() > end) {
    throw InputError("network: the inputs lie outside their storage", ErrorCode::bad_state);
  }
  if (arch_.sizes.size() < 2)
    throw InputError("network: needs at least an input and an output layer");
  for (int width : arch_.sizes) {
    if (width < 1) throw InputError("network: every layer needs at least one unit");
  }
  if (arch_.sizes.front() != x_.rows()) {
    throw InputError("network: " + std::to_string(arch_.sizes.front()) +
                     " inputs but the data has " + std::to_string(x_.rows()) + " features");
  }
  if (arch_.sizes.back() != data.num_classes()) {
    throw InputError("network: " + std::to_string(arch_.sizes.back()) +
                     " outputs but the data has " + std::to_string(data.num_classes()) +
                     " classes");
  }
  const auto layers = static_cast<std::size_t>(arch_.num_layers());
  for (int l = 0; l < arch_.num_layers(); ++l) offsets_.push_back(arch_.layer_offset(l));
  // Each softmax total lies in [1, classes]: this many of them multiply to at
  // most 2^1000, so their product cannot overflow before its log is taken.
  log_chunk_ = std::max(
      1, static_cast<int>(1000.0 / std::log2(static_cast<double>(arch_.sizes.back()) + 1.0)));
  labels_.resize(data.num_samples());
  for (int j = 0; j < data.num_samples(); ++j) labels_[j] = data.y[static_cast<std::size_t>(j)];
  z_.resize(layers);
  a_.resize(layers);
}

double NetworkObjective::forward(const Eigen::VectorXd& theta, const double* x, Eigen::Index n,
                                 const double* labels, Pass pass, Eigen::VectorXd* grad) {
  if (theta.size() != arch_.num_params()) {
    throw InputError("network: θ has " + std::to_string(theta.size()) + " entries, expected " +
                     std::to_string(arch_.num_params()));
  }
  const int layers = arch_.num_layers();
  const bool training_data = x == x_.data();
  if (pass == Pass::gradient && training_data && loss_valid_ && same_bits(loss_theta_, theta)) {
    // A loss-only pass at this θ left z, a and e: only δ and the backward
    // pass remain (IHT's backtracking evaluates θ⁺, then asks for its gradient).
    const int classes = arch_.sizes.back();
    delta_.resize(classes, n);
    kernels::softmax_delta(a_.back().data(), labels, n, classes, total_.data(), delta_.data());
    backward(theta, x, n, grad);
    return loss_value_;
  }
  logits_valid_ = false;
  loss_valid_ = false;
  if (n == 0) return 0.0;
  const double* th = theta.data();

  for (int l = 0; l < layers; ++l) {
    const int in = arch_.sizes[static_cast<std::size_t>(l)];
    const int out = arch_.sizes[static_cast<std::size_t>(l) + 1];
    const double* w = th + offsets_[static_cast<std::size_t>(l)];
    auto& z = z_[static_cast<std::size_t>(l)];
    z.resize(out, n);
    const double* input = l == 0 ? x : a_[static_cast<std::size_t>(l) - 1].data();
    double* activated = nullptr;
    if (l + 1 < layers) {
      auto& a = a_[static_cast<std::size_t>(l)];
      a.resize(out, n);
      activated = a.data();
    }
    kernels::layer_forward(w, w + static_cast<std::ptrdiff_t>(out) * in, out, in, input, z.data(),
                           n, kernels_, arch_.activation, activated);
  }
  if (x == x_.data()) {
    logits_theta_ = theta;
    logits_valid_ = true;
  }
  if (pass == Pass::logits) return 0.0;

  // Softmax and cross-entropy, shifted by each sample's largest logit so exp
  // cannot overflow, fused with δ_L = (softmax − onehot(y)) / N for the
  // gradient. The last layer's a receives exp(z − m) after a loss-only pass.
  const int classes = arch_.sizes.back();
  const bool gradient = pass == Pass::gradient;
  Matrix& softmax_out = gradient ? delta_ : a_.back();
  softmax_out.resize(classes, n);
  total_.resize(n);
  const double* logits = z_.back().data();
  const double loss =
      gradient ? kernels::softmax_pass_auto<true>(logits, labels, n, classes, log_chunk_,
                                                  softmax_out.data(), total_.data())
               : kernels::softmax_pass_auto<false>(logits, labels, n, classes, log_chunk_,
                                                   softmax_out.data(), total_.data());
  if (!gradient) {
    if (training_data) {
      loss_theta_ = theta;
      loss_value_ = loss;
      loss_valid_ = true;
    }
    return loss;
  }
  backward(theta, x, n, grad);
  return loss;
}

// Back-propagates delta_ (δ of the last layer) through the activations of the
// last forward pass at θ into the gradient.
void NetworkObjective::backward(const Eigen::VectorXd& theta, const double* x, Eigen::Index n,
                                Eigen::VectorXd* grad) {
  const int layers = arch_.num_layers();
  const double* th = theta.data();
  grad->resize(arch_.num_params());
  for (int l = layers - 1; l >= 0; --l) {
    const int in = arch_.sizes[static_cast<std::size_t>(l)];
    const int out = arch_.sizes[static_cast<std::size_t>(l) + 1];
    const int offset = offsets_[static_cast<std::size_t>(l)];
    const double* input = l == 0 ? x : a_[static_cast<std::size_t>(l) - 1].data();
    kernels::layer_gradient(delta_.data(), input, out, in, n, grad->data() + offset,
                            grad->data() + offset + static_cast<std::ptrdiff_t>(out) * in,
                            kernels_.gemm);
    if (l > 0) {
      delta_prev_.resize(in, n);
      kernels::layer_backward(th + offset, out, in, delta_.data(), delta_prev_.data(), n, kernels_,
                              arch_.activation, z_[static_cast<std::size_t>(l) - 1].data(),
                              a_[static_cast<std::size_t>(l) - 1].data());
      delta_.swap(delta_prev_);
    }
  }
}

double NetworkObjective::evaluate(const Eigen::VectorXd& theta) {
  return forward(theta, x_.data(), x_.cols(), labels_.data(), Pass::loss, nullptr);
}

double NetworkObjective::evaluate_with_gradient(const Eigen::VectorXd& theta,
                                                Eigen::VectorXd& grad) {
  return forward(theta, x_.data(), x_.cols(), labels_.data(), Pass::gradient, &grad);
}

double NetworkObjective::evaluate_batch_with_gradient(const Eigen::VectorXd& theta,
                                                      const int* indices, int count,
                                                      Eigen::VectorXd& grad) {
  batch_x_.resize(x_.rows(), count);
  batch_labels_.resize(count);
  for (int k = 0; k < count; ++k) {
    batch_x_.col(k) = x_.col(indices[k]);
    batch_labels_[k] = labels_[indices[k]];
  }
  return forward(theta, batch_x_.data(), batch_x_.cols(), batch_labels_.data(), Pass::gradient,
                 &grad);
}

std::vector<int> NetworkObjective::predict(const Eigen::VectorXd& theta) {
  const bool known = logits_valid_ && logits_theta_.size() == theta.size() &&
                     (logits_theta_.array() == theta.array()).all();
  if (!known) forward(theta, x_.data(), x_.cols(), labels_.data(), Pass::logits, nullptr);
  const auto& logits = z_.back();
  const Index n = logits.cols();
  // Row by row over contiguous samples (the logits are classes × samples,
  // row-major), so the comparisons vectorise; a strict > keeps the first
  // maximum, so ties go to the lower class.
  std::vector<int> predicted(static_cast<std::size_t>(n), 0);
  best_logit_.resize(n);
  const double* row = logits.data();
  for (Index j = 0; j < n; ++j) best_logit_[j] = row[j];
  for (int k = 1; k < logits.rows(); ++k) {
    row = logits.data() + static_cast<Index>(k) * n;
    for (Index j = 0; j < n; ++j) {
      const bool larger = row[j] > best_logit_[j];
      best_logit_[j] = larger ? row[j] : best_logit_[j];
      predicted[static_cast<std::size_t>(j)] = larger ? k : predicted[static_cast<std::size_t>(j)];
    }
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
  forward(theta, x_.data(), x_.cols(), labels_.data(), Pass::loss, nullptr);
  Eigen::MatrixXd p = a_.back();
  p.array().rowwise() /= total_.transpose().array();
  return p;
}

}  // namespace sparse_iht
