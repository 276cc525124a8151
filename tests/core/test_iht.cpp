#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <utility>
#include <vector>

#include "errors.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/hard_threshold.hpp"
#include "sparse_iht/iht.hpp"
#include "sparse_iht/network.hpp"
#include "sparse_iht/objective.hpp"
#include "sparse_iht/random.hpp"

using namespace sparse_iht;

namespace {

// f(x) = 0.5 (x − x*)ᵀ A (x − x*) with A well conditioned: its minimiser x* is
// s-sparse, so it is also the minimiser under ‖x‖₀ ≤ s.
struct PlantedQuadratic {
  Eigen::MatrixXd a;
  Eigen::VectorXd x_star;
  QuadraticObjective objective;
  static PlantedQuadratic make(int n, int s, std::uint64_t seed) {
    Rng rng(seed);
    Eigen::MatrixXd m(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) m(i, j) = rng.normal();
    Eigen::MatrixXd a = Eigen::MatrixXd::Identity(n, n) + 0.02 * (m + m.transpose());
    Eigen::VectorXd x_star = Eigen::VectorXd::Zero(n);
    for (int k = 0; k < s; ++k) x_star[(k * 7) % n] = 1.0 + k;
    Eigen::VectorXd b = a * x_star;
    return PlantedQuadratic{a, x_star, QuadraticObjective(a, b)};
  }
};

// f(x) = (1/m) Σ_i ½ (a_iᵀx − y_i)²: separable into m terms, for real mini-batches.
class LeastSquaresSum final : public Objective {
 public:
  LeastSquaresSum(Eigen::MatrixXd rows, Eigen::VectorXd targets)
      : rows_(std::move(rows)), targets_(std::move(targets)) {}
  // Gaussian rows and y = A x*, so every term is minimised at x*.
  static LeastSquaresSum planted(int m, const Eigen::VectorXd& x_star, std::uint64_t seed) {
    Rng rng(seed);
    Eigen::MatrixXd rows(m, x_star.size());
    for (int i = 0; i < m; ++i)
      for (Eigen::Index j = 0; j < x_star.size(); ++j) rows(i, j) = rng.normal();
    Eigen::VectorXd targets = rows * x_star;
    return LeastSquaresSum(rows, targets);
  }
  double largest_row_norm_squared() const { return rows_.rowwise().squaredNorm().maxCoeff(); }

  int dimension() const override { return static_cast<int>(rows_.cols()); }
  int num_functions() const override { return static_cast<int>(rows_.rows()); }
  double evaluate(const Eigen::VectorXd& theta) override {
    return 0.5 * (rows_ * theta - targets_).squaredNorm() / static_cast<double>(rows_.rows());
  }
  double evaluate_with_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) override {
    const Eigen::VectorXd residual = rows_ * theta - targets_;
    grad = rows_.transpose() * residual / static_cast<double>(rows_.rows());
    return 0.5 * residual.squaredNorm() / static_cast<double>(rows_.rows());
  }
  double evaluate_batch_with_gradient(const Eigen::VectorXd& theta, const int* indices, int count,
                                      Eigen::VectorXd& grad) override {
    grad = Eigen::VectorXd::Zero(rows_.cols());
    double value = 0.0;
    for (int k = 0; k < count; ++k) {
      const double residual = rows_.row(indices[k]).dot(theta) - targets_[indices[k]];
      grad += residual * rows_.row(indices[k]).transpose();
      value += 0.5 * residual * residual;
    }
    grad /= static_cast<double>(count);
    return value / static_cast<double>(count);
  }

 private:
  Eigen::MatrixXd rows_;
  Eigen::VectorXd targets_;
};

// m terms that all have gradient 1 and loss 0: IHT then walks at a constant
// step, never converges nor diverges, and only its batch order is of interest.
class ConstantGradientTerms final : public Objective {
 public:
  explicit ConstantGradientTerms(int terms) : terms_(terms) {}
  int dimension() const override { return 1; }
  int num_functions() const override { return terms_; }
  double evaluate(const Eigen::VectorXd&) override { return 0.0; }
  double evaluate_with_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) override {
    grad = Eigen::VectorXd::Ones(theta.size());
    return 0.0;
  }
  double evaluate_batch_with_gradient(const Eigen::VectorXd& theta, const int*, int,
                                      Eigen::VectorXd& grad) override {
    return evaluate_with_gradient(theta, grad);
  }

 private:
  int terms_;
};

// Passes every call on to another objective and records each mini-batch's indices.
class RecordingObjective final : public Objective {
 public:
  explicit RecordingObjective(Objective& inner) : inner_(inner) {}
  int dimension() const override { return inner_.dimension(); }
  int num_functions() const override { return inner_.num_functions(); }
  double evaluate(const Eigen::VectorXd& theta) override { return inner_.evaluate(theta); }
  double evaluate_with_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) override {
    ++full_gradients;
    return inner_.evaluate_with_gradient(theta, grad);
  }
  double evaluate_batch_with_gradient(const Eigen::VectorXd& theta, const int* indices, int count,
                                      Eigen::VectorXd& grad) override {
    batches.emplace_back(indices, indices + count);
    return inner_.evaluate_batch_with_gradient(theta, indices, count, grad);
  }

  std::vector<std::vector<int>> batches;
  int full_gradients = 0;

 private:
  Objective& inner_;
};

// Consecutive batches joined into epochs of `samples` indices; fails the test
// if a batch straddles two epochs or the last epoch is incomplete.
std::vector<std::vector<int>> epoch_orders(const std::vector<std::vector<int>>& batches,
                                           int samples) {
  std::vector<std::vector<int>> epochs;
  std::vector<int> current;
  for (const auto& batch : batches) {
    current.insert(current.end(), batch.begin(), batch.end());
    REQUIRE(current.size() <= static_cast<std::size_t>(samples));
    if (current.size() == static_cast<std::size_t>(samples)) {
      epochs.push_back(current);
      current.clear();
    }
  }
  CHECK(current.empty());
  return epochs;
}

// The order IhtOptions::seed documents, written out independently of Iht.
std::vector<std::vector<int>> reference_epoch_orders(int samples, int epochs, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::vector<int>> orders;
  for (int e = 0; e < epochs; ++e) {
    std::vector<int> order(static_cast<std::size_t>(samples));
    std::iota(order.begin(), order.end(), 0);
    for (int i = samples - 1; i >= 1; --i) {
      const auto j = rng.below(static_cast<std::uint64_t>(i) + 1);
      std::swap(order[static_cast<std::size_t>(i)], order[j]);
    }
    orders.push_back(order);
  }
  return orders;
}

// 12 samples, 3 features, 2 classes, every value distinct.
Dataset twelve_samples() {
  Dataset data;
  data.x.resize(3, 12);
  for (int j = 0; j < 12; ++j) {
    data.x(0, j) = 0.25 * j - 1.5;
    data.x(1, j) = std::sin(1.0 + j);
    data.x(2, j) = (j % 3) - 1.0;
    data.y.push_back(j % 2);
  }
  data.feature_names = {"a", "b", "c"};
  data.class_names = {"even", "odd"};
  return data;
}

struct CountingObserver : IterationObserver {
  std::vector<IterationInfo> seen;
  int stop_after = -1;
  void on_iteration(const IterationInfo& info) override { seen.push_back(info); }
  bool should_stop() override {
    return stop_after >= 0 && static_cast<int>(seen.size()) > stop_after;
  }
};

}  // namespace

TEST_CASE("IHT converges to the planted s-sparse minimiser of a convex quadratic") {
  auto q = PlantedQuadratic::make(20, 4, 1);
  const double l = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(q.a).eigenvalues().maxCoeff();
  IhtOptions options;
  options.s = 4;
  options.step = 0.9 / l;
  options.max_iterations = 5000;
  options.tolerance = 1e-13;
  Rng rng(2);
  Eigen::VectorXd theta0(20);
  for (int i = 0; i < 20; ++i) theta0[i] = rng.normal();
  Iht iht(q.objective, options, theta0);
  CHECK(iht.run() == IhtStatus::converged);
  CHECK((iht.theta() - q.x_star).norm() < 1e-9);
  CHECK(iht.support() == support_of(q.x_star));
  // The minimum of 0.5 xᵀAx − bᵀx is −0.5 x*ᵀ A x*.
  CHECK(iht.loss() == doctest::Approx(-0.5 * q.x_star.dot(q.a * q.x_star)).epsilon(1e-12));
}

TEST_CASE("IHT keeps every iterate s-sparse and reports each one") {
  auto q = PlantedQuadratic::make(15, 3, 3);
  IhtOptions options;
  options.s = 3;
  options.step = 0.5;
  options.max_iterations = 25;
  options.tolerance = 0.0;
  CountingObserver obs;
  Iht iht(q.objective, options, Eigen::VectorXd::Ones(15));
  CHECK(iht.run(&obs) == IhtStatus::max_iterations);
  CHECK(iht.iterations() == 25);
  REQUIRE(obs.seen.size() == 26);  // θ_0 … θ_25
  for (std::size_t k = 0; k < obs.seen.size(); ++k) {
    CHECK(obs.seen[k].iteration == static_cast<int>(k));
    CHECK(obs.seen[k].nnz <= 3);
  }
  CHECK(obs.seen[0].entered == 3);
}

TEST_CASE("IHT advances in pieces exactly as in one run") {
  auto q = PlantedQuadratic::make(12, 3, 4);
  IhtOptions options;
  options.s = 3;
  options.step = 0.3;
  options.max_iterations = 40;
  options.tolerance = 0.0;
  const Eigen::VectorXd theta0 = Eigen::VectorXd::LinSpaced(12, -1.0, 1.0);
  Iht whole(q.objective, options, theta0);
  whole.run();
  Iht pieces(q.objective, options, theta0);
  while (!pieces.done()) pieces.advance(7);
  CHECK(pieces.iterations() == whole.iterations());
  CHECK(pieces.theta() == whole.theta());
}

TEST_CASE("IHT stops when an observer asks, and on stop()") {
  auto q = PlantedQuadratic::make(10, 2, 5);
  IhtOptions options;
  options.s = 2;
  options.step = 0.3;
  options.tolerance = 0.0;
  CountingObserver obs;
  obs.stop_after = 5;
  Iht iht(q.objective, options, Eigen::VectorXd::Ones(10));
  CHECK(iht.run(&obs) == IhtStatus::stopped);
  CHECK(iht.iterations() == 5);
  Iht other(q.objective, options, Eigen::VectorXd::Ones(10));
  other.advance(3);
  other.stop();
  CHECK(other.status() == IhtStatus::stopped);
  CHECK(other.advance(10) == IhtStatus::stopped);
  CHECK(other.iterations() == 3);
}

TEST_CASE("a diverging IHT stops with status diverged and keeps its last finite iterate") {
  auto q = PlantedQuadratic::make(10, 3, 6);
  IhtOptions options;
  options.s = 3;
  options.step = 1e150;  // |1 − γλ| ≫ 1: the iterates blow up to infinity within a few steps
  options.max_iterations = 1000;
  CountingObserver obs;
  Iht iht(q.objective, options, Eigen::VectorXd::Ones(10));
  CHECK(iht.run(&obs) == IhtStatus::diverged);
  CHECK(iht.theta().allFinite());
  CHECK(std::isfinite(iht.loss()));
  CHECK(iht.iterations() < 1000);
  CHECK(obs.seen.back().theta->allFinite());
}

TEST_CASE("mini-batch IHT reaches the planted minimiser of a least-squares sum") {
  // 40 terms, batch 7: five batches of 7 and a remainder of 5 per epoch. Every
  // term vanishes at x*, so x* is a fixed point of every batch step and
  // stochastic IHT converges to it, not only near it.
  const int m = 40, n = 12, s = 3;
  Eigen::VectorXd x_star = Eigen::VectorXd::Zero(n);
  x_star[2] = 3.0;
  x_star[7] = -2.0;
  x_star[10] = 4.0;
  LeastSquaresSum sum = LeastSquaresSum::planted(m, x_star, 11);
  RecordingObjective recorded(sum);
  IhtOptions options;
  options.s = s;
  options.step = 0.5 / sum.largest_row_norm_squared();
  options.batch_size = 7;
  options.max_iterations = 5000;
  options.tolerance = 1e-12;
  Iht iht(recorded, options, Eigen::VectorXd::Zero(n));
  CHECK(iht.run() == IhtStatus::converged);
  // Mini-batches really ran: one batch gradient per iteration, none of them full.
  REQUIRE(recorded.batches.size() == static_cast<std::size_t>(iht.iterations()));
  CHECK(recorded.full_gradients == 1);  // θ_0 only
  for (const auto& batch : recorded.batches) CHECK(batch.size() < static_cast<std::size_t>(m));
  CHECK(iht.support() == support_of(x_star));
  CHECK((iht.theta() - x_star).norm() < 1e-9);
  CHECK(iht.loss() < 1e-18);
  // One mini-batch step is not the full-batch step from the same point.
  IhtOptions one_step = options;
  one_step.max_iterations = 1;
  Iht one_batch(sum, one_step, Eigen::VectorXd::Zero(n));
  one_batch.run();
  one_step.batch_size = 0;
  Iht one_full(sum, one_step, Eigen::VectorXd::Zero(n));
  one_full.run();
  CHECK(one_full.theta() != one_batch.theta());
}

TEST_CASE("mini-batch epochs on a network visit every sample exactly once") {
  // 12 samples: batch 5 does not divide them (5, 5, 2), batch 4 does (4, 4, 4).
  const Dataset data = twelve_samples();
  Architecture arch;
  arch.sizes = {3, 3, 2};
  NetworkObjective network(arch, data);
  Rng init(3);
  const Eigen::VectorXd theta0 = initial_parameters(arch, init);
  for (const int batch_size : {5, 4, 11, 1}) {
    CAPTURE(batch_size);
    const int per_epoch = (12 + batch_size - 1) / batch_size;
    const int epochs = 4;
    RecordingObjective recorded(network);
    IhtOptions options;
    options.s = 10;
    options.step = 0.1;
    options.batch_size = batch_size;
    options.max_iterations = per_epoch * epochs;
    options.tolerance = 0.0;
    options.seed = 21;
    Iht iht(recorded, options, theta0);
    CHECK(iht.run() == IhtStatus::max_iterations);
    REQUIRE(recorded.batches.size() == static_cast<std::size_t>(per_epoch * epochs));
    const auto orders = epoch_orders(recorded.batches, 12);
    REQUIRE(orders.size() == static_cast<std::size_t>(epochs));
    for (std::size_t b = 0; b < recorded.batches.size(); ++b) {
      const bool last = (b + 1) % static_cast<std::size_t>(per_epoch) == 0;
      const int expected = last ? 12 - (per_epoch - 1) * batch_size : batch_size;
      CHECK(recorded.batches[b].size() == static_cast<std::size_t>(expected));
    }
    for (std::size_t e = 0; e < orders.size(); ++e) {
      std::vector<int> sorted = orders[e];
      std::sort(sorted.begin(), sorted.end());
      std::vector<int> every(12);
      std::iota(every.begin(), every.end(), 0);
      CHECK(sorted == every);  // each sample once: none skipped, none repeated
      if (e > 0) CHECK(orders[e] != orders[e - 1]);
    }
    // The documented order: successive Fisher–Yates shuffles from Rng(seed).
    CHECK(orders == reference_epoch_orders(12, epochs, options.seed));
    // Seeded: the same seed repeats the batches, another seed does not.
    RecordingObjective again(network);
    Iht same_seed(again, options, theta0);
    same_seed.run();
    CHECK(again.batches == recorded.batches);
    CHECK(same_seed.theta() == iht.theta());
    options.seed = 22;
    RecordingObjective other(network);
    Iht other_seed(other, options, theta0);
    other_seed.run();
    CHECK(other.batches != recorded.batches);
  }
}

TEST_CASE("mini-batch boundaries: batch size m − 1 is mini-batch, m and 0 are full batch") {
  const Dataset data = twelve_samples();
  Architecture arch;
  arch.sizes = {3, 2};
  NetworkObjective network(arch, data);
  const Eigen::VectorXd theta0 = Eigen::VectorXd::Constant(arch.num_params(), 0.25);
  for (const int batch_size : {0, 11, 12, 13}) {
    CAPTURE(batch_size);
    RecordingObjective recorded(network);
    IhtOptions options;
    options.s = 4;
    options.batch_size = batch_size;
    options.max_iterations = 3;
    options.tolerance = 0.0;
    Iht iht(recorded, options, theta0);
    iht.run();
    if (batch_size == 11) {
      CHECK(recorded.batches.size() == 3);
      CHECK(recorded.full_gradients == 1);
    } else {
      CHECK(recorded.batches.empty());
      CHECK(recorded.full_gradients == 4);
    }
  }
}

TEST_CASE("mini-batch order: every permutation of an epoch is equally likely") {
  // 3 terms in batches of 2 and 1: 6000 epochs, 1000 expected per permutation.
  // A Fisher–Yates loop that stops one step early reaches only 3 of the 6
  // orders, and Sattolo's variant (below(i) for below(i + 1)) only the 2 cycles.
  ConstantGradientTerms terms(3);
  RecordingObjective recorded(terms);
  IhtOptions options;
  options.s = 1;
  options.step = 0.5;
  options.batch_size = 2;
  options.max_iterations = 12000;
  options.tolerance = 0.0;
  options.seed = 5;
  Iht iht(recorded, options, Eigen::VectorXd::Zero(1));
  CHECK(iht.run() == IhtStatus::max_iterations);
  const auto orders = epoch_orders(recorded.batches, 3);
  REQUIRE(orders.size() == 6000);
  std::map<std::vector<int>, int> counts;
  for (const auto& order : orders) ++counts[order];
  CHECK(counts.size() == 6);
  // σ ≈ 29 per count: ±150 is over 5σ, and the seed is fixed.
  for (const auto& entry : counts) {
    const std::vector<int>& order = entry.first;
    CAPTURE(order[0]);
    CAPTURE(order[1]);
    CHECK(entry.second > 850);
    CHECK(entry.second < 1150);
  }
}

TEST_CASE("IHT rejects bad options with messages naming them") {
  auto q = PlantedQuadratic::make(6, 2, 8);
  const Eigen::VectorXd theta0 = Eigen::VectorXd::Ones(6);
  IhtOptions o;
  o.s = 0;
  CHECK(sparse_iht_test::bad_option_of([&] { (void)Iht(q.objective, o, theta0); }) == "s");
  o.s = 7;
  CHECK(sparse_iht_test::bad_option_of([&] { (void)Iht(q.objective, o, theta0); }) == "s");
  o.s = 2;
  for (double step : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN(),
                      std::numeric_limits<double>::infinity()}) {
    o.step = step;
    CHECK(sparse_iht_test::bad_option_of([&] { (void)Iht(q.objective, o, theta0); }) == "step");
  }
  o.step = 0.1;
  CHECK_THROWS_AS(Iht(q.objective, o, Eigen::VectorXd::Ones(5)), InputError);
}

TEST_CASE("quadratic objective: f = ½ θᵀAθ − bᵀθ and ∇f = Aθ − b, exactly") {
  Eigen::MatrixXd a(2, 2);
  a << 2.0, 1.0, 1.0, 4.0;
  Eigen::VectorXd b(2);
  b << 1.0, -2.0;
  QuadraticObjective f(a, b);
  Eigen::VectorXd theta(2);
  theta << 3.0, -1.0;
  // ½ (3·(6 − 1) + (−1)·(3 − 4)) − (3 + 2) = ½ (15 + 1) − 5 = 3.
  CHECK(f.evaluate(theta) == 3.0);
  Eigen::VectorXd grad;
  CHECK(f.evaluate_with_gradient(theta, grad) == 3.0);
  CHECK(grad[0] == 4.0);  // 6 − 1 − 1
  CHECK(grad[1] == 1.0);  // 3 − 4 + 2
}
