#include <doctest/doctest.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "sparse_iht/error.hpp"
#include "sparse_iht/hard_threshold.hpp"
#include "sparse_iht/random.hpp"

using sparse_iht::hard_threshold;
using sparse_iht::HardThreshold;
using sparse_iht::support_of;

namespace {
Eigen::VectorXd random_vector(int n, std::uint64_t seed) {
  sparse_iht::Rng rng(seed);
  Eigen::VectorXd x(n);
  for (int i = 0; i < n; ++i) x[i] = rng.normal();
  return x;
}
}  // namespace

TEST_CASE("H_s keeps exactly min(s, n) nonzeros, the largest in magnitude") {
  for (int n : {1, 2, 7, 15, 100}) {
    const Eigen::VectorXd x = random_vector(n, static_cast<std::uint64_t>(n));
    for (int s = 0; s <= n + 2; ++s) {
      const Eigen::VectorXd y = hard_threshold(x, s);
      const auto support = support_of(y);
      CHECK(static_cast<int>(support.size()) == std::min(s, n));
      // Every kept magnitude is at least every dropped one, and kept values are unchanged.
      double smallest_kept = 1e300, largest_dropped = 0.0;
      for (int i = 0; i < n; ++i) {
        if (y[i] != 0.0) {
          CHECK(y[i] == x[i]);
          smallest_kept = std::min(smallest_kept, std::abs(x[i]));
        } else {
          largest_dropped = std::max(largest_dropped, std::abs(x[i]));
        }
      }
      if (s > 0 && s < n) CHECK(smallest_kept >= largest_dropped);
    }
  }
}

TEST_CASE("H_s is idempotent") {
  const Eigen::VectorXd x = random_vector(50, 5);
  for (int s : {1, 5, 25, 50}) {
    const Eigen::VectorXd once = hard_threshold(x, s);
    CHECK(hard_threshold(once, s) == once);
  }
}

TEST_CASE("H_s breaks ties at the s-th magnitude towards the lower index") {
  Eigen::VectorXd x(6);
  x << 1.0, -2.0, 2.0, -1.0, 2.0, 1.0;
  CHECK(support_of(hard_threshold(x, 1)) == std::vector<int>{1});
  CHECK(support_of(hard_threshold(x, 2)) == std::vector<int>{1, 2});
  CHECK(support_of(hard_threshold(x, 4)) == std::vector<int>{0, 1, 2, 4});
  CHECK(support_of(hard_threshold(x, 5)) == std::vector<int>{0, 1, 2, 3, 4});
  Eigen::VectorXd equal = Eigen::VectorXd::Constant(10, 3.0);
  CHECK(support_of(hard_threshold(equal, 3)) == std::vector<int>{0, 1, 2});
}

TEST_CASE("H_s with s >= n keeps everything; the support excludes zeros") {
  Eigen::VectorXd x(4);
  x << 0.0, 1.0, 0.0, -3.0;
  CHECK(hard_threshold(x, 4) == x);
  CHECK(hard_threshold(x, 10) == x);
  HardThreshold h;
  Eigen::VectorXd y = x;
  CHECK(h.apply(y, 3) == std::vector<int>{1, 3});
}

TEST_CASE("H_s rejects a negative s and NaN entries") {
  Eigen::VectorXd x = Eigen::VectorXd::Ones(3);
  CHECK_THROWS_AS(hard_threshold(x, -1), sparse_iht::InputError);
  x[1] = std::nan("");
  CHECK_THROWS_WITH_AS(hard_threshold(x, 1), doctest::Contains("entry 1 is NaN"),
                       sparse_iht::InputError);
}

TEST_CASE("H_s is deterministic: the workspace does not change the answer") {
  HardThreshold h;
  for (int trial = 0; trial < 20; ++trial) {
    Eigen::VectorXd x = random_vector(30, static_cast<std::uint64_t>(trial));
    x[3] = x[7] = 5.0;  // a tie among the largest
    Eigen::VectorXd a = x, b = x;
    h.apply(a, 10);
    HardThreshold fresh;
    fresh.apply(b, 10);
    CHECK(a == b);
  }
}

TEST_CASE("H_s boundary: one ulp above the s-th magnitude beats every tie, one ulp below loses") {
  const double up = std::nextafter(1.0, 2.0);
  const double down = std::nextafter(1.0, 0.0);
  Eigen::VectorXd x(5);
  x << 1.0, -1.0, down, -up, 1.0;
  // Strictly larger first, then the ties at 1 by index, and `down` last.
  CHECK(support_of(hard_threshold(x, 1)) == std::vector<int>{3});
  CHECK(support_of(hard_threshold(x, 2)) == std::vector<int>{0, 3});
  CHECK(support_of(hard_threshold(x, 3)) == std::vector<int>{0, 1, 3});
  CHECK(support_of(hard_threshold(x, 4)) == std::vector<int>{0, 1, 3, 4});
  CHECK(support_of(hard_threshold(x, 5)) == std::vector<int>{0, 1, 2, 3, 4});
  // Exact zeros never enter the support, even when s leaves room for them.
  Eigen::VectorXd sparse(4);
  sparse << 0.0, -0.0, 2.0, 0.0;
  HardThreshold h;
  CHECK(h.apply(sparse, 2) == std::vector<int>{2});
  CHECK(h.apply(sparse, 0).empty());
  CHECK(sparse.isZero(0.0));
}

// H_s against its definition: the first s entries in the order (larger
// magnitude first, then lower index), on vectors full of ties, zeros of both
// signs and infinities, for every s and n up to 40.
TEST_CASE("H_s against its definition on vectors full of ties, zeros and infinities") {
  const double inf = std::numeric_limits<double>::infinity();
  sparse_iht::Rng rng(2026);
  int cases = 0;
  for (int n = 1; n <= 40; ++n) {
    for (int trial = 0; trial < 6; ++trial) {
      Eigen::VectorXd x(n);
      for (int i = 0; i < n; ++i) {
        const double u = rng.uniform();
        // Few distinct magnitudes, so that most thresholds fall on a tie.
        double v = static_cast<double>(1 + static_cast<int>(rng.uniform() * 4.0));
        if (u < 0.1) v = 0.0;
        if (u >= 0.1 && u < 0.15) v = inf;
        if (u >= 0.15 && u < 0.5) v = rng.normal();
        x[i] = rng.uniform() < 0.5 ? -v : v;
      }
      std::vector<int> order(static_cast<std::size_t>(n));
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(),
                       [&](int a, int b) { return std::abs(x[a]) > std::abs(x[b]); });
      for (int s = 1; s < n; ++s) {
        Eigen::VectorXd expected = Eigen::VectorXd::Zero(n);
        for (int k = 0; k < s; ++k)
          expected[order[static_cast<std::size_t>(k)]] = x[order[static_cast<std::size_t>(k)]];
        const Eigen::VectorXd y = hard_threshold(x, s);
        INFO("n " << n << ", s " << s << ", trial " << trial);
        for (int i = 0; i < n; ++i) {
          CHECK(std::signbit(y[i]) == std::signbit(expected[i]));
          CHECK(y[i] == expected[i]);
        }
        ++cases;
      }
    }
  }
  CHECK(cases > 4000);
}
