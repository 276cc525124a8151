// Monte Carlo estimate of the restricted strong smoothness constant L_2s
// (docs/method.md §3). Each of N pairs (x, y) draws two random supports of size s
// (uniform without replacement) and values N(0, scale²) on them, optionally
// added to a centre θ; its ratio is ‖∇f(x) − ∇f(y)‖ / ‖x − y‖. The maximum is
// a LOWER bound of the true L_2s that rises with N.
#pragma once

#include <Eigen/Core>
#include <cstdint>
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

// Throws InputError if s < 1, samples < 1 or scale ≤ 0.
L2sEstimate estimate_l2s(Objective& objective, const L2sOptions& options);

// Linear-interpolation quantile (type 7) of unsorted values, q in [0, 1].
double quantile(std::vector<double> values, double q);

}  // namespace sparse_iht
