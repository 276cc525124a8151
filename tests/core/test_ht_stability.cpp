#include <doctest/doctest.h>

#include <Eigen/Core>
#include <cmath>
#include <initializer_list>

#include "sparse_iht/hard_threshold.hpp"
#include "sparse_iht/ht_stability.hpp"

using namespace sparse_iht;

TEST_CASE("HT-stable: zero gradient on the support and a positive margin") {
  Eigen::VectorXd theta(4), grad(4);
  theta << 2.0, 0.0, -1.0, 0.0;
  grad << 0.0, 0.5, 0.0, -0.3;
  const auto r = check_ht_stability(theta, grad, 2, 1.0, 1e-9);
  CHECK(r.stable);
  CHECK(r.margin == doctest::Approx(1.0 - 0.5));
  CHECK(r.support_grad_inf == 0.0);
  CHECK(r.support_size == 2);
  // Such a point is a fixed point of IHT: H_s(θ − γ∇f) = θ.
  CHECK(hard_threshold(theta - 1.0 * grad, 2) == theta);
}

TEST_CASE("not HT-stable: the step lets an off-support entry overtake the support") {
  Eigen::VectorXd theta(4), grad(4);
  theta << 2.0, 0.0, -1.0, 0.0;
  grad << 0.0, 0.5, 0.0, -0.3;
  const auto r = check_ht_stability(theta, grad, 2, 3.0, 1e-9);
  CHECK_FALSE(r.stable);
  CHECK(r.margin == doctest::Approx(1.0 - 1.5));
  CHECK(hard_threshold(theta - 3.0 * grad, 2) != theta);
}

TEST_CASE("not HT-stable: a nonzero gradient on the support") {
  Eigen::VectorXd theta(3), grad(3);
  theta << 1.0, 1.0, 0.0;
  grad << 1e-3, 0.0, 0.0;
  const auto r = check_ht_stability(theta, grad, 2, 0.1, 1e-6);
  CHECK_FALSE(r.stable);
  CHECK(r.support_grad_inf == doctest::Approx(1e-3));
  CHECK(r.margin > 0.0);
}

TEST_CASE("fewer than s nonzeros: stable only when the whole gradient vanishes") {
  Eigen::VectorXd theta(3), grad(3);
  theta << 1.0, 0.0, 0.0;
  grad << 0.0, 0.2, 0.0;
  auto r = check_ht_stability(theta, grad, 2, 0.1, 1e-9);
  CHECK_FALSE(r.stable);
  CHECK(r.support_grad_inf == doctest::Approx(0.2));
  grad.setZero();
  r = check_ht_stability(theta, grad, 2, 0.1, 1e-9);
  CHECK(r.stable);
}

TEST_CASE("dense (s = n): no off-support entries, margin is the smallest magnitude") {
  Eigen::VectorXd theta(3), grad(3);
  theta << 1.0, -0.5, 2.0;
  grad.setZero();
  const auto r = check_ht_stability(theta, grad, 3, 10.0, 1e-9);
  CHECK(r.stable);
  CHECK(r.margin == doctest::Approx(0.5));
}

// Exact boundaries of docs/method.md §4. Every number below is a dyadic rational, so
// margins and gradient norms are computed without rounding and each case sits
// exactly on, or one representable value beside, the boundary it names.
namespace {

Eigen::VectorXd vec(std::initializer_list<double> values) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const double x : values) v[i++] = x;
  return v;
}

const double kTiny = std::ldexp(1.0, -52);  // 1.0's next representable value minus 1.0

}  // namespace

TEST_CASE("HT-stable boundary: margin exactly 0 is not stable, one ulp above is") {
  // min_{i∈S}|θ_i| = 1, γ · max_{j∉S}|∇_j f| = 0.5 · 2 = 1: m = 0, the fixed
  // point is not strict (θ − γ∇f ties the support with an outsider).
  auto r = check_ht_stability(vec({1.0, 0.0}), vec({0.0, 2.0}), 1, 0.5, 0.0);
  CHECK(r.margin == 0.0);
  CHECK(r.support_grad_inf == 0.0);
  CHECK(r.support_size == 1);
  CHECK_FALSE(r.stable);
  // Raise |θ_0| by one ulp: m = 2^−52 > 0.
  r = check_ht_stability(vec({std::nextafter(1.0, 2.0), 0.0}), vec({0.0, 2.0}), 1, 0.5, 0.0);
  CHECK(r.margin == kTiny);
  CHECK(r.stable);
  // The same from the gradient side: lower the outsider by one ulp.
  r = check_ht_stability(vec({-1.0, 0.0}), vec({0.0, std::nextafter(-2.0, 0.0)}), 1, 0.5, 0.0);
  CHECK(r.margin > 0.0);
  CHECK(r.margin == kTiny / 2.0);
  CHECK(r.stable);
  // And one ulp below 0.
  r = check_ht_stability(vec({1.0, 0.0}), vec({0.0, std::nextafter(2.0, 4.0)}), 1, 0.5, 0.0);
  CHECK(r.margin < 0.0);
  CHECK_FALSE(r.stable);
}

TEST_CASE("HT-stable boundary: the support gradient exactly at the tolerance is zero") {
  const double tolerance = 0.25;
  auto r = check_ht_stability(vec({1.0, 0.0, -2.0}), vec({-0.25, 0.5, 0.125}), 2, 0.5, tolerance);
  CHECK(r.support_grad_inf == 0.25);
  CHECK(r.margin == 0.75);
  CHECK(r.tolerance == tolerance);
  CHECK(r.stable);
  r = check_ht_stability(vec({1.0, 0.0, -2.0}), vec({-std::nextafter(0.25, 1.0), 0.5, 0.125}), 2,
                         0.5, tolerance);
  CHECK(r.support_grad_inf == std::nextafter(0.25, 1.0));
  CHECK(r.margin == 0.75);
  CHECK_FALSE(r.stable);
  // Tolerance 0 means exactly zero.
  CHECK(check_ht_stability(vec({1.0, 0.0}), vec({0.0, 1.0}), 1, 0.5, 0.0).stable);
  CHECK_FALSE(
      check_ht_stability(vec({1.0, 0.0}), vec({std::ldexp(1.0, -1074), 1.0}), 1, 0.5, 0.0).stable);
}

TEST_CASE("HT-stable margin: only the gradient off the support, only |θ| on it") {
  // θ = (3, 0, −1.5, 0, 2), S = {0, 2, 4}: min_{i∈S}|θ_i| = 1.5 (a negative
  // entry, so the absolute value matters).
  const Eigen::VectorXd theta = vec({3.0, 0.0, -1.5, 0.0, 2.0});
  auto r = check_ht_stability(theta, vec({0.0, 1.0, 0.0, -0.5, 0.0}), 3, 0.5, 0.0);
  CHECK(r.margin == 1.0);  // 1.5 − 0.5 · 1
  CHECK(r.stable);
  // A huge gradient on the support leaves the margin alone (it fails the
  // tolerance instead)...
  r = check_ht_stability(theta, vec({0.0, 1.0, 1e6, -0.5, -1e6}), 3, 0.5, 0.0);
  CHECK(r.margin == 1.0);
  CHECK(r.support_grad_inf == 1e6);
  CHECK_FALSE(r.stable);
  // ... and with a tolerance that forgives it, the verdict still follows the margin.
  r = check_ht_stability(theta, vec({0.0, 1.0, 1e6, -0.5, -1e6}), 3, 0.5, 1e6);
  CHECK(r.margin == 1.0);
  CHECK(r.stable);
  // A huge gradient off the support moves the margin and the verdict.
  r = check_ht_stability(theta, vec({0.0, 1.0, 0.0, -1e6, 0.0}), 3, 0.5, 0.0);
  CHECK(r.margin == 1.5 - 0.5e6);
  CHECK(r.support_grad_inf == 0.0);
  CHECK_FALSE(r.stable);
  // A small on-support gradient with a large off-support one: stable only if
  // the margin is read from the off-support side (0.5 · 4 = 2 > 1.5).
  r = check_ht_stability(theta, vec({0.0, 4.0, 0.0, 0.0, 0.0}), 3, 0.5, 0.0);
  CHECK(r.margin == -0.5);
  CHECK_FALSE(r.stable);
  // The smallest magnitude on the support, not the smallest value or the first entry.
  r = check_ht_stability(vec({-4.0, 0.0, 0.75, 0.0, -8.0}), vec({0.0, 0.5, 0.0, 0.0, 0.0}), 3, 0.5,
                         0.0);
  CHECK(r.margin == 0.5);  // 0.75 − 0.25
  CHECK(r.support_size == 3);
}

TEST_CASE("HT-stable with |S| < s: the whole gradient must vanish, on and off the support") {
  const Eigen::VectorXd theta = vec({1.0, 0.0, 0.0});
  const double tolerance = 0.125;
  // Off the support, exactly at the tolerance: stable; one ulp above: not.
  auto r = check_ht_stability(theta, vec({0.0, 0.125, -0.0625}), 2, 0.5, tolerance);
  CHECK(r.support_size == 1);
  CHECK(r.support_grad_inf == 0.125);
  CHECK(r.margin == 1.0 - 0.0625);
  CHECK(r.stable);
  r = check_ht_stability(theta, vec({0.0, -std::nextafter(0.125, 1.0), 0.0}), 2, 0.5, tolerance);
  CHECK(r.support_grad_inf == std::nextafter(0.125, 1.0));
  CHECK_FALSE(r.stable);
  // On the support, the same.
  r = check_ht_stability(theta, vec({-0.125, 0.0, 0.0}), 2, 0.5, tolerance);
  CHECK(r.support_grad_inf == 0.125);
  CHECK(r.stable);
  r = check_ht_stability(theta, vec({std::nextafter(0.125, 1.0), 0.0, 0.0}), 2, 0.5, tolerance);
  CHECK_FALSE(r.stable);
  // A positive margin does not rescue a gradient that does not vanish off the
  // support (the |S| = s rule would call this stable).
  r = check_ht_stability(theta, vec({0.0, 0.5, 0.0}), 2, 0.5, tolerance);
  CHECK(r.margin == 0.75);
  CHECK(r.support_grad_inf == 0.5);
  CHECK_FALSE(r.stable);
  // With s = |S| the same point follows the margin rule and is stable.
  r = check_ht_stability(theta, vec({0.0, 0.5, 0.0}), 1, 0.5, tolerance);
  CHECK(r.support_grad_inf == 0.0);
  CHECK(r.stable);
}

TEST_CASE("HT-stable with an empty support: margin 0 − γ·‖∇f‖∞, stable iff ∇f vanishes") {
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(3);
  auto r = check_ht_stability(zero, Eigen::VectorXd::Zero(3), 1, 0.5, 0.0);
  CHECK(r.support_size == 0);
  CHECK(r.margin == 0.0);
  CHECK(r.support_grad_inf == 0.0);
  CHECK(r.stable);
  r = check_ht_stability(zero, vec({0.0, -0.5, 0.25}), 1, 0.5, 0.25);
  CHECK(r.support_size == 0);
  CHECK(r.margin == -0.25);
  CHECK(r.support_grad_inf == 0.5);
  CHECK_FALSE(r.stable);
  r = check_ht_stability(zero, vec({0.0, -0.25, 0.25}), 1, 0.5, 0.25);
  CHECK(r.support_grad_inf == 0.25);
  CHECK(r.stable);
}
