// Monte Carlo estimate of the restricted strong smoothness constant L_2s
// (docs/method.md §3). Each of N pairs (x, y) draws two random supports of size s
// (uniform without replacement) and values N(0, scale²) on them, optionally
// added to a centre θ; its ratio is ‖∇f(x) − ∇f(y)‖ / ‖x − y‖. The maximum is
// a LOWER bound of the true L_2s that rises with N. The estimate also carries
// a bracket lower ≤ L_2s ≤ upper: `lower` adds a restricted power iteration
// on Hessian-vector products, `upper` is certified (Böhning's bound) for a
// network without hidden layers.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sparse_iht/objective.hpp"

namespace sparse_iht {

struct L2sOptions {
  int s = 5;
  int samples = 1000;
  std::uint64_t seed = 1;
  double scale = 1.0;
  const Eigen::VectorXd* center = nullptr;  // nullptr: centred on 0
  // Pair i uses Rng(seed, first_pair + i): a range of pairs computed apart
  // (e.g. in several workers) equals the same range of one run.
  std::int64_t first_pair = 0;
};

struct Quantiles {
  double p50 = 0.0, p90 = 0.0, p99 = 0.0;
};

struct L2sEstimate {
  std::vector<double> ratios;  // in draw order
  double max = 0.0;            // L̂_2s
  Quantiles quantiles;
  // lower ≤ L_2s: the largest secant ratio found, of the pairs and of the
  // power iterations (each is ‖∇f(x) − ∇f(y)‖ / ‖x − y‖ for some x − y with at
  // most 2s nonzeros, so each is a true lower bound).
  double lower = 0.0;
  // L_2s ≤ upper, certified; nullopt when no bound is known (hidden layers).
  std::optional<double> upper;
  // How upper was found, or why there is none: one sentence.
  std::string upper_method;
};

// An estimate with the settings it was drawn with: what `iht lipschitz` and
// estimateL2s() report (fields in sparse_iht/fields.hpp).
struct L2sReport {
  int s = 0;
  int n = 0;
  int samples = 0;
  std::uint64_t seed = 0;
  double scale = 1.0;
  L2sEstimate estimate;
};

// Throws InputError if s < 1, samples < 1 or scale ≤ 0. Fills the bracket
// too (lower from the pairs and from restricted_curvature at the centre and at
// the first sampled points; upper from smoothness_upper_bound).
L2sEstimate estimate_l2s(Objective& objective, const L2sOptions& options);

// Truncated power iteration for the largest curvature of f at θ along a
// direction with at most k nonzeros: v ← H_k(∇²f(θ)v)/‖·‖, with ∇²f(θ)v taken
// as the secant (∇f(θ + εv) − ∇f(θ − εv)) / 2ε. Returns the largest secant
// ratio seen, a true lower bound of L_k. The start is a seeded random
// k-sparse direction.
double restricted_curvature(Objective& objective, const Eigen::VectorXd& theta, int k,
                            std::uint64_t seed, int iterations = 20);

// A certified upper bound of L_2s, or nullopt, with `method` saying how it was
// found or why there is none. For a softmax layer on the inputs (no hidden
// layer) Böhning's bound holds: ∇²f ≼ B = ½(I − 11ᵀ/K) ⊗ X̃ᵀX̃/m, X̃ = [X, 1].
// For x − y with at most 2s nonzeros, ‖∇f(x) − ∇f(y)‖ ≤ √(λ_max(B) · λ_2s(B))
// ‖x − y‖, where λ_2s is the largest eigenvalue of B restricted to 2s
// coordinates: the maximum over all such supports when they are few enough
// to enumerate, else λ_max(B) itself (docs/method.md §3).
std::optional<double> smoothness_upper_bound(Objective& objective, int s, std::string& method);

// Linear-interpolation quantile (type 7) of unsorted values, q in [0, 1].
double quantile(std::vector<double> values, double q);

}  // namespace sparse_iht
