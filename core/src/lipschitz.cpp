#include "sparse_iht/lipschitz.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

#include "sparse_iht/error.hpp"
#include "sparse_iht/hard_threshold.hpp"
#include "sparse_iht/network.hpp"
#include "sparse_iht/random.hpp"

namespace sparse_iht {
namespace {

// Adds scale·N(0,1) values on a uniformly random s-subset of x's indices. The
// partial Fisher–Yates shuffle is undone afterwards, so each pair's draw
// depends only on its own generator.
void add_sparse_noise(Eigen::VectorXd& x, int s, double scale, Rng& rng, std::vector<int>& perm,
                      std::vector<std::pair<int, int>>& swaps) {
  const int n = static_cast<int>(perm.size());
  swaps.clear();
  for (int k = 0; k < s; ++k) {
    const int j = k + static_cast<int>(rng.below(static_cast<std::uint64_t>(n - k)));
    std::swap(perm[static_cast<std::size_t>(k)], perm[static_cast<std::size_t>(j)]);
    swaps.emplace_back(k, j);
    x[perm[static_cast<std::size_t>(k)]] += scale * rng.normal();
  }
  for (auto it = swaps.rbegin(); it != swaps.rend(); ++it) {
    std::swap(perm[static_cast<std::size_t>(it->first)],
              perm[static_cast<std::size_t>(it->second)]);
  }
}

// Stream of the power iterations' starting directions, apart from the pairs'.
constexpr std::uint64_t kPowerStream = 0x5eca17ULL << 32U;
// Enumerate the 2s-supports for the restricted bound when there are at most this many.
constexpr double kMaxSupports = 20000;
// Power iterations run at the centre and at this many of the first sampled points.
constexpr int kPowerPoints = 2;

double largest_eigenvalue(const Eigen::MatrixXd& symmetric) {
  if (symmetric.size() == 0) return 0.0;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(symmetric, Eigen::EigenvaluesOnly);
  return solver.eigenvalues().maxCoeff();
}

// C(n, k), or +inf once it passes `cap`.
double choose(int n, int k, double cap) {
  double c = 1.0;
  for (int i = 1; i <= k; ++i) {
    c = c * static_cast<double>(n - k + i) / static_cast<double>(i);
    if (c > cap) return HUGE_VAL;
  }
  return std::round(c);
}

}  // namespace

double restricted_curvature(Objective& objective, const Eigen::VectorXd& theta, int k,
                            std::uint64_t seed, int iterations) {
  const int n = objective.dimension();
  k = std::max(1, std::min(k, n));
  Rng rng(seed, kPowerStream);
  Eigen::VectorXd v = Eigen::VectorXd::Zero(n);
  std::vector<int> perm(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) perm[static_cast<std::size_t>(i)] = i;
  std::vector<std::pair<int, int>> swaps;
  add_sparse_noise(v, k, 1.0, rng, perm, swaps);
  // A secant step small against θ, large against rounding.
  const double epsilon = 1e-4 * (1.0 + theta.lpNorm<Eigen::Infinity>());
  Eigen::VectorXd plus(n), minus(n), g_plus(n), g_minus(n);
  // The secant of f's gradient along a unit direction u: ≈ ∇²f(θ)u.
  const auto secant = [&](const Eigen::VectorXd& u, double& ratio) {
    plus = theta + epsilon * u;
    minus = theta - epsilon * u;
    objective.evaluate_with_gradient(plus, g_plus);
    objective.evaluate_with_gradient(minus, g_minus);
    const double distance = (plus - minus).norm();
    ratio = distance > 0.0 ? (g_plus - g_minus).norm() / distance : 0.0;
    return Eigen::VectorXd(g_plus - g_minus);
  };
  HardThreshold threshold;
  double best = 0.0;
  for (int it = 0; it < iterations; ++it) {
    const double norm = v.norm();
    if (!(norm > 0.0)) break;
    v /= norm;
    double ratio = 0.0;
    Eigen::VectorXd w = secant(v, ratio);  // ≈ H v; v is k-sparse, so ratio counts
    if (!std::isfinite(ratio)) break;
    // Converged once a step no longer raises the ratio.
    const bool converged = it > 0 && ratio <= best * (1.0 + 1e-9);
    best = std::max(best, ratio);
    if (converged) break;
    // ‖Hv‖ over k-sparse v is largest at the top restricted direction of H²
    // (the gradient-form constant), so step with H² = H·H: the second secant,
    // along a dense direction, only steers and is not a bound itself.
    const double w_norm = w.norm();
    if (!(w_norm > 0.0) || !std::isfinite(w_norm)) break;
    double steer = 0.0;
    v = secant(w / w_norm, steer);
    if (!v.allFinite()) break;
    threshold.apply(v, k);
  }
  return best;
}

std::optional<double> smoothness_upper_bound(Objective& objective, int s, std::string& method) {
  // A ridge λ/2 ‖θ‖² adds λI to the Hessian, so λ to the bound.
  if (auto* ridge = dynamic_cast<RidgeObjective*>(&objective)) {
    std::optional<double> base = smoothness_upper_bound(ridge->base(), s, method);
    if (base) {
      *base += ridge->lambda();
      method += ", plus the ridge λ";
    }
    return base;
  }
  auto* network = dynamic_cast<NetworkObjective*>(&objective);
  if (network == nullptr) {
    method = "no certified bound: the objective is not a softmax network";
    return std::nullopt;
  }
  const Architecture& arch = network->architecture();
  if (arch.sizes.size() != 2) {
    method =
        "no certified bound with hidden layers: their curvature grows with the weights, so f has "
        "no global smoothness constant";
    return std::nullopt;
  }
  const auto& x = network->features();  // d × m
  const Eigen::Index d = x.rows();
  const Eigen::Index m = x.cols();
  const int classes = arch.sizes[1];
  if (m == 0) {
    method = "no certified bound: the training set is empty";
    return std::nullopt;
  }
  // G = X̃ᵀX̃ / m with X̃ = [X, 1] (one row per sample), (d + 1) × (d + 1).
  Eigen::MatrixXd g(d + 1, d + 1);
  g.topLeftCorner(d, d) = x * x.transpose() / static_cast<double>(m);
  const Eigen::VectorXd means = x.rowwise().mean();
  g.topRightCorner(d, 1) = means;
  g.bottomLeftCorner(1, d) = means.transpose();
  g(d, d) = 1.0;
  // λ_max(A ⊗ G) = λ_max(A) λ_max(G), and A = ½(I − 11ᵀ/K) has eigenvalues ½ and 0.
  const double full = 0.5 * largest_eigenvalue(g);
  // Parameter p of θ as (class o, column i of X̃): W[o][i] at o·d + i, then b[o].
  const int n = arch.num_params();
  const auto unit = [&](int p) {
    const auto weights = static_cast<int>(d) * classes;
    return p < weights ? std::pair<int, int>{p / static_cast<int>(d), p % static_cast<int>(d)}
                       : std::pair<int, int>{p - weights, static_cast<int>(d)};
  };
  const auto entry = [&](int p, int q) {
    const auto [o, i] = unit(p);
    const auto [o2, i2] = unit(q);
    const double a = 0.5 * ((o == o2 ? 1.0 : 0.0) - 1.0 / classes);
    return a * g(i, i2);
  };
  const int k = std::min(2 * s, n);
  double restricted = full;
  const double supports = choose(n, k, kMaxSupports);
  if (k == n) {
    method = "Böhning's bound ½(I − 11ᵀ/K) ⊗ X̃ᵀX̃/m: its largest eigenvalue (2s ≥ n)";
  } else if (supports <= kMaxSupports) {
    std::vector<int> pick(static_cast<std::size_t>(k));
    Eigen::MatrixXd block(k, k);
    const auto fill = [&] {
      for (int a = 0; a < k; ++a) {
        for (int b = 0; b < k; ++b) {
          block(a, b) = entry(pick[static_cast<std::size_t>(a)], pick[static_cast<std::size_t>(b)]);
        }
      }
    };
    // A first maximum candidate, so the test below skips most supports: the k
    // parameters with the largest diagonal entries, ascending (the same block,
    // bit for bit, as when the enumeration reaches it).
    std::vector<int> by_diagonal(static_cast<std::size_t>(n));
    std::iota(by_diagonal.begin(), by_diagonal.end(), 0);
    std::stable_sort(by_diagonal.begin(), by_diagonal.end(),
                     [&](int p, int q) { return entry(p, p) > entry(q, q); });
    std::copy_n(by_diagonal.begin(), k, pick.begin());
    std::sort(pick.begin(), pick.end());
    fill();
    restricted = largest_eigenvalue(block);
    for (int i = 0; i < k; ++i) pick[static_cast<std::size_t>(i)] = i;
    // Interlacing: no principal submatrix exceeds λ_max(B), so once one
    // reaches it the maximum is known.
    while (restricted < full) {
      fill();
      // Gershgorin: λ_max(block) ≤ its largest absolute row sum. A support
      // whose bound is below the maximum so far (with room for rounding in
      // both) cannot raise it, and its eigenvalues are not needed: the
      // result is the same number, at a fraction of the eigenvalue problems.
      const double gershgorin = block.cwiseAbs().rowwise().sum().maxCoeff();
      if (!(gershgorin < restricted * (1.0 - 1e-12))) {
        restricted = std::max(restricted, largest_eigenvalue(block));
      }
      int i = k - 1;
      while (i >= 0 && pick[static_cast<std::size_t>(i)] == n - k + i) --i;
      if (i < 0) break;
      ++pick[static_cast<std::size_t>(i)];
      for (int j = i + 1; j < k; ++j) {
        pick[static_cast<std::size_t>(j)] = pick[static_cast<std::size_t>(j) - 1] + 1;
      }
    }
    method = "Böhning's bound ½(I − 11ᵀ/K) ⊗ X̃ᵀX̃/m, restricted to each of the " +
             std::to_string(static_cast<long long>(supports)) + " supports of " +
             std::to_string(k) + " parameters";
  } else {
    method =
        "Böhning's bound ½(I − 11ᵀ/K) ⊗ X̃ᵀX̃/m: its largest eigenvalue (the supports of 2s "
        "parameters are too many to enumerate)";
  }
  // √(full · full) is full, up to rounding: return it exactly, so a bound
  // computed with or without the enumeration is the same number.
  return restricted >= full ? full : std::sqrt(full * restricted);
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const std::size_t upper = std::min(lower + 1, values.size() - 1);
  const double fraction = position - static_cast<double>(lower);
  return values[lower] + fraction * (values[upper] - values[lower]);
}

L2sEstimate estimate_l2s(Objective& objective, const L2sOptions& options) {
  const int n = objective.dimension();
  if (options.s < 1 || options.s > n) {
    throw InputError::bad_option("s", "expected an integer in 1.." + std::to_string(n) + ", got " +
                                          std::to_string(options.s));
  }
  if (options.samples < 1) {
    throw InputError::bad_option("samples",
                                 "expected an integer ≥ 1, got " + std::to_string(options.samples));
  }
  if (!(options.scale > 0.0) || !std::isfinite(options.scale)) {
    throw InputError::bad_option("scale", "expected a finite number > 0");
  }
  if (options.center != nullptr && options.center->size() != n) {
    throw InputError("L_2s estimate: the centre has the wrong length", ErrorCode::bad_state);
  }

  Eigen::VectorXd x(n), y(n), gx(n), gy(n);
  std::vector<int> perm(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) perm[static_cast<std::size_t>(i)] = i;
  std::vector<std::pair<int, int>> swaps;
  swaps.reserve(static_cast<std::size_t>(options.s));

  L2sEstimate estimate;
  estimate.ratios.reserve(static_cast<std::size_t>(options.samples));
  for (int i = 0; i < options.samples; ++i) {
    Rng rng(options.seed, static_cast<std::uint64_t>(options.first_pair + i));
    if (options.center != nullptr) {
      x = *options.center;
      y = *options.center;
    } else {
      x.setZero();
      y.setZero();
    }
    add_sparse_noise(x, options.s, options.scale, rng, perm, swaps);
    add_sparse_noise(y, options.s, options.scale, rng, perm, swaps);
    objective.evaluate_with_gradient(x, gx);
    objective.evaluate_with_gradient(y, gy);
    const double distance = (x - y).norm();
    const double ratio = distance > 0.0 ? (gx - gy).norm() / distance : 0.0;
    if (!std::isfinite(ratio)) {
      throw InputError("L_2s estimate: the gradient is not finite at a sampled point (pair " +
                       std::to_string(options.first_pair + i) + "); try a smaller --scale");
    }
    estimate.ratios.push_back(ratio);
  }
  estimate.max = *std::max_element(estimate.ratios.begin(), estimate.ratios.end());
  std::vector<double> sorted = estimate.ratios;
  std::sort(sorted.begin(), sorted.end());
  estimate.quantiles.p50 = quantile(sorted, 0.50);
  estimate.quantiles.p90 = quantile(sorted, 0.90);
  estimate.quantiles.p99 = quantile(sorted, 0.99);

  // The bracket: power iterations where IHT runs (the centre, where it starts,
  // and the first sampled points), then the certified bound.
  estimate.lower = estimate.max;
  const int k = std::min(2 * options.s, n);
  Eigen::VectorXd at = options.center != nullptr ? *options.center : Eigen::VectorXd::Zero(n);
  estimate.lower = std::max(estimate.lower, restricted_curvature(objective, at, k, options.seed));
  for (int i = 0; i < std::min(kPowerPoints, options.samples); ++i) {
    Rng rng(options.seed, static_cast<std::uint64_t>(options.first_pair + i));
    at = options.center != nullptr ? *options.center : Eigen::VectorXd::Zero(n);
    add_sparse_noise(at, options.s, options.scale, rng, perm, swaps);
    estimate.lower =
        std::max(estimate.lower, restricted_curvature(objective, at, k, options.seed + 1 + i));
  }
  estimate.upper = smoothness_upper_bound(objective, options.s, estimate.upper_method);
  return estimate;
}

}  // namespace sparse_iht
