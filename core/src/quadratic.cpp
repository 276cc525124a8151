#include <string>

#include "sparse_iht/error.hpp"
#include "sparse_iht/objective.hpp"

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

}  // namespace sparse_iht
