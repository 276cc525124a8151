#include <doctest/doctest.h>

#include <Eigen/Core>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

#include "kernels/layers.hpp"
#include "sparse_iht/dataset.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/network.hpp"
#include "sparse_iht/random.hpp"

using namespace sparse_iht;

namespace {

Dataset random_dataset(int features, int classes, int samples, std::uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.x.resize(features, samples);
  for (int j = 0; j < samples; ++j) {
    for (int i = 0; i < features; ++i) d.x(i, j) = rng.normal();
    d.y.push_back(j % classes);
  }
  for (int i = 0; i < features; ++i) d.feature_names.push_back("f" + std::to_string(i));
  for (int c = 0; c < classes; ++c) d.class_names.push_back("c" + std::to_string(c));
  return d;
}

Eigen::VectorXd random_theta(const Architecture& arch, std::uint64_t seed) {
  Rng rng(seed);
  Eigen::VectorXd theta(arch.num_params());
  for (int i = 0; i < theta.size(); ++i) theta[i] = rng.normal();
  return theta;
}

// Largest relative difference between the analytic gradient and central differences.
double gradient_error(NetworkObjective& f, const Eigen::VectorXd& theta) {
  Eigen::VectorXd grad;
  f.evaluate_with_gradient(theta, grad);
  double worst = 0.0;
  for (int i = 0; i < theta.size(); ++i) {
    const double h = 1e-6 * std::max(1.0, std::abs(theta[i]));
    Eigen::VectorXd plus = theta, minus = theta;
    plus[i] += h;
    minus[i] -= h;
    const double numeric = (f.evaluate(plus) - f.evaluate(minus)) / (2.0 * h);
    worst = std::max(worst, std::abs(numeric - grad[i]) / std::max(1e-4, std::abs(numeric)));
  }
  return worst;
}

}  // namespace

TEST_CASE("network: the paper's model has n = 15 parameters") {
  Architecture arch{{4, 3}, Activation::tanh};
  CHECK(arch.num_params() == 15);
  Architecture deep{{4, 8, 8, 3}, Activation::relu};
  CHECK(deep.num_params() == 8 * 5 + 8 * 9 + 3 * 9);
  CHECK(deep.layer_offset(1) == 40);
  CHECK(deep.layer_offset(2) == 112);
}

TEST_CASE("network: the gradient matches finite differences for every activation and depth") {
  const Dataset data = random_dataset(4, 3, 25, 1);
  for (Activation act : {Activation::tanh, Activation::relu, Activation::sigmoid}) {
    for (const std::vector<int>& hidden :
         {std::vector<int>{}, std::vector<int>{5}, std::vector<int>{4, 3}}) {
      Architecture arch;
      arch.sizes = {4};
      arch.sizes.insert(arch.sizes.end(), hidden.begin(), hidden.end());
      arch.sizes.push_back(3);
      arch.activation = act;
      NetworkObjective f(arch, data);
      for (std::uint64_t seed : {2, 3}) {
        const Eigen::VectorXd theta = 0.7 * random_theta(arch, seed);
        INFO("activation " << activation_name(act) << ", layers " << arch.num_layers());
        CHECK(gradient_error(f, theta) < 1e-5);
      }
    }
  }
}

TEST_CASE("network: the gradient matches finite differences on the sparse and dense paths") {
  // Both layers have more than kernels::kTinyLayer weights (120 and 80). With
  // every seventh weight kept (14 % ≤ 25 %) they take the sparse path, which
  // skips zero weights; with all of them, Eigen's product. Finite differences
  // move one weight by h, which never changes the path. Eight classes take the
  // softmax's generic loop.
  const Dataset data = random_dataset(12, 8, 41, 11);
  for (Activation act : {Activation::tanh, Activation::relu, Activation::sigmoid}) {
    Architecture arch{{12, 10, 8}, act};
    NetworkObjective f(arch, data);
    for (bool sparse : {true, false}) {
      Eigen::VectorXd theta = 0.7 * random_theta(arch, 12);
      for (int l = 0; l < arch.num_layers() && sparse; ++l) {
        const int weights = arch.sizes[l + 1] * arch.sizes[l];
        for (int k = 0; k < weights; ++k) {
          if (k % 7 != 0) theta[arch.layer_offset(l) + k] = 0.0;
        }
      }
      INFO("activation " << activation_name(act) << (sparse ? ", sparse" : ", dense"));
      for (int l = 0; l < arch.num_layers(); ++l) {
        REQUIRE(kernels::use_sparse_path(theta.data() + arch.layer_offset(l), arch.sizes[l + 1],
                                         arch.sizes[l]) == sparse);
      }
      CHECK(gradient_error(f, theta) < 1e-5);
    }
  }
}

TEST_CASE("network: the gradient is right at a sparse point, as IHT evaluates it") {
  const Dataset data = random_dataset(3, 2, 30, 4);
  Architecture arch{{3, 4, 2}, Activation::tanh};
  NetworkObjective f(arch, data);
  Eigen::VectorXd theta = random_theta(arch, 5);
  for (int i = 0; i < theta.size(); i += 2) theta[i] = 0.0;
  CHECK(gradient_error(f, theta) < 1e-5);
}

TEST_CASE("network: θ layout is W row by row, then b (docs/method.md §1)") {
  // One sample with only feature 1 set: the logit of class o is W[o][1] + b[o].
  Dataset d;
  d.x = Eigen::MatrixXd::Zero(4, 1);
  d.x(1, 0) = 1.0;
  d.y = {0};
  d.feature_names = {"a", "b", "c", "d"};
  d.class_names = {"x", "y", "z"};
  Architecture arch{{4, 3}, Activation::tanh};
  NetworkObjective f(arch, d);
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(15);
  theta[2 * 4 + 1] = 5.0;  // W[2][1]
  CHECK(f.predict(theta) == std::vector<int>{2});
  theta.setZero();
  theta[12 + 1] = 5.0;  // b[1]
  CHECK(f.predict(theta) == std::vector<int>{1});
  // A uniform output costs log(3).
  theta.setZero();
  CHECK(f.evaluate(theta) == doctest::Approx(std::log(3.0)));
}

TEST_CASE("network: predictions break ties towards the lower class") {
  const Dataset data = random_dataset(4, 3, 9, 13);
  Architecture arch{{4, 3}, Activation::tanh};
  NetworkObjective f(arch, data);
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(15);
  CHECK(f.predict(theta) == std::vector<int>(9, 0));
  theta[13] = theta[14] = 2.0;  // b[1] = b[2]: classes 1 and 2 tie
  CHECK(f.predict(theta) == std::vector<int>(9, 1));
  CHECK(f.accuracy(theta) == doctest::Approx(3.0 / 9.0));
}

TEST_CASE("network: the loss is finite for huge logits and the softmax sums to one") {
  const Dataset data = random_dataset(4, 3, 10, 6);
  Architecture arch{{4, 3}, Activation::tanh};
  NetworkObjective f(arch, data);
  const Eigen::VectorXd theta = 1e6 * random_theta(arch, 7);
  Eigen::VectorXd grad;
  CHECK(std::isfinite(f.evaluate_with_gradient(theta, grad)));
  CHECK(grad.allFinite());
  const Eigen::MatrixXd p = f.probabilities(0.1 * theta / 1e6);
  for (int j = 0; j < p.cols(); ++j) CHECK(p.col(j).sum() == doctest::Approx(1.0));
}

TEST_CASE("network: a batch of every sample equals the full objective") {
  const Dataset data = random_dataset(4, 3, 20, 8);
  Architecture arch{{4, 6, 3}, Activation::sigmoid};
  NetworkObjective f(arch, data);
  const Eigen::VectorXd theta = random_theta(arch, 9);
  std::vector<int> all(20);
  std::iota(all.begin(), all.end(), 0);
  Eigen::VectorXd g_full, g_batch;
  const double full = f.evaluate_with_gradient(theta, g_full);
  const double batch = f.evaluate_batch_with_gradient(theta, all.data(), 20, g_batch);
  CHECK(batch == doctest::Approx(full).epsilon(1e-14));
  CHECK((g_full - g_batch).norm() < 1e-14);
}

TEST_CASE("network: mismatched shapes are input errors") {
  const Dataset data = random_dataset(4, 3, 5, 10);
  CHECK_THROWS_AS(NetworkObjective(Architecture{{5, 3}, Activation::tanh}, data), InputError);
  CHECK_THROWS_AS(NetworkObjective(Architecture{{4, 2}, Activation::tanh}, data), InputError);
  CHECK_THROWS_AS(NetworkObjective(Architecture{{4, 0, 3}, Activation::tanh}, data), InputError);
  NetworkObjective f(Architecture{{4, 3}, Activation::tanh}, data);
  CHECK_THROWS_AS(f.evaluate(Eigen::VectorXd::Zero(14)), InputError);
  CHECK_THROWS_WITH_AS(parse_activation("swish"), doctest::Contains("swish"), InputError);
}

TEST_CASE("network: Glorot initialisation is seeded with zero biases") {
  Architecture arch{{4, 8, 3}, Activation::tanh};
  Rng a(1), b(1);
  const Eigen::VectorXd t1 = initial_parameters(arch, a);
  const Eigen::VectorXd t2 = initial_parameters(arch, b);
  CHECK(t1 == t2);
  CHECK(t1.segment(32, 8).isZero());
  CHECK(t1.tail(3).isZero());
}

TEST_CASE("network: Glorot-normal weights have variance 2 / (in + out) per layer") {
  // 60 → 40 → 20 with scale 1: 2,400 and 800 weights, so the sample variance
  // is within a few per cent of 2 / (in + out); 1 / (in + out) would be half.
  Architecture arch{{60, 40, 20}, Activation::tanh};
  Rng rng(5);
  const Eigen::VectorXd theta = initial_parameters(arch, rng, 1.0);
  const auto variance = [&](int offset, int count) {
    const Eigen::VectorXd w = theta.segment(offset, count);
    return w.squaredNorm() / count;
  };
  // Relative error of a variance from m normal draws: about sqrt(2 / m).
  CHECK(std::abs(variance(0, 2400) / (2.0 / 100.0) - 1.0) < 0.12);
  CHECK(std::abs(variance(2440, 800) / (2.0 / 60.0) - 1.0) < 0.2);
  CHECK(theta.segment(2400, 40).isZero());
  CHECK(theta.tail(20).isZero());
  // The scale multiplies the deviation.
  Rng again(5);
  CHECK((initial_parameters(arch, again, 0.1) - 0.1 * theta).norm() <= 1e-15 * theta.norm());
}

TEST_CASE("network: relu's derivative at exactly 0 is 0 (docs/method.md §1)") {
  // Hidden unit 0 has zero weights and bias, so its pre-activation is exactly
  // 0 on every sample: no gradient may flow into its incoming weights.
  Dataset data;
  data.x = Eigen::MatrixXd(2, 4);
  data.x << 1.0, -2.0, 0.5, 3.0, -1.0, 0.25, 2.0, -0.5;
  data.y = {0, 1, 1, 0};
  data.feature_names = {"u", "v"};
  data.class_names = {"a", "b"};
  Architecture arch{{2, 2, 2}, Activation::relu};
  NetworkObjective f(arch, data);
  Eigen::VectorXd theta(12);
  // W1 (2 × 2), b1, W2 (2 × 2), b2; unit 0 of the hidden layer all zero.
  theta << 0.0, 0.0, 0.7, -0.4, 0.0, 0.3, 0.9, -1.1, 0.5, 0.8, 0.1, -0.2;
  Eigen::VectorXd grad;
  f.evaluate_with_gradient(theta, grad);
  CHECK(grad[0] == 0.0);
  CHECK(grad[1] == 0.0);
  CHECK(grad[4] == 0.0);
  CHECK(grad[2] != 0.0);
}

TEST_CASE("network: predict() after an evaluation at the same θ equals a fresh prediction") {
  // predict() reuses the logits of the last full-data pass when θ is the same
  // (issue #18); any other θ, a mini-batch pass in between, or a changed
  // entry must run the network again.
  const Architecture arch{{5, 8, 4}, Activation::tanh};
  const Dataset data = random_dataset(5, 4, 61, 41);
  NetworkObjective f(arch, data);
  NetworkObjective fresh(arch, data);
  const Eigen::VectorXd a = random_theta(arch, 5);
  Eigen::VectorXd b = random_theta(arch, 6);
  const std::vector<int> pa = fresh.predict(a);
  const std::vector<int> pb = fresh.predict(b);
  REQUIRE(pa != pb);
  Eigen::VectorXd grad;
  f.evaluate_with_gradient(a, grad);
  CHECK(f.predict(a) == pa);
  CHECK(f.predict(b) == pb);  // the logits held are a's
  f.evaluate(a);
  CHECK(f.predict(b) == pb);
  f.evaluate_with_gradient(b, grad);
  const std::vector<int> batch = {3, 7, 11};
  f.evaluate_batch_with_gradient(a, batch.data(), 3, grad);  // 3 samples' logits
  CHECK(f.predict(a) == pa);
  f.evaluate(a);
  Eigen::VectorXd a2 = a;
  a2[2] += 10.0;  // one changed weight: not the θ whose logits are held
  CHECK(f.predict(a2) == fresh.predict(a2));
  CHECK(f.accuracy(a) == fresh.accuracy(a));
}

TEST_CASE("network: the gradient after a loss at the same θ is a fresh gradient, bit for bit") {
  // evaluate_with_gradient() starts from the activations of the last
  // loss-only pass on the training data when θ is the same bits (IHT's
  // backtracking evaluates θ⁺, then asks for its gradient). Any other θ, a
  // changed sign of zero, or a mini-batch or gradient pass in between must
  // run the network again.
  for (const Architecture& arch :
       {Architecture{{5, 8, 4}, Activation::tanh}, Architecture{{5, 6, 7, 3}, Activation::relu},
        Architecture{{5, 2}, Activation::tanh}}) {
    const int classes = arch.sizes.back();
    const Dataset data = random_dataset(5, classes, 61, 43);
    NetworkObjective f(arch, data);
    const auto fresh = [&](const Eigen::VectorXd& theta, double& loss) {
      NetworkObjective g(arch, data);
      Eigen::VectorXd grad;
      loss = g.evaluate_with_gradient(theta, grad);
      return grad;
    };
    const auto reused = [&](const Eigen::VectorXd& theta, double& loss) {
      Eigen::VectorXd grad;
      loss = f.evaluate_with_gradient(theta, grad);
      return grad;
    };
    const auto same = [](const Eigen::VectorXd& a, double la, const Eigen::VectorXd& b, double lb) {
      return a.size() == b.size() && std::memcmp(&la, &lb, sizeof la) == 0 &&
             std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) ==
                 0;
    };
    Eigen::VectorXd a = random_theta(arch, 7);
    for (int i = 0; i < a.size(); i += 3) a[i] = 0.0;  // sparse, as IHT's iterates are
    const Eigen::VectorXd b = random_theta(arch, 8);
    double la = 0, lb = 0, lr = 0;
    const Eigen::VectorXd ga = fresh(a, la);
    const Eigen::VectorXd gb = fresh(b, lb);
    REQUIRE_FALSE(same(ga, la, gb, lb));

    CHECK(f.evaluate(a) == la);
    Eigen::VectorXd g = reused(a, lr);
    CHECK(same(g, lr, ga, la));
    g = reused(a, lr);  // twice in a row: still a's
    CHECK(same(g, lr, ga, la));

    f.evaluate(a);
    g = reused(b, lr);  // another θ
    CHECK(same(g, lr, gb, lb));

    f.evaluate(a);
    Eigen::VectorXd a2 = a;
    a2[1] += 0.5;  // one changed weight
    double l2 = 0;
    const Eigen::VectorXd g2 = fresh(a2, l2);
    g = reused(a2, lr);
    CHECK(same(g, lr, g2, l2));

    f.evaluate(a);
    Eigen::VectorXd signed_zero = a;
    signed_zero[0] = -0.0;  // equal as numbers, not as bits
    double lz = 0;
    const Eigen::VectorXd gz = fresh(signed_zero, lz);
    g = reused(signed_zero, lr);
    CHECK(same(g, lr, gz, lz));

    f.evaluate(b);
    const std::vector<int> batch = {3, 7, 11};
    Eigen::VectorXd batch_grad;
    f.evaluate_batch_with_gradient(b, batch.data(), 3, batch_grad);  // overwrites b's pass
    g = reused(b, lr);
    CHECK(same(g, lr, gb, lb));

    f.evaluate(a);
    f.evaluate_with_gradient(b, g);  // a gradient pass at b in between
    g = reused(a, lr);
    CHECK(same(g, lr, ga, la));

    f.evaluate(b);
    f.predict(a);  // a logits pass at a in between
    g = reused(b, lr);
    CHECK(same(g, lr, gb, lb));
  }
}

TEST_CASE("network: predict() takes the first maximum, so ties go to the lower class") {
  // Zero weights and equal biases for classes 1 and 2: every sample ties there.
  const Architecture arch{{3, 4}, Activation::tanh};
  const Dataset data = random_dataset(3, 4, 9, 3);
  NetworkObjective f(arch, data);
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(arch.num_params());
  theta.tail(4) << 0.0, 1.0, 1.0, -1.0;
  for (const int p : f.predict(theta)) CHECK(p == 1);
  theta.tail(4) << 2.0, 2.0, 2.0, 2.0;
  for (const int p : f.predict(theta)) CHECK(p == 0);
}
