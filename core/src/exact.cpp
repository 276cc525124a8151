#include "sparse_iht/exact.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "ordered.hpp"
#include "sparse_iht/step_policy.hpp"

namespace sparse_iht {
namespace {

// Where θ[j] sits in the softmax layer W (classes × features, row-major) then b.
struct Coordinate {
  int output;
  int feature;  // −1 for a bias
};

Coordinate locate(int j, int features, int classes) {
  if (j < classes * features) return {j / features, j % features};
  return {j - classes * features, -1};
}

// f on the support: mean cross-entropy plus λ/2 ‖θ_S‖², its gradient on S and
// (when wanted) its Hessian on S.
class SoftmaxOnSupport {
 public:
  SoftmaxOnSupport(const Problem& problem, double ridge, const std::vector<int>& support)
      : x_(problem.train_objective->features()),
        y_(problem.train.y),
        features_(static_cast<int>(x_.rows())),
        classes_(problem.train.num_classes()),
        ridge_(ridge),
        support_(support) {
    for (const int j : support) where_.push_back(locate(j, features_, classes_));
  }

  double value(const Eigen::VectorXd& w, Eigen::VectorXd* grad, Eigen::MatrixXd* hess) const {
    const auto k = static_cast<Eigen::Index>(support_.size());
    const Eigen::Index m = x_.cols();
    if (grad != nullptr) grad->setZero(k);
    if (hess != nullptr) hess->setZero(k, k);
    Eigen::VectorXd z(classes_), p(classes_), xt(k);
    double loss = 0.0;
    for (Eigen::Index i = 0; i < m; ++i) {
      z.setZero();
      for (Eigen::Index a = 0; a < k; ++a) {
        const Coordinate& c = where_[static_cast<std::size_t>(a)];
        xt[a] = c.feature < 0 ? 1.0 : x_(c.feature, i);
        z[c.output] += w[a] * xt[a];
      }
      const double top = z.maxCoeff();
      double sum = 0.0;
      for (int o = 0; o < classes_; ++o) sum += std::exp(z[o] - top);
      const int label = y_[static_cast<std::size_t>(i)];
      loss += top + std::log(sum) - z[label];
      if (grad == nullptr) continue;
      for (int o = 0; o < classes_; ++o) p[o] = std::exp(z[o] - top) / sum;
      for (Eigen::Index a = 0; a < k; ++a) {
        const int oa = where_[static_cast<std::size_t>(a)].output;
        (*grad)[a] += (p[oa] - (oa == label ? 1.0 : 0.0)) * xt[a];
        if (hess == nullptr) continue;
        for (Eigen::Index b = 0; b <= a; ++b) {
          const int ob = where_[static_cast<std::size_t>(b)].output;
          const double curvature = (oa == ob ? p[oa] : 0.0) - p[oa] * p[ob];
          (*hess)(a, b) += curvature * xt[a] * xt[b];
        }
      }
    }
    const double scale = 1.0 / static_cast<double>(m);
    loss = loss * scale + 0.5 * ridge_ * ordered_squared_norm(w);
    if (grad != nullptr) *grad = *grad * scale + ridge_ * w;
    if (hess != nullptr) {
      *hess *= scale;
      for (Eigen::Index a = 0; a < k; ++a) {
        (*hess)(a, a) += ridge_;
        for (Eigen::Index b = 0; b < a; ++b) (*hess)(b, a) = (*hess)(a, b);
      }
    }
    return loss;
  }

 private:
  const NetworkObjective::FeaturesView& x_;
  const std::vector<int>& y_;
  int features_;
  int classes_;
  double ridge_;
  const std::vector<int>& support_;
  std::vector<Coordinate> where_;
};

double choose(int n, int k) {
  double c = 1.0;
  for (int i = 1; i <= k; ++i) c = c * (n - k + i) / i;
  return std::round(c);
}

// The next k-subset of 0..n−1 in lexicographic order; false after the last.
bool next_combination(std::vector<int>& c, int n) {
  const int k = static_cast<int>(c.size());
  int i = k - 1;
  while (i >= 0 && c[static_cast<std::size_t>(i)] == n - k + i) --i;
  if (i < 0) return false;
  ++c[static_cast<std::size_t>(i)];
  for (int j = i + 1; j < k; ++j)
    c[static_cast<std::size_t>(j)] = c[static_cast<std::size_t>(j) - 1] + 1;
  return true;
}

bool single_layer(const Problem& problem) { return problem.architecture.sizes.size() == 2; }

// The objective restricted to a support, minimised in place: exact Newton for
// one softmax layer, else the generic Newton refinement (20 steps).
double support_minimum(Problem& problem, const RunOptions& options, const std::vector<int>& support,
                       Eigen::VectorXd& theta) {
  if (single_layer(problem)) {
    return softmax_support_minimum(problem, options.ridge, support, theta);
  }
  Eigen::VectorXd restricted = Eigen::VectorXd::Zero(theta.size());
  for (const int j : support) restricted[j] = theta[j];
  theta.swap(restricted);
  newton_refinement(20, 1e-10)->refine(problem.objective(), theta, support);
  return problem.objective().evaluate(theta);
}

}  // namespace

bool exact_supported(const Problem& problem, const RunOptions& options,
                     const std::vector<int>& grid, std::string& why) {
  if (!single_layer(problem)) {
    why =
        "no certificate: with hidden layers the loss on a support is not convex, so enumerating "
        "supports does not find the global optimum";
    return false;
  }
  if (!(options.ridge > 0.0)) {
    why =
        "no certificate: without a ridge the loss on a support may have no finite minimiser (a "
        "separable class); give ridge > 0";
    return false;
  }
  const int n = problem.num_params();
  double count = 0.0;
  for (const int s : grid) count += choose(n, s);
  if (count > kMaxExactSupports) {
    why = "no certificate: the grid has " + std::to_string(static_cast<long long>(count)) +
          " supports, more than the 100000 this enumerates";
    return false;
  }
  why.clear();
  return true;
}

double softmax_support_minimum(const Problem& problem, double ridge,
                               const std::vector<int>& support, Eigen::VectorXd& theta) {
  const SoftmaxOnSupport f(problem, ridge, support);
  const auto k = static_cast<Eigen::Index>(support.size());
  Eigen::VectorXd w(k), g, p, trial(k);
  for (Eigen::Index a = 0; a < k; ++a) w[a] = theta[support[static_cast<std::size_t>(a)]];
  Eigen::MatrixXd h;
  double value = f.value(w, &g, &h);
  for (int step = 0; step < 100 && g.lpNorm<Eigen::Infinity>() > 1e-10; ++step) {
    double shift = 0.0;
    bool solved = false;
    for (int tries = 0; tries < 20 && !solved; ++tries) {
      solved = ordered_cholesky_solve(h, shift, g, p);
      shift = shift == 0.0 ? 1e-10 : shift * 10.0;
    }
    if (!solved) break;
    const double slope = ordered_dot(g, p);
    if (!(slope < 0.0)) break;
    double t = 1.0;
    double next = value;
    for (int halvings = 0; halvings < 50; ++halvings, t *= 0.5) {
      trial = w + t * p;
      next = f.value(trial, nullptr, nullptr);
      if (next <= value + 1e-4 * t * slope) break;
    }
    if (!(next < value)) break;
    w = trial;
    value = f.value(w, &g, &h);
  }
  theta.setZero();
  for (Eigen::Index a = 0; a < k; ++a) theta[support[static_cast<std::size_t>(a)]] = w[a];
  return value;
}

std::vector<ExactOptimum> enumerate_optima(Problem& problem, const RunOptions& options,
                                           const std::vector<int>& grid,
                                           const std::function<bool()>& tick) {
  const int n = problem.num_params();
  std::vector<ExactOptimum> out;
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(n);
  for (const int s : grid) {
    std::vector<int> support(static_cast<std::size_t>(s));
    for (int i = 0; i < s; ++i) support[static_cast<std::size_t>(i)] = i;
    double best = std::numeric_limits<double>::infinity();
    Eigen::VectorXd best_theta;
    std::vector<int> best_support;
    do {
      // Warm start: the previous support's solution, on the indices they share.
      const double value = softmax_support_minimum(problem, options.ridge, support, theta);
      if (value < best) {
        best = value;
        best_theta = theta;
        best_support = support;
      }
    } while (next_combination(support, n));
    ExactOptimum optimum;
    // The objective as IHT's kernels compute it, so gaps compare like with like.
    optimum.objective = problem.objective().evaluate(best_theta);
    optimum.train_loss = problem.train_objective->evaluate(best_theta);
    optimum.support = best_support;
    out.push_back(std::move(optimum));
    if (!tick()) break;
  }
  return out;
}

SwapResult swap_search(Problem& problem, const RunOptions& options, const Eigen::VectorXd& start) {
  constexpr int kCandidates = 10;
  constexpr int kMaxSwaps = 50;
  const int n = problem.num_params();
  std::vector<int> support;
  for (int j = 0; j < n; ++j) {
    if (start[j] != 0.0) support.push_back(j);
  }
  Eigen::VectorXd theta = start;
  double value = support_minimum(problem, options, support, theta);
  SwapResult result;
  Eigen::VectorXd grad(n);
  bool improved = !support.empty();
  while (improved && result.swaps < kMaxSwaps) {
    improved = false;
    problem.objective().evaluate_with_gradient(theta, grad);
    std::vector<int> outside;
    for (int j = 0; j < n; ++j) {
      if (!std::binary_search(support.begin(), support.end(), j)) outside.push_back(j);
    }
    std::stable_sort(outside.begin(), outside.end(),
                     [&](int a, int b) { return std::abs(grad[a]) > std::abs(grad[b]); });
    if (outside.size() > static_cast<std::size_t>(kCandidates)) outside.resize(kCandidates);
    for (std::size_t a = 0; a < support.size() && !improved; ++a) {
      for (const int j : outside) {
        std::vector<int> trial = support;
        trial[a] = j;
        std::sort(trial.begin(), trial.end());
        Eigen::VectorXd candidate = theta;
        candidate[support[a]] = 0.0;
        const double v = support_minimum(problem, options, trial, candidate);
        if (v < value - 1e-10 * (1.0 + std::abs(value))) {
          support = trial;
          theta = candidate;
          value = v;
          ++result.swaps;
          improved = true;
          break;
        }
      }
    }
  }
  result.objective = problem.objective().evaluate(theta);
  result.train_loss = problem.train_objective->evaluate(theta);
  result.support = support;
  return result;
}

}  // namespace sparse_iht
