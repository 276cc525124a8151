// The parts of IHT that vary (docs/method.md §2), after ensmallen's update
// and decay policies: a step rule chooses γ for θ⁺ = H_s(θ − γ ∇f(θ)), and an
// optional refinement improves θ⁺ on its support. The driver (Iht) owns the
// iterate, the stopping rules, divergence and the observers; a new rule or
// refinement is a new class here and does not touch it.
#pragma once

#include <Eigen/Core>
#include <memory>
#include <optional>
#include <vector>

#include "sparse_iht/objective.hpp"

namespace sparse_iht {

// What a step rule sees at θ_k, and the one thing it may do: try a step.
class StepContext {
 public:
  virtual ~StepContext() = default;
  virtual const Eigen::VectorXd& theta() const = 0;
  // ∇f(θ_k): the full gradient, or the mini-batch's in stochastic IHT.
  virtual const Eigen::VectorXd& gradient() const = 0;
  // f(θ_k) on the whole objective.
  virtual double loss() const = 0;
  virtual const std::vector<int>& support() const = 0;  // of θ_k, ascending
  virtual int s() const = 0;
  // Forms the candidate θ⁺ = H_s(θ_k − γ ∇f(θ_k)) and returns f(θ⁺), or a
  // non-finite value when θ⁺ or f(θ⁺) is not finite. The candidate of the last
  // call is the step the driver takes.
  virtual double try_step(double gamma) = 0;
  virtual const Eigen::VectorXd& candidate() const = 0;
  virtual const std::vector<int>& candidate_support() const = 0;
  // ⟨u, ∇²f(θ_k) u⟩ from a gradient secant: one gradient evaluation.
  virtual double curvature(const Eigen::VectorXd& u) = 0;
  // The sparse descent condition for the current candidate, which every step
  // rule's certificate rests on (docs/method.md §2):
  //   f(θ⁺) ≤ f(θ) + ⟨∇f(θ), θ⁺ − θ⟩ + ‖θ⁺ − θ‖² / (2γ),
  // up to rounding in f (a few ulps of |f(θ)|).
  virtual bool descends(double gamma, double candidate_loss) const = 0;
};

struct StepOutcome {
  double step = 0.0;       // the γ of the candidate left in the context (0: θ⁺ = θ)
  bool certified = false;  // γ ≤ 1/U for a certified U ≥ L_2s, or the descent condition held
};

class StepPolicy {
 public:
  virtual ~StepPolicy() = default;
  // "fixed", "estimate", "bound", "normalized" or "backtracking".
  virtual const char* name() const = 0;
  // Rules that evaluate f at trial points need the full objective.
  virtual bool needs_full_batch() const { return false; }
  // Whether γ changes from step to step (the history records it then).
  virtual bool adaptive() const { return false; }
  // Chooses γ and leaves its candidate in the context (at least one try_step).
  virtual StepOutcome take(StepContext& context) = 0;
};

// γ fixed. `upper`, when given, is a certified bound U ≥ L_2s: the step is
// certified when γ·U < 1. `name` is the rule that chose γ (fixed, estimate, bound).
std::unique_ptr<StepPolicy> fixed_step(double gamma, std::optional<double> upper,
                                       const char* name = "fixed");

// Backtracking: from min(γ_start, 2γ_{k−1}) (γ_start at the first step) halve
// γ until the sparse descent condition holds and f(θ⁺) ≤ f(θ). Every accepted
// step is certified by it. When 40 halvings find none (f's rounding at a
// minimiser), the step is 0: θ stays, and the run ends as converged.
std::unique_ptr<StepPolicy> backtracking_step(double gamma_start);

// Normalised IHT (Blumensath & Davies 2010) for a smooth f: with Γ the support
// of θ_k (of H_s(∇f) when θ_k = 0), μ = (1 − c)‖∇_Γ f‖² / ⟨∇_Γ f, ∇²f ∇_Γ f⟩; when
// the support moves, the safeguard asks μ ≤ (1 − c)‖θ⁺ − θ‖² / ⟨θ⁺ − θ, ∇²f
// (θ⁺ − θ)⟩ and divides μ by κ(1 − c) until it holds (c = 0.01, κ = 2). A step
// is certified when the descent condition holds for it.
std::unique_ptr<StepPolicy> normalized_step(double gamma_start);

// Improves θ⁺ on its support S after thresholding (HTP-style): the driver
// keeps θ⁺ off S at 0 and re-evaluates f after it.
class Refinement {
 public:
  virtual ~Refinement() = default;
  virtual const char* name() const = 0;
  // Moves theta on `support` only; returns false to leave it unchanged.
  virtual bool refine(Objective& objective, Eigen::VectorXd& theta,
                      const std::vector<int>& support) = 0;
};

// Damped Newton on the support: the s × s Hessian from central gradient
// secants, a Levenberg shift when it is not positive definite, and a
// backtracking (Armijo) line search, for up to `max_steps` steps or until
// ‖∇_S f‖∞ ≤ `gradient_tolerance`.
std::unique_ptr<Refinement> newton_refinement(int max_steps = 5, double gradient_tolerance = 1e-12);

}  // namespace sparse_iht
