#include <doctest/doctest.h>

#include <Eigen/Core>

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
