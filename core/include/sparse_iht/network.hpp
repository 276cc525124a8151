// A dense feed-forward classifier and its mean cross-entropy objective on a
// flat parameter vector θ.
//
// Layout of θ (SPEC §1): layers in order from input to output; for each layer
// with weight matrix W (outputs × inputs) and bias b, first W row by row —
// W[o][i] at offset o·inputs + i — then b. Hidden layers use the chosen
// activation; the output layer is a softmax.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "sparse_iht/dataset.hpp"
#include "sparse_iht/objective.hpp"

namespace sparse_iht {

class Rng;

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
  NetworkObjective(Architecture arch, const Dataset& data);

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

 private:
  double forward(const Eigen::VectorXd& theta, const Eigen::MatrixXd& x, const std::vector<int>& y,
                 bool want_gradient, Eigen::VectorXd* grad);

  Architecture arch_;
  const Dataset* data_;
  // Workspace: pre-activations and activations per layer, and back-propagated deltas.
  std::vector<Eigen::MatrixXd> z_, a_;
  Eigen::MatrixXd delta_, delta_prev_;
  Eigen::RowVectorXd shift_, total_;
  Eigen::MatrixXd batch_x_;
  std::vector<int> batch_y_;
};

}  // namespace sparse_iht
