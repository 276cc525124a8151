// The best support per s, where it can be certified (docs/method.md §4): on a
// single softmax layer with a ridge λ > 0 the objective restricted to a support
// is strictly convex, so Newton's method finds its minimum, and enumerating
// every support of size s gives the global optimum under ‖θ‖₀ ≤ s. And a swap
// local search (after L0Learn's, Hazimeh & Mazumder 2020) that exchanges one
// kept coordinate for a dropped one while the optimum on the support improves.
#pragma once

#include <Eigen/Core>
#include <functional>
#include <string>
#include <vector>

#include "sparse_iht/options.hpp"
#include "sparse_iht/sweep.hpp"
#include "sparse_iht/trainer.hpp"

namespace sparse_iht {

// Supports enumerated at most, over the whole grid.
constexpr double kMaxExactSupports = 100000;

// Whether enumeration certifies the optimum here; `why` says why not.
bool exact_supported(const Problem& problem, const RunOptions& options,
                     const std::vector<int>& grid, std::string& why);

// The minimum of the training objective (with its ridge) on one support of
// the single softmax layer, by Newton's method with an Armijo line search,
// from theta (in place; entries off the support are set to 0). Returns the
// objective at the minimiser (until ‖∇_S f‖∞ ≤ 1e-10, or 100 steps).
double softmax_support_minimum(const Problem& problem, double ridge,
                               const std::vector<int>& support, Eigen::VectorXd& theta);

// For each grid s, the best of all C(n, s) supports. `tick` runs after each s
// and returns false to stop (the result then has fewer entries).
std::vector<ExactOptimum> enumerate_optima(Problem& problem, const RunOptions& options,
                                           const std::vector<int>& grid,
                                           const std::function<bool()>& tick);

// From θ's support: minimise on it, then try exchanging each kept index with
// each of the 10 dropped indices of largest |∇_j f|, accepting the first
// exchange whose minimum is lower, until none is (at most 50 exchanges).
// One softmax layer: exact minima on each support (Newton); with hidden
// layers, 20 steps of the Newton refinement.
SwapResult swap_search(Problem& problem, const RunOptions& options, const Eigen::VectorXd& start);

}  // namespace sparse_iht
