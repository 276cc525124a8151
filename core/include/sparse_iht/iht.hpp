// Iterative Hard Thresholding (docs/method.md §2): θ_{k+1} = H_s(θ_k − γ_k ∇f(θ_k)),
// optionally refined on its support. The driver here keeps the iterate, the
// stopping rules, divergence and the observers; the step rule and the
// refinement are policies (sparse_iht/step_policy.hpp).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sparse_iht/hard_threshold.hpp"
#include "sparse_iht/objective.hpp"
#include "sparse_iht/observer.hpp"
#include "sparse_iht/random.hpp"
#include "sparse_iht/step_policy.hpp"

namespace sparse_iht {

enum class IhtStatus {
  running,         // advance() returned before a stopping rule fired
  converged,       // ‖θ_{k+1} − θ_k‖ ≤ tol with an unchanged support
  max_iterations,  // the iteration budget ran out
  diverged,        // loss, gradient or iterate not finite, or the loss blew up (see
                   // IhtOptions::divergence_factor); θ is the last iterate before it
  stopped,         // an observer asked to stop
  stable           // HT-stable (IhtOptions::stop_when_stable): the verdict has settled
};
const char* status_name(IhtStatus s);

struct IhtOptions {
  int s = 5;
  double step = 0.1;  // γ > 0, for the constructor without a step policy
  int max_iterations = 1000;
  double tolerance = 1e-9;  // on ‖θ_{k+1} − θ_k‖
  // 0 or ≥ num_functions(): full batch. Otherwise each epoch visits every
  // term once in batches of batch_size, the last batch being the remainder
  // (smaller when batch_size does not divide num_functions()).
  int batch_size = 0;
  // Mini-batch order: epoch after epoch, Fisher–Yates shuffles of 0..m−1
  // drawn in turn from one Rng(seed) (for i = m−1 down to 1, swap entries i
  // and below(i + 1)), so runs are reproducible natively and in WebAssembly.
  std::uint64_t seed = 1;
  // Also diverged when f(θ_k) > divergence_factor · max(1, |f(θ_0)|): for a
  // softmax network the gradient is bounded, so a far too large step makes the
  // loss explode long before anything overflows.
  double divergence_factor = 100.0;
  // Stop with status "stable" once θ_k is HT-stable for its step (full batch
  // only; sparse_iht/ht_stability.hpp) with this gradient tolerance.
  bool stop_when_stable = false;
  double ht_tolerance = 1e-4;
};

// Resumable IHT, so a page can advance a few iterations per frame. run() is
// advance() until a stopping rule fires.
class Iht {
 public:
  // θ_0 = H_s(theta0). Throws InputError on bad options or a θ_0 of the wrong size.
  // A fixed step, options.step.
  Iht(Objective& objective, const IhtOptions& options, const Eigen::VectorXd& theta0);
  // A step rule and an optional refinement on the support. Throws InputError
  // when the rule or the refinement needs the full batch and options ask for
  // mini-batches.
  Iht(Objective& objective, const IhtOptions& options, const Eigen::VectorXd& theta0,
      std::unique_ptr<StepPolicy> step, std::unique_ptr<Refinement> refinement = nullptr);
  ~Iht();

  // Up to k more iterations (fewer if a stopping rule fires). Observers see
  // θ_0 on the first call and every iterate after it.
  IhtStatus advance(int k, IterationObserver* observer = nullptr);
  IhtStatus run(IterationObserver* observer = nullptr);
  // Ends a running run with status "stopped", keeping its state.
  void stop();

  const Eigen::VectorXd& theta() const { return theta_; }
  const std::vector<int>& support() const { return support_; }
  // f(θ) at the current iterate (full objective for full batch).
  double loss() const { return loss_; }
  int iterations() const { return iteration_; }
  IhtStatus status() const { return status_; }
  bool done() const { return status_ != IhtStatus::running; }
  const IhtOptions& options() const { return options_; }
  // ∇f(θ_k) (the last batch's in stochastic IHT).
  const Eigen::VectorXd& gradient() const { return grad_; }
  // γ of the last step (0 before the first), and whether every step so far was
  // certified (step_policy.hpp, StepOutcome::certified).
  double last_step() const { return last_step_; }
  bool certified() const { return certified_; }
  const StepPolicy& step_policy() const { return *policy_; }
  // Keep the two halves of each step for a step-by-step view: after a step,
  // previous_theta() is θ_{k−1} and gradient_step() is v = θ_{k−1} − γ ∇f(θ_{k−1}),
  // of which θ_k = H_s(v) (before any refinement). Off by default: two copies of θ per step.
  void record_steps(bool on) { record_ = on; }
  const Eigen::VectorXd& previous_theta() const { return previous_; }
  const Eigen::VectorXd& gradient_step() const { return preimage_; }

 private:
  class Context;
  void start(IterationObserver* observer);
  void next_batch_gradient();
  void report(IterationObserver* observer, double step_norm);

  Objective& objective_;
  IhtOptions options_;
  std::unique_ptr<StepPolicy> policy_;
  std::unique_ptr<Refinement> refinement_;
  std::unique_ptr<Context> context_;
  HardThreshold threshold_;
  Rng rng_;
  Eigen::VectorXd theta_, next_, grad_, next_grad_, probe_, probe_grad_;
  std::vector<int> support_, next_support_;
  std::vector<int> entered_, left_;  // indices, of the last step
  bool mini_batch_ = false;
  bool next_has_gradient_ = false;  // next_grad_ is ∇f(next_)
  bool record_ = false;
  Eigen::VectorXd previous_, preimage_, trial_preimage_;
  double next_loss_ = 0.0;  // f(next_), from the last try_step
  double last_step_ = 0.0;
  bool certified_ = true;
  bool last_certified_ = true;
  double last_outcome_step_ = 0.0;  // γ of the last step, 0 when θ stayed
  std::vector<int> order_;          // mini-batch permutation
  int batch_cursor_ = 0;
  double loss_ = 0.0;
  double loss_limit_ = 0.0;
  int iteration_ = 0;
  bool started_ = false;
  IhtStatus status_ = IhtStatus::running;
};

}  // namespace sparse_iht
