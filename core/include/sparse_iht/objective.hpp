// The objective concept every algorithm works on (after ensmallen's
// FunctionType): a smooth f: R^n -> R with its gradient, optionally separable
// into NumFunctions() terms for mini-batches. IHT, the L_2s estimator and the
// HT-stability check depend only on this interface, so each is tested on a
// quadratic whose answer is known.
#pragma once

#include <Eigen/Core>

namespace sparse_iht {

class Objective {
 public:
  virtual ~Objective() = default;
  virtual int dimension() const = 0;
  // f(theta), and grad = ∇f(theta).
  virtual double evaluate_with_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) = 0;
  virtual double evaluate(const Eigen::VectorXd& theta) = 0;
  // Number of separable terms (training samples); 1 if not separable.
  virtual int num_functions() const { return 1; }
  // Mean over the terms indices[0..count): f_B and ∇f_B. The default ignores
  // the batch (for objectives that are not separable).
  virtual double evaluate_batch_with_gradient(const Eigen::VectorXd& theta, const int* indices,
                                              int count, Eigen::VectorXd& grad) {
    (void)indices;
    (void)count;
    return evaluate_with_gradient(theta, grad);
  }
};

// f(θ) + λ/2 ‖θ‖² over a base objective f: the L0L2 problem (ridge λ ≥ 0,
// docs/method.md §2). Holds a reference to the base, which must outlive it.
class RidgeObjective final : public Objective {
 public:
  RidgeObjective(Objective& base, double lambda);
  int dimension() const override { return base_.dimension(); }
  double evaluate_with_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) override;
  double evaluate(const Eigen::VectorXd& theta) override;
  int num_functions() const override { return base_.num_functions(); }
  double evaluate_batch_with_gradient(const Eigen::VectorXd& theta, const int* indices, int count,
                                      Eigen::VectorXd& grad) override;
  Objective& base() const { return base_; }
  double lambda() const { return lambda_; }

 private:
  Objective& base_;
  double lambda_;
};

// f(x) = 0.5 xᵀAx − bᵀx, A symmetric: a convex quadratic with known minimisers
// and a computable L_2s, for tests and examples.
class QuadraticObjective final : public Objective {
 public:
  QuadraticObjective(Eigen::MatrixXd a, Eigen::VectorXd b);
  int dimension() const override { return static_cast<int>(b_.size()); }
  double evaluate_with_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) override;
  double evaluate(const Eigen::VectorXd& theta) override;
  const Eigen::MatrixXd& a() const { return a_; }
  const Eigen::VectorXd& b() const { return b_; }

 private:
  Eigen::MatrixXd a_;
  Eigen::VectorXd b_;
};

}  // namespace sparse_iht
