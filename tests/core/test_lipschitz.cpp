#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <vector>

#include "sparse_iht/error.hpp"
#include "sparse_iht/lipschitz.hpp"
#include "sparse_iht/objective.hpp"
#include "sparse_iht/random.hpp"

using namespace sparse_iht;

namespace {

// The true L_2s of 0.5 xᵀAx: the largest ‖A_{:,T} v‖ / ‖v‖ over supports T of
// size min(2s, n), i.e. max_T σ_max(A_{:,T}); enumerated for small n.
double true_l2s(const Eigen::MatrixXd& a, int s) {
  const int n = static_cast<int>(a.rows());
  const int t = std::min(2 * s, n);
  std::vector<int> mask(static_cast<std::size_t>(n), 0);
  std::fill(mask.end() - t, mask.end(), 1);
  double best = 0.0;
  do {
    std::vector<int> cols;
    for (int i = 0; i < n; ++i)
      if (mask[static_cast<std::size_t>(i)]) cols.push_back(i);
    Eigen::MatrixXd sub(n, t);
    for (int k = 0; k < t; ++k) sub.col(k) = a.col(cols[static_cast<std::size_t>(k)]);
    best = std::max(best, Eigen::JacobiSVD<Eigen::MatrixXd>(sub).singularValues()(0));
  } while (std::next_permutation(mask.begin(), mask.end()));
  return best;
}

Eigen::MatrixXd random_spd(int n, std::uint64_t seed) {
  Rng rng(seed);
  Eigen::MatrixXd m(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m(i, j) = rng.normal();
  return m * m.transpose() / n + 0.1 * Eigen::MatrixXd::Identity(n, n);
}

}  // namespace

TEST_CASE("L_2s estimate of a quadratic: a lower bound that approaches the true constant") {
  const int n = 8;
  const Eigen::MatrixXd a = random_spd(n, 1);
  QuadraticObjective f(a, Eigen::VectorXd::Zero(n));
  for (int s : {1, 2, 3}) {
    const double truth = true_l2s(a, s);
    L2sOptions o;
    o.s = s;
    o.samples = 4000;
    const L2sEstimate e = estimate_l2s(f, o);
    INFO("s = " << s << ", true L_2s = " << truth << ", estimate = " << e.max);
    CHECK(e.max <= truth * (1 + 1e-12));
    CHECK(e.max >= 0.8 * truth);
    CHECK(e.ratios.size() == 4000);
    CHECK(e.quantiles.p50 <= e.quantiles.p90);
    CHECK(e.quantiles.p90 <= e.quantiles.p99);
    CHECK(e.quantiles.p99 <= e.max);
  }
}

TEST_CASE("L_2s of a diagonal quadratic with s ≥ n/2 is its largest eigenvalue") {
  Eigen::VectorXd d(4);
  d << 1.0, 5.0, 2.0, 3.0;
  QuadraticObjective f(d.asDiagonal(), Eigen::VectorXd::Zero(4));
  L2sOptions o;
  o.s = 2;
  o.samples = 3000;
  const auto e = estimate_l2s(f, o);
  CHECK(e.max <= 5.0 + 1e-12);
  CHECK(e.max > 4.5);
}

TEST_CASE("L_2s estimate is seeded, and pairs computed in parts equal one run") {
  const Eigen::MatrixXd a = random_spd(6, 2);
  QuadraticObjective f(a, Eigen::VectorXd::Ones(6));
  L2sOptions o;
  o.s = 2;
  o.samples = 100;
  o.seed = 9;
  const auto whole = estimate_l2s(f, o);
  CHECK(estimate_l2s(f, o).ratios == whole.ratios);
  o.samples = 40;
  const auto first = estimate_l2s(f, o);
  o.samples = 60;
  o.first_pair = 40;
  const auto second = estimate_l2s(f, o);
  std::vector<double> joined = first.ratios;
  joined.insert(joined.end(), second.ratios.begin(), second.ratios.end());
  CHECK(joined == whole.ratios);
  o.first_pair = 0;
  o.seed = 10;
  o.samples = 100;
  CHECK(estimate_l2s(f, o).ratios != whole.ratios);
}

TEST_CASE("L_2s estimate centred on a point differs only by where it samples") {
  const Eigen::MatrixXd a = random_spd(5, 3);
  QuadraticObjective f(a, Eigen::VectorXd::Zero(5));
  const Eigen::VectorXd centre = Eigen::VectorXd::Constant(5, 10.0);
  L2sOptions o;
  o.s = 2;
  o.samples = 50;
  const auto plain = estimate_l2s(f, o);
  o.center = &centre;
  // A quadratic's gradient difference does not depend on the centre.
  const auto centred = estimate_l2s(f, o);
  for (std::size_t i = 0; i < plain.ratios.size(); ++i) {
    CHECK(centred.ratios[i] == doctest::Approx(plain.ratios[i]).epsilon(1e-9));
  }
}

TEST_CASE("quantile interpolates linearly between order statistics") {
  CHECK(quantile({3.0, 1.0, 2.0, 4.0}, 0.5) == doctest::Approx(2.5));
  CHECK(quantile({1.0, 2.0, 3.0, 4.0, 5.0}, 0.9) == doctest::Approx(4.6));
  CHECK(quantile({7.0}, 0.99) == 7.0);
}

TEST_CASE("L_2s estimate rejects bad options") {
  QuadraticObjective f(Eigen::MatrixXd::Identity(3, 3), Eigen::VectorXd::Zero(3));
  L2sOptions o;
  o.s = 0;
  CHECK_THROWS_WITH_AS(estimate_l2s(f, o), doctest::Contains("--s"), InputError);
  o.s = 4;
  CHECK_THROWS_WITH_AS(estimate_l2s(f, o), doctest::Contains("--s"), InputError);
  o.s = 1;
  o.samples = 0;
  CHECK_THROWS_WITH_AS(estimate_l2s(f, o), doctest::Contains("--samples"), InputError);
  o.samples = 10;
  o.scale = -1.0;
  CHECK_THROWS_WITH_AS(estimate_l2s(f, o), doctest::Contains("--scale"), InputError);
}
