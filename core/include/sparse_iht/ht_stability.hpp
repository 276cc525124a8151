// HT-stability (Damadi & Shen; docs/method.md §4). With S = supp(θ*):
//   |S| = s: stable for γ when ∇_S f(θ*) = 0 and
//            γ · max_{j∉S} |∇_j f(θ*)| < min_{i∈S} |θ*_i|;
//   |S| < s: stable when ∇f(θ*) = 0.
// Numerically, a gradient counts as zero when its ∞-norm is at most `tolerance`.
#pragma once

#include <Eigen/Core>
#include <string>

namespace sparse_iht {

struct HtStability {
  bool stable = false;
  // min_{i∈S} |θ_i| − γ · max_{j∉S} |∇_j f| (an empty max is 0; an empty min is 0).
  double margin = 0.0;
  // ‖∇_S f‖∞ when |S| = s; ‖∇f‖∞ when |S| < s (the condition that applies).
  double support_grad_inf = 0.0;
  int support_size = 0;
  double tolerance = 0.0;
  // One plain sentence on why (set by the trainer, which knows the run).
  std::string reason;
};

HtStability check_ht_stability(const Eigen::VectorXd& theta, const Eigen::VectorXd& grad, int s,
                               double step, double tolerance);

// ε-gap of docs/method.md §4: f(θ*_s) − f(θ*_dense).
inline double gap_to_dense(double loss_sparse, double loss_dense) {
  return loss_sparse - loss_dense;
}

}  // namespace sparse_iht
