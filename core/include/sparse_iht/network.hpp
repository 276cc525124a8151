// A dense feed-forward classifier and its mean cross-entropy objective on a
// flat parameter vector θ.
//
// Layout of θ (docs/method.md §1): layers in order from input to output; for each layer
// with weight matrix W (outputs × inputs) and bias b, first W row by row —
// W[o][i] at offset o·inputs + i — then b. Hidden layers use the chosen
// activation; the output layer is a softmax.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "sparse_iht/dataset.hpp"
#include "sparse_iht/objective.hpp"

namespace sparse_iht {

class Rng;

namespace detail {
// The nonzero weights of one layer as a list per unit: entries start[u] to
// start[u + 1] of offset (the other unit's index times the samples) and value.
// Workspace of the sparse layer kernels (core/src/kernels/layers.hpp).
struct NonzeroLists {
  std::vector<int> start;
  std::vector<std::ptrdiff_t> offset;
  std::vector<double> value;
};
// Eigen's GEMM packing buffers, kept from one call to the next.
struct GemmBuffers {
  std::vector<double, Eigen::aligned_allocator<double>> lhs, rhs;
};
// What the layer kernels keep between calls.
struct LayerWorkspace {
  NonzeroLists lists;
  GemmBuffers gemm;
};
}  // namespace detail

enum class Activation { tanh, relu, sigmoid };
Activation parse_activation(const std::string& name);  // throws InputError
const char* activation_name(Activation a);

struct Architecture {
  // Layer widths from input to output: {inputs, hidden..., classes}.
  std::vector<int> sizes;
  Activation activation = Activation::tanh;

  int num_layers() const { return static_cast<int>(sizes.size()) - 1; }
  int num_params() const;
  // Offset of layer l's W in θ; its b follows at offset + sizes[l+1]·sizes[l].
  int layer_offset(int layer) const;
};

// Scaled Glorot-normal weights, W ~ N(0, scale² · 2 / (inputs + outputs)), and
// zero biases.
Eigen::VectorXd initial_parameters(const Architecture& arch, Rng& rng, double scale = 1.0);

// Mean cross-entropy of the softmax output over a data set. Keeps its
// workspace between calls, so evaluating in a loop does not allocate.
class NetworkObjective final : public Objective {
 public:
  // The inputs as the objective reads them: features × samples, row-major,
  // so every elementwise step runs over contiguous samples.
  using Features = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using FeaturesView = Eigen::Map<const Features>;

  // Copies data.x into its own layout.
  NetworkObjective(Architecture arch, const Dataset& data);
  // Reads its inputs, already in its layout, from shared storage: features ×
  // data.num_samples() values from `begin`, which lies inside `storage` (a
  // Problem keeps its train and test inputs in one buffer). `data` gives the
  // labels and class names; its x is unused.
  NetworkObjective(Architecture arch, const Dataset& data,
                   std::shared_ptr<const Eigen::MatrixXd> storage, const double* begin);

  int dimension() const override { return arch_.num_params(); }
  int num_functions() const override { return static_cast<int>(data_->y.size()); }
  double evaluate(const Eigen::VectorXd& theta) override;
  double evaluate_with_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) override;
  double evaluate_batch_with_gradient(const Eigen::VectorXd& theta, const int* indices, int count,
                                      Eigen::VectorXd& grad) override;

  // Fraction of samples whose largest output (ties to the lower class) is the label.
  double accuracy(const Eigen::VectorXd& theta);
  // Predicted class of every sample.
  std::vector<int> predict(const Eigen::VectorXd& theta);
  // Class probabilities, classes × samples.
  Eigen::MatrixXd probabilities(const Eigen::VectorXd& theta);

  const Architecture& architecture() const { return arch_; }
  const Dataset& data() const { return *data_; }
  const FeaturesView& features() const { return x_; }

 private:
  // Activations are stored unit by unit: a layer's values form a units × samples
  // row-major matrix, so every elementwise step runs over contiguous samples.
  using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  enum class Pass { logits, loss, gradient };
  // x: features × n inputs, row-major.
  double forward(const Eigen::VectorXd& theta, const double* x, Eigen::Index n,
                 const double* labels, Pass pass, Eigen::VectorXd* grad);
  void backward(const Eigen::VectorXd& theta, const double* x, Eigen::Index n,
                Eigen::VectorXd* grad);

  Architecture arch_;
  const Dataset* data_;
  std::vector<int> offsets_;  // layer_offset(l) of every layer
  int log_chunk_ = 1;         // softmax totals multiplied together before one log
  // data_->x as features × samples, row-major, and the labels as numbers (the
  // data must not change after the objective is built: Problem standardises
  // it first).
  std::shared_ptr<const Eigen::MatrixXd> storage_;
  FeaturesView x_;
  Eigen::VectorXd labels_;
  // Workspace: pre-activations and activations per layer (the last layer's a
  // holds the unnormalised softmax after a loss-only pass), back-propagated
  // deltas, the per-sample softmax totals, and a mini-batch's inputs and labels.
  std::vector<Matrix> z_, a_;
  Matrix delta_, delta_prev_;
  detail::LayerWorkspace kernels_;
  Eigen::VectorXd total_;
  Matrix batch_x_;
  Eigen::VectorXd batch_labels_;
  // The θ whose logits on the training data z_.back() holds, if any: predict()
  // at the θ just evaluated (a history's accuracy after each IHT step) reads
  // them instead of running the network again.
  Eigen::VectorXd logits_theta_;
  bool logits_valid_ = false;
  // The θ of the last loss-only pass on the training data, while z_, a_ and
  // total_ still hold it, and its loss: the gradient at that θ starts from
  // them instead of running the network again.
  Eigen::VectorXd loss_theta_;
  double loss_value_ = 0.0;
  bool loss_valid_ = false;
  Eigen::VectorXd best_logit_;  // predict()'s running maximum per sample
};

}  // namespace sparse_iht
