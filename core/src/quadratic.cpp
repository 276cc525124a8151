#include <cmath>
#include <string>

#include "sparse_iht/error.hpp"
#include "sparse_iht/objective.hpp"

#include "ordered.hpp"

namespace sparse_iht {

QuadraticObjective::QuadraticObjective(Eigen::MatrixXd a, Eigen::VectorXd b)
    : a_(std::move(a)), b_(std::move(b)) {
  if (a_.rows() != a_.cols() || a_.rows() != b_.size()) {
    throw InputError("quadratic objective: A must be n × n and b of length n");
  }
}

double QuadraticObjective::evaluate_with_gradient(const Eigen::VectorXd& theta,
                                                  Eigen::VectorXd& grad) {
  grad.noalias() = a_ * theta;
  const double value = 0.5 * theta.dot(grad) - b_.dot(theta);
  grad -= b_;
  return value;
}

double QuadraticObjective::evaluate(const Eigen::VectorXd& theta) {
  return 0.5 * theta.dot(a_ * theta) - b_.dot(theta);
}

RidgeObjective::RidgeObjective(Objective& base, double lambda) : base_(base), lambda_(lambda) {
  if (!(lambda >= 0.0) || !std::isfinite(lambda)) {
    throw InputError::bad_option("ridge", "expected a finite number ≥ 0");
  }
}

double RidgeObjective::evaluate_with_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) {
  const double value = base_.evaluate_with_gradient(theta, grad);
  grad += lambda_ * theta;
  return value + 0.5 * lambda_ * ordered_squared_norm(theta);
}

double RidgeObjective::evaluate(const Eigen::VectorXd& theta) {
  return base_.evaluate(theta) + 0.5 * lambda_ * ordered_squared_norm(theta);
}

double RidgeObjective::evaluate_batch_with_gradient(const Eigen::VectorXd& theta,
                                                    const int* indices, int count,
                                                    Eigen::VectorXd& grad) {
  const double value = base_.evaluate_batch_with_gradient(theta, indices, count, grad);
  grad += lambda_ * theta;
  return value + 0.5 * lambda_ * ordered_squared_norm(theta);
}

}  // namespace sparse_iht
