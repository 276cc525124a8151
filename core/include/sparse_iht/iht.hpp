// Iterative Hard Thresholding (docs/method.md §2): θ_{k+1} = H_s(θ_k − γ ∇f(θ_k)).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "sparse_iht/hard_threshold.hpp"
#include "sparse_iht/objective.hpp"
#include "sparse_iht/observer.hpp"
#include "sparse_iht/random.hpp"

namespace sparse_iht {

enum class IhtStatus {
  running,         // advance() returned before a stopping rule fired
  converged,       // ‖θ_{k+1} − θ_k‖ ≤ tol with an unchanged support
  max_iterations,  // the iteration budget ran out
  diverged,        // loss, gradient or iterate not finite, or the loss blew up (see
                   // IhtOptions::divergence_factor); θ is the last iterate before it
  stopped          // an observer asked to stop
};
const char* status_name(IhtStatus s);

struct IhtOptions {
  int s = 5;
  double step = 0.1;  // γ > 0
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
};

// Resumable IHT, so a page can advance a few iterations per frame. run() is
// advance() until a stopping rule fires.
class Iht {
 public:
  // θ_0 = H_s(theta0). Throws InputError on bad options or a θ_0 of the wrong size.
  Iht(Objective& objective, const IhtOptions& options, const Eigen::VectorXd& theta0);

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

 private:
  void start(IterationObserver* observer);
  void next_batch_gradient();
  void report(IterationObserver* observer, int entered, int left, double step_norm);

  Objective& objective_;
  IhtOptions options_;
  HardThreshold threshold_;
  Rng rng_;
  Eigen::VectorXd theta_, next_, grad_, next_grad_;
  std::vector<int> support_, next_support_;
  std::vector<int> order_;  // mini-batch permutation
  int batch_cursor_ = 0;
  double loss_ = 0.0;
  double loss_limit_ = 0.0;
  int iteration_ = 0;
  bool started_ = false;
  IhtStatus status_ = IhtStatus::running;
};

}  // namespace sparse_iht
