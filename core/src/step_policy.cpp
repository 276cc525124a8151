#include "sparse_iht/step_policy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "ordered.hpp"

namespace sparse_iht {
namespace {

// Halvings before a rule gives up on its condition: 2^-40 of the first try.
constexpr int kMaxHalvings = 40;

class FixedStep final : public StepPolicy {
 public:
  FixedStep(double gamma, std::optional<double> upper, const char* name)
      : gamma_(gamma), upper_(upper), name_(name) {}
  const char* name() const override { return name_; }
  StepOutcome take(StepContext& context) override {
    context.try_step(gamma_);
    return {gamma_, upper_.has_value() && gamma_ * *upper_ < 1.0};
  }

 private:
  double gamma_;
  std::optional<double> upper_;
  const char* name_;
};

class BacktrackingStep final : public StepPolicy {
 public:
  explicit BacktrackingStep(double start) : start_(start) {}
  const char* name() const override { return "backtracking"; }
  bool needs_full_batch() const override { return true; }
  bool adaptive() const override { return true; }
  StepOutcome take(StepContext& context) override {
    // Doubling the last step first lets γ grow back where f flattens, up to
    // the starting step (at a fixed point every step passes the test, since
    // θ⁺ = θ, and γ would otherwise grow without bound).
    double gamma = last_ > 0.0 ? std::min(start_, 2.0 * last_) : start_;
    for (int halvings = 0; halvings <= kMaxHalvings; ++halvings, gamma *= 0.5) {
      const double loss = context.try_step(gamma);
      // The condition implies f(θ⁺) ≤ f(θ); asking it exactly as well keeps
      // the loss history non-increasing where f's rounding blurs the test.
      if (std::isfinite(loss) && loss <= context.loss() && context.descends(gamma, loss)) {
        last_ = gamma;
        return {gamma, true};
      }
    }
    // No step descends at this precision: stay at θ (θ⁺ = H_s(θ) = θ), which
    // ends the run as converged.
    context.try_step(0.0);
    return {0.0, true};
  }

 private:
  double start_;
  double last_ = 0.0;
};

class NormalizedStep final : public StepPolicy {
 public:
  explicit NormalizedStep(double start) : start_(start) {}
  const char* name() const override { return "normalized"; }
  bool needs_full_batch() const override { return true; }
  bool adaptive() const override { return true; }
  StepOutcome take(StepContext& context) override {
    constexpr double kC = 0.01;
    constexpr double kKappa = 2.0;
    const Eigen::VectorXd& theta = context.theta();
    const Eigen::VectorXd& grad = context.gradient();
    // Γ: the support of θ_k, or of H_s(∇f) when θ_k = 0.
    std::vector<int> gamma_set = context.support();
    if (gamma_set.empty()) gamma_set = largest(grad, context.s());
    Eigen::VectorXd u = Eigen::VectorXd::Zero(theta.size());
    for (const int i : gamma_set) u[i] = grad[i];
    const double gg = ordered_squared_norm(u);
    double mu = last_ > 0.0 ? last_ : start_;
    if (gg > 0.0) {
      const double curvature = context.curvature(u);
      // A direction of non-positive curvature gives no step length: keep the last one.
      // (1 − c) keeps μ strictly inside the descent condition: on a quadratic
      // with an unchanged support, ‖g_Γ‖² / g_Γᵀ∇²f g_Γ lies exactly on its boundary.
      if (curvature > 0.0 && std::isfinite(curvature)) mu = (1.0 - kC) * gg / curvature;
    }
    double loss = 0.0;
    for (int shrinks = 0;; ++shrinks) {
      loss = context.try_step(mu);
      if (shrinks == kMaxHalvings) break;
      if (std::isfinite(loss)) {
        if (context.candidate_support() == gamma_set) break;
        const Eigen::VectorXd d = context.candidate() - theta;
        const double curvature = context.curvature(d);
        const double omega = curvature > 0.0 ? (1.0 - kC) * ordered_squared_norm(d) / curvature
                                             : std::numeric_limits<double>::infinity();
        if (mu <= omega) break;
      }
      mu /= kKappa * (1.0 - kC);
    }
    last_ = mu;
    return {mu, std::isfinite(loss) && context.descends(mu, loss)};
  }

 private:
  // The indices of the s largest |g|, ascending (ties to the lower index).
  static std::vector<int> largest(const Eigen::VectorXd& g, int s) {
    std::vector<int> order(static_cast<std::size_t>(g.size()));
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return std::abs(g[a]) > std::abs(g[b]); });
    order.resize(static_cast<std::size_t>(std::min<Eigen::Index>(s, g.size())));
    std::sort(order.begin(), order.end());
    return order;
  }

  double start_;
  double last_ = 0.0;
};

class NewtonRefinement final : public Refinement {
 public:
  NewtonRefinement(int max_steps, double tolerance)
      : max_steps_(max_steps), tolerance_(tolerance) {}
  const char* name() const override { return "newton"; }
  bool refine(Objective& objective, Eigen::VectorXd& theta,
              const std::vector<int>& support) override {
    const auto k = static_cast<Eigen::Index>(support.size());
    if (k == 0) return false;
    const Eigen::Index n = theta.size();
    grad_.resize(n);
    double loss = objective.evaluate_with_gradient(theta, grad_);
    if (!std::isfinite(loss)) return false;
    bool moved = false;
    Eigen::VectorXd g(k), p(k);
    Eigen::MatrixXd h(k, k);
    for (int step = 0; step < max_steps_; ++step) {
      for (Eigen::Index a = 0; a < k; ++a) g[a] = grad_[support[static_cast<std::size_t>(a)]];
      if (!(g.lpNorm<Eigen::Infinity>() > tolerance_)) break;
      if (!hessian(objective, theta, support, h)) break;
      if (!solve(h, g, p)) break;
      // Armijo backtracking along the Newton direction.
      const double slope = ordered_dot(g, p);
      if (!(slope < 0.0)) break;
      double t = 1.0;
      bool accepted = false;
      for (int halvings = 0; halvings < 40; ++halvings, t *= 0.5) {
        trial_ = theta;
        for (Eigen::Index a = 0; a < k; ++a)
          trial_[support[static_cast<std::size_t>(a)]] += t * p[a];
        const double trial_loss = objective.evaluate(trial_);
        if (std::isfinite(trial_loss) && trial_loss <= loss + 1e-4 * t * slope) {
          accepted = true;
          break;
        }
      }
      if (!accepted) break;
      theta.swap(trial_);
      loss = objective.evaluate_with_gradient(theta, grad_);
      moved = true;
    }
    return moved;
  }

 private:
  // The Hessian on the support from central secants of the gradient, symmetrised.
  bool hessian(Objective& objective, const Eigen::VectorXd& theta, const std::vector<int>& support,
               Eigen::MatrixXd& h) {
    const auto k = static_cast<Eigen::Index>(support.size());
    const double epsilon = 1e-5 * (1.0 + theta.lpNorm<Eigen::Infinity>());
    plus_.resize(theta.size());
    minus_.resize(theta.size());
    for (Eigen::Index b = 0; b < k; ++b) {
      const int j = support[static_cast<std::size_t>(b)];
      trial_ = theta;
      trial_[j] += epsilon;
      objective.evaluate_with_gradient(trial_, plus_);
      trial_[j] = theta[j] - epsilon;
      objective.evaluate_with_gradient(trial_, minus_);
      for (Eigen::Index a = 0; a < k; ++a) {
        const int i = support[static_cast<std::size_t>(a)];
        h(a, b) = (plus_[i] - minus_[i]) / (2.0 * epsilon);
      }
    }
    if (!h.allFinite()) return false;
    h = 0.5 * (h + h.transpose()).eval();
    return true;
  }

  // p = −(H + δI)⁻¹ g with the smallest δ in 0, 1e-8·scale, ×10 … that makes
  // H + δI positive definite (Levenberg), so p descends.
  static bool solve(const Eigen::MatrixXd& h, const Eigen::VectorXd& g, Eigen::VectorXd& p) {
    const double scale = std::max(1.0, h.diagonal().cwiseAbs().maxCoeff());
    double shift = 0.0;
    for (int tries = 0; tries < 20; ++tries) {
      if (ordered_cholesky_solve(h, shift, g, p)) return true;
      shift = shift == 0.0 ? 1e-8 * scale : shift * 10.0;
    }
    return false;
  }

  int max_steps_;
  double tolerance_;
  Eigen::VectorXd grad_, trial_, plus_, minus_;
};

}  // namespace

std::unique_ptr<StepPolicy> fixed_step(double gamma, std::optional<double> upper,
                                       const char* name) {
  return std::make_unique<FixedStep>(gamma, upper, name);
}

std::unique_ptr<StepPolicy> backtracking_step(double gamma_start) {
  return std::make_unique<BacktrackingStep>(gamma_start);
}

std::unique_ptr<StepPolicy> normalized_step(double gamma_start) {
  return std::make_unique<NormalizedStep>(gamma_start);
}

std::unique_ptr<Refinement> newton_refinement(int max_steps, double gradient_tolerance) {
  return std::make_unique<NewtonRefinement>(max_steps, gradient_tolerance);
}

}  // namespace sparse_iht
