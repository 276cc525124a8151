#include "sparse_iht/iht.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "sparse_iht/error.hpp"

namespace sparse_iht {
namespace {

// Counts indices in `now` but not `before` (entered) and the reverse (left);
// both are ascending.
std::pair<int, int> support_changes(const std::vector<int>& before, const std::vector<int>& now) {
  int entered = 0, left = 0;
  std::size_t i = 0, j = 0;
  while (i < before.size() || j < now.size()) {
    if (j == now.size() || (i < before.size() && before[i] < now[j])) {
      ++left;
      ++i;
    } else if (i == before.size() || now[j] < before[i]) {
      ++entered;
      ++j;
    } else {
      ++i;
      ++j;
    }
  }
  return {entered, left};
}

}  // namespace

const char* status_name(IhtStatus s) {
  switch (s) {
    case IhtStatus::running:
      return "running";
    case IhtStatus::converged:
      return "converged";
    case IhtStatus::max_iterations:
      return "max_iterations";
    case IhtStatus::diverged:
      return "diverged";
    case IhtStatus::stopped:
      return "stopped";
  }
  return "running";
}

Iht::Iht(Objective& objective, const IhtOptions& options, const Eigen::VectorXd& theta0)
    : objective_(objective), options_(options), rng_(options.seed) {
  const int n = objective.dimension();
  if (options.s < 1 || options.s > n) {
    throw InputError::bad_option("s", "expected an integer in 1.." + std::to_string(n) + ", got " +
                                          std::to_string(options.s));
  }
  if (!(options.step > 0.0) || !std::isfinite(options.step)) {
    throw InputError::bad_option(
        "step", "expected a finite number > 0, got " + std::to_string(options.step));
  }
  if (options.max_iterations < 0) throw InputError::bad_option("iters", "expected an integer ≥ 0");
  if (!(options.tolerance >= 0.0))
    throw InputError::bad_option("tolerance", "expected a number ≥ 0");
  if (options.batch_size < 0) throw InputError::bad_option("batch-size", "expected an integer ≥ 0");
  if (!(options.divergence_factor > 1.0)) {
    throw InputError("IHT: divergence factor must be > 1", ErrorCode::bad_option);
  }
  if (theta0.size() != n) {
    throw InputError(
        "IHT: θ_0 has " + std::to_string(theta0.size()) + " entries, expected " + std::to_string(n),
        ErrorCode::bad_state);
  }
  theta_ = theta0;
  support_ = threshold_.apply(theta_, options.s);
  next_.resize(n);
  grad_.resize(n);
  next_grad_.resize(n);
}

void Iht::start(IterationObserver* observer) {
  started_ = true;
  loss_ = objective_.evaluate_with_gradient(theta_, grad_);
  if (!std::isfinite(loss_) || !grad_.allFinite()) {
    status_ = IhtStatus::diverged;
  }
  loss_limit_ = options_.divergence_factor * std::max(1.0, std::abs(loss_));
  report(observer, static_cast<int>(support_.size()), 0, 0.0);
}

void Iht::next_batch_gradient() {
  const int total = objective_.num_functions();
  if (order_.empty() || batch_cursor_ >= total) {
    order_.resize(static_cast<std::size_t>(total));
    for (int i = 0; i < total; ++i) order_[static_cast<std::size_t>(i)] = i;
    for (int i = total - 1; i > 0; --i) {
      const auto j = static_cast<int>(rng_.below(static_cast<std::uint64_t>(i) + 1));
      std::swap(order_[static_cast<std::size_t>(i)], order_[static_cast<std::size_t>(j)]);
    }
    batch_cursor_ = 0;
  }
  // The epoch's last batch is the remainder, so every sample is visited once
  // per epoch even when the batch size does not divide the sample count.
  const int size = std::min(options_.batch_size, total - batch_cursor_);
  objective_.evaluate_batch_with_gradient(theta_, order_.data() + batch_cursor_, size, grad_);
  batch_cursor_ += size;
}

IhtStatus Iht::advance(int k, IterationObserver* observer) {
  if (!started_) start(observer);
  const bool mini_batch =
      options_.batch_size > 0 && options_.batch_size < objective_.num_functions();
  for (int done = 0; done < k && status_ == IhtStatus::running; ++done) {
    if (iteration_ >= options_.max_iterations) {
      status_ = IhtStatus::max_iterations;
      break;
    }
    if (observer != nullptr && observer->should_stop()) {
      status_ = IhtStatus::stopped;
      break;
    }
    // Full batch: grad_ already holds ∇f(θ_k) from the previous evaluation,
    // checked finite there. A non-finite mini-batch gradient makes next_
    // non-finite, which the one check below catches.
    if (mini_batch) next_batch_gradient();
    next_ = theta_ - options_.step * grad_;
    if (!next_.allFinite()) {
      status_ = IhtStatus::diverged;
      break;
    }
    threshold_.apply(next_, options_.s);
    const double next_loss = mini_batch ? objective_.evaluate(next_)
                                        : objective_.evaluate_with_gradient(next_, next_grad_);
    if (!std::isfinite(next_loss) || next_loss > loss_limit_ ||
        (!mini_batch && !next_grad_.allFinite())) {
      // Keep θ_k, the last iterate whose loss and gradient are finite.
      status_ = IhtStatus::diverged;
      break;
    }
    next_support_ = threshold_.support();
    const auto [entered, left] = support_changes(support_, next_support_);
    const double step_norm = (next_ - theta_).norm();
    theta_.swap(next_);
    if (!mini_batch) grad_.swap(next_grad_);
    support_.swap(next_support_);
    loss_ = next_loss;
    ++iteration_;
    report(observer, entered, left, step_norm);
    if (step_norm <= options_.tolerance && entered == 0 && left == 0) {
      status_ = IhtStatus::converged;
    }
  }
  if (status_ == IhtStatus::running && iteration_ >= options_.max_iterations) {
    status_ = IhtStatus::max_iterations;
  }
  return status_;
}

IhtStatus Iht::run(IterationObserver* observer) {
  while (status_ == IhtStatus::running) advance(1 << 20, observer);
  return status_;
}

void Iht::stop() {
  if (status_ == IhtStatus::running) status_ = IhtStatus::stopped;
}

void Iht::report(IterationObserver* observer, int entered, int left, double step_norm) {
  if (observer == nullptr) return;
  IterationInfo info;
  info.iteration = iteration_;
  info.loss = loss_;
  info.nnz = static_cast<int>(support_.size());
  info.entered = entered;
  info.left = left;
  info.step_norm = step_norm;
  info.theta = &theta_;
  info.support = &support_;
  observer->on_iteration(info);
}

}  // namespace sparse_iht
