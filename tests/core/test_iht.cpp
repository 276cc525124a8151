#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <vector>

#include "sparse_iht/error.hpp"
#include "sparse_iht/hard_threshold.hpp"
#include "sparse_iht/iht.hpp"
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

TEST_CASE("mini-batch IHT is seeded and reaches the minimiser region of a separable objective") {
  // A sum of per-coordinate quadratics split into terms is not available for
  // the quadratic, so mini-batches fall back to the full gradient there; the
  // network tests exercise real mini-batches. Here: same seed, same result.
  auto q = PlantedQuadratic::make(10, 2, 7);
  IhtOptions options;
  options.s = 2;
  options.step = 0.5;
  options.batch_size = 1;
  options.max_iterations = 200;
  Iht a(q.objective, options, Eigen::VectorXd::Ones(10));
  Iht b(q.objective, options, Eigen::VectorXd::Ones(10));
  a.run();
  b.run();
  CHECK(a.theta() == b.theta());
}

TEST_CASE("IHT rejects bad options with messages naming them") {
  auto q = PlantedQuadratic::make(6, 2, 8);
  const Eigen::VectorXd theta0 = Eigen::VectorXd::Ones(6);
  IhtOptions o;
  o.s = 0;
  CHECK_THROWS_WITH_AS(Iht(q.objective, o, theta0), doctest::Contains("--s"), InputError);
  o.s = 7;
  CHECK_THROWS_WITH_AS(Iht(q.objective, o, theta0), doctest::Contains("--s"), InputError);
  o.s = 2;
  for (double step : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN(),
                      std::numeric_limits<double>::infinity()}) {
    o.step = step;
    CHECK_THROWS_WITH_AS(Iht(q.objective, o, theta0), doctest::Contains("--step"), InputError);
  }
  o.step = 0.1;
  CHECK_THROWS_AS(Iht(q.objective, o, Eigen::VectorXd::Ones(5)), InputError);
}
