#include "sparse_iht/iht.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "ordered.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/ht_stability.hpp"

namespace sparse_iht {
namespace {

// The indices in `now` but not `before` (entered) and the reverse (left); all
// ascending.
void support_changes(const std::vector<int>& before, const std::vector<int>& now,
                     std::vector<int>& entered, std::vector<int>& left) {
  entered.clear();
  left.clear();
  std::size_t i = 0, j = 0;
  while (i < before.size() || j < now.size()) {
    if (j == now.size() || (i < before.size() && before[i] < now[j])) {
      left.push_back(before[i]);
      ++i;
    } else if (i == before.size() || now[j] < before[i]) {
      entered.push_back(now[j]);
      ++j;
    } else {
      ++i;
      ++j;
    }
  }
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
    case IhtStatus::stable:
      return "stable";
  }
  return "running";
}

// What a step rule sees: the driver's state at θ_k, read-only, and try_step,
// which writes the candidate into the driver's next_.
class Iht::Context final : public StepContext {
 public:
  explicit Context(Iht& iht) : iht_(iht) {}
  const Eigen::VectorXd& theta() const override { return iht_.theta_; }
  const Eigen::VectorXd& gradient() const override { return iht_.grad_; }
  double loss() const override { return iht_.loss_; }
  const std::vector<int>& support() const override { return iht_.support_; }
  int s() const override { return iht_.options_.s; }
  const Eigen::VectorXd& candidate() const override { return iht_.next_; }
  const std::vector<int>& candidate_support() const override { return iht_.next_support_; }

  double try_step(double gamma) override {
    Iht& t = iht_;
    t.next_ = t.theta_ - gamma * t.grad_;
    t.next_has_gradient_ = false;
    t.next_loss_ = std::numeric_limits<double>::quiet_NaN();
    if (!t.next_.allFinite()) return t.next_loss_;
    if (t.record_) t.trial_preimage_ = t.next_;
    t.threshold_.apply(t.next_, t.options_.s);
    t.next_support_ = t.threshold_.support();
    // A rule that tries once (a fixed step) takes the gradient with the loss:
    // one pass over the data instead of two.
    if (!t.mini_batch_ && !t.policy_->adaptive()) {
      t.next_has_gradient_ = true;
      t.next_loss_ = t.objective_.evaluate_with_gradient(t.next_, t.next_grad_);
    } else {
      t.next_loss_ = t.objective_.evaluate(t.next_);
    }
    return t.next_loss_;
  }

  double curvature(const Eigen::VectorXd& u) override {
    Iht& t = iht_;
    const double norm = ordered_norm(u);
    if (!(norm > 0.0) || !std::isfinite(norm)) return 0.0;
    // A forward secant along u/‖u‖, small against θ and large against rounding.
    const double epsilon = 1e-5 * (1.0 + t.theta_.lpNorm<Eigen::Infinity>());
    t.probe_ = t.theta_ + (epsilon / norm) * u;
    t.objective_.evaluate_with_gradient(t.probe_, t.probe_grad_);
    t.probe_grad_ -= t.grad_;
    return norm * ordered_dot(u, t.probe_grad_) / epsilon;
  }

  bool descends(double gamma, double candidate_loss) const override {
    const Iht& t = iht_;
    if (!std::isfinite(candidate_loss)) return false;
    const Eigen::VectorXd d = t.next_ - t.theta_;
    const double model =
        t.loss_ + ordered_dot(t.grad_, d) + ordered_squared_norm(d) / (2.0 * gamma);
    // f is computed, not exact: allow a few ulps of |f(θ)|.
    const double slack = 8.0 * DBL_EPSILON * std::max(1.0, std::abs(t.loss_));
    return candidate_loss <= model + slack;
  }

 private:
  Iht& iht_;
};

Iht::Iht(Objective& objective, const IhtOptions& options, const Eigen::VectorXd& theta0)
    : Iht(objective, options, theta0, nullptr) {}

Iht::Iht(Objective& objective, const IhtOptions& options, const Eigen::VectorXd& theta0,
         std::unique_ptr<StepPolicy> step, std::unique_ptr<Refinement> refinement)
    : objective_(objective),
      options_(options),
      policy_(std::move(step)),
      refinement_(std::move(refinement)),
      rng_(options.seed) {
  const int n = objective.dimension();
  if (options.s < 1 || options.s > n) {
    throw InputError::bad_option("s", "expected an integer in 1.." + std::to_string(n) + ", got " +
                                          std::to_string(options.s));
  }
  if (!policy_) {
    if (!(options.step > 0.0) || !std::isfinite(options.step)) {
      throw InputError::bad_option(
          "step", "expected a finite number > 0, got " + std::to_string(options.step));
    }
    policy_ = fixed_step(options.step, std::nullopt);
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
  mini_batch_ = options_.batch_size > 0 && options_.batch_size < objective_.num_functions();
  if (mini_batch_ && policy_->needs_full_batch()) {
    throw InputError::bad_option("batch-size", std::string("the step rule ") + policy_->name() +
                                                   " evaluates the loss at trial points and needs "
                                                   "the full batch (0); give a number as the step");
  }
  if (mini_batch_ && refinement_) {
    throw InputError::bad_option("batch-size",
                                 "the refinement on the support needs the full batch (0)");
  }
  context_ = std::make_unique<Context>(*this);
  theta_ = theta0;
  support_ = threshold_.apply(theta_, options.s);
  next_.resize(n);
  grad_.resize(n);
  next_grad_.resize(n);
}

Iht::~Iht() = default;

void Iht::start(IterationObserver* observer) {
  started_ = true;
  loss_ = objective_.evaluate_with_gradient(theta_, grad_);
  if (!std::isfinite(loss_) || !grad_.allFinite()) {
    status_ = IhtStatus::diverged;
  }
  loss_limit_ = options_.divergence_factor * std::max(1.0, std::abs(loss_));
  entered_ = support_;
  left_.clear();
  report(observer, 0.0);
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
    // non-finite, which the check below catches.
    if (mini_batch_) next_batch_gradient();
    const StepOutcome outcome = policy_->take(*context_);
    if (!next_.allFinite()) {
      status_ = IhtStatus::diverged;
      break;
    }
    if (refinement_ && refinement_->refine(objective_, next_, next_support_)) {
      next_has_gradient_ = false;
    }
    double next_loss = next_loss_;
    if (!mini_batch_ && !next_has_gradient_) {
      next_loss = objective_.evaluate_with_gradient(next_, next_grad_);
    }
    if (!std::isfinite(next_loss) || next_loss > loss_limit_ ||
        (!mini_batch_ && !next_grad_.allFinite())) {
      // Keep θ_k, the last iterate whose loss and gradient are finite.
      status_ = IhtStatus::diverged;
      break;
    }
    support_changes(support_, next_support_, entered_, left_);
    const double step_norm = (next_ - theta_).norm();
    if (record_) {
      previous_ = theta_;
      preimage_.swap(trial_preimage_);
    }
    theta_.swap(next_);
    if (!mini_batch_) grad_.swap(next_grad_);
    support_.swap(next_support_);
    loss_ = next_loss;
    // A zero step (θ⁺ = θ) keeps the last γ, the step the point is stable for.
    if (outcome.step > 0.0) last_step_ = outcome.step;
    certified_ = certified_ && outcome.certified;
    last_certified_ = outcome.certified;
    last_outcome_step_ = outcome.step;
    ++iteration_;
    report(observer, step_norm);
    if (step_norm <= options_.tolerance && entered_.empty() && left_.empty()) {
      status_ = IhtStatus::converged;
    } else if (options_.stop_when_stable && !mini_batch_ &&
               check_ht_stability(theta_, grad_, options_.s, last_step_, options_.ht_tolerance)
                   .stable) {
      status_ = IhtStatus::stable;
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

void Iht::report(IterationObserver* observer, double step_norm) {
  if (observer == nullptr) return;
  IterationInfo info;
  info.iteration = iteration_;
  info.loss = loss_;
  info.nnz = static_cast<int>(support_.size());
  info.entered = static_cast<int>(entered_.size());
  info.left = static_cast<int>(left_.size());
  info.step_norm = step_norm;
  info.step = iteration_ == 0 ? 0.0 : last_outcome_step_;
  info.certified = iteration_ == 0 || last_certified_;
  info.theta = &theta_;
  info.support = &support_;
  info.entered_indices = &entered_;
  info.left_indices = &left_;
  observer->on_iteration(info);
}

}  // namespace sparse_iht
