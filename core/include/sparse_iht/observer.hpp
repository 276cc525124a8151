// One observer interface for progress (after ensmallen's callbacks): the
// command line, the WebAssembly stepwise trainer and the tests plug into it.
// The core itself prints nothing.
#pragma once

#include <Eigen/Core>
#include <vector>

namespace sparse_iht {

struct IterationInfo {
  int iteration = 0;       // k: theta is θ_k (0 is the initial point)
  double loss = 0.0;       // f(θ_k) on the objective IHT minimises (the batch's, for mini-batches)
  int nnz = 0;             // ‖θ_k‖₀
  int entered = 0;         // indices in supp(θ_k) but not supp(θ_{k−1})
  int left = 0;            // indices in supp(θ_{k−1}) but not supp(θ_k)
  double step_norm = 0.0;  // ‖θ_k − θ_{k−1}‖
  double step = 0.0;       // γ_{k−1}: the step that made θ_k (0 at k = 0)
  bool certified = true;   // whether that step was certified (step_policy.hpp)
  const Eigen::VectorXd* theta = nullptr;
  const std::vector<int>* support = nullptr;
  // The indices themselves, ascending; at k = 0 every index of supp(θ_0) entered.
  const std::vector<int>* entered_indices = nullptr;
  const std::vector<int>* left_indices = nullptr;
};

class IterationObserver {
 public:
  virtual ~IterationObserver() = default;
  virtual void on_iteration(const IterationInfo& info) = 0;
  // Returning true asks the algorithm to stop (status "stopped").
  virtual bool should_stop() { return false; }
};

}  // namespace sparse_iht
