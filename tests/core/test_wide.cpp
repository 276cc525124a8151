// The kernels on AVX2 registers (kernels/wide.hpp, kernels/layers.hpp)
// against the pair kernels that SSE2 and WebAssembly run: the softmax pass
// (the loss, every e_k or δ_k and every total, whatever the number of samples,
// classes and the log chunk, and for logits at the edges of exp's range), the
// sparse layer passes and the activations, bit for bit.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/layers.hpp"
#include "kernels/wide.hpp"
#include "sparse_iht/digits.hpp"
#include "sparse_iht/hard_threshold.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/network.hpp"
#include "sparse_iht/random.hpp"

namespace kernels = sparse_iht::kernels;

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

int differing(const std::vector<double>& a, const std::vector<double>& b) {
  int bad = 0;
  for (std::size_t i = 0; i < a.size(); ++i) bad += !same_bits(a[i], b[i]);
  return bad;
}

}  // namespace

#if SPARSE_IHT_WIDE
namespace {

struct PassOutput {
  double loss = 0.0;
  std::vector<double> out, totals;
};

struct PassInput {
  std::vector<double> logits, labels;
  long n = 0;
  int classes = 0;
};

PassInput random_input(long n, int classes, std::uint64_t seed, double scale) {
  sparse_iht::Rng rng(seed);
  PassInput in;
  in.n = n;
  in.classes = classes;
  in.logits.resize(static_cast<std::size_t>(n * classes));
  for (double& z : in.logits) z = scale * rng.normal();
  in.labels.resize(static_cast<std::size_t>(n));
  for (double& y : in.labels)
    y = static_cast<double>(rng.below(static_cast<std::uint64_t>(classes)));
  return in;
}

template <bool kGradient, typename Pass>
PassOutput run(const PassInput& in, int chunk, Pass pass) {
  PassOutput o;
  o.out.assign(in.logits.size(), -1.0);
  o.totals.assign(static_cast<std::size_t>(in.n), -1.0);
  o.loss = pass(in.logits.data(), in.labels.data(), in.n, in.classes, chunk, o.out.data(),
                o.totals.data());
  return o;
}

// Compares the two passes on one input; returns the number of entries whose
// bits differ (the loss counts as one).
template <bool kGradient>
int mismatches(const PassInput& in, int chunk) {
  const PassOutput pairs = run<kGradient>(in, chunk, kernels::softmax_pass<kGradient>);
  const PassOutput wide = run<kGradient>(in, chunk, kernels::softmax_pass_auto<kGradient>);
  int bad = same_bits(pairs.loss, wide.loss) ? 0 : 1;
  for (std::size_t i = 0; i < pairs.out.size(); ++i) bad += !same_bits(pairs.out[i], wide.out[i]);
  for (std::size_t i = 0; i < pairs.totals.size(); ++i) {
    bad += !same_bits(pairs.totals[i], wide.totals[i]);
  }
  return bad;
}

}  // namespace
#endif

TEST_CASE("the wide softmax pass gives the pair pass's bits") {
#if SPARSE_IHT_WIDE
  if (!kernels::cpu_has_avx2()) {
    MESSAGE("this CPU has no AVX2: the wide pass is never used, nothing to compare");
    return;
  }
  std::uint64_t seed = 1;
  for (const int classes : {2, 3, 4, 10}) {
    for (const long n : {1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 120L, 1001L}) {
      for (const int chunk : {1, 2, 3, 7, 1000}) {
        for (const double scale : {1.0, 40.0, 400.0}) {
          const PassInput in = random_input(n, classes, seed++, scale);
          INFO("classes " << classes << ", n " << n << ", chunk " << chunk << ", scale " << scale);
          CHECK(mismatches<true>(in, chunk) == 0);
          CHECK(mismatches<false>(in, chunk) == 0);
        }
      }
    }
  }
#else
  MESSAGE("not an x86-64 GCC build: there is no wide pass");
#endif
}

TEST_CASE("the wide softmax pass agrees at exp's edges: −∞, huge gaps, NaN and signed zeros") {
#if SPARSE_IHT_WIDE
  if (!kernels::cpu_has_avx2()) return;
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Three classes, nine samples (two blocks of four and the odd one), each
  // sample's logits one row of this table, in turn at every position.
  const std::vector<std::vector<double>> rows = {
      {0.0, -0.0, 0.0},     {-inf, 0.0, 1.0},   {-inf, -inf, -inf},
      {800.0, -800.0, 0.0}, {nan, 0.0, 1.0},    {-708.0, 0.0, -709.0},
      {1e300, -1e300, 0.0}, {-0.0, -0.0, -0.0}, {inf, 0.0, -1.0},
  };
  for (std::size_t shift = 0; shift < rows.size(); ++shift) {
    PassInput in;
    in.n = static_cast<long>(rows.size());
    in.classes = 3;
    in.logits.assign(rows.size() * 3, 0.0);
    in.labels.assign(rows.size(), 0.0);
    for (std::size_t j = 0; j < rows.size(); ++j) {
      const auto& row = rows[(j + shift) % rows.size()];
      for (std::size_t k = 0; k < 3; ++k) in.logits[k * rows.size() + j] = row[k];
      in.labels[j] = static_cast<double>((j + shift) % 3);
    }
    INFO("rotation " << shift);
    CHECK(mismatches<true>(in, 2) == 0);
    CHECK(mismatches<false>(in, 2) == 0);
  }
#else
  MESSAGE("not an x86-64 GCC build: there is no wide pass");
#endif
}

#if SPARSE_IHT_WIDE
namespace {

// Values at the activations' edges: both forms of tanh, exp's cut-off, NaN,
// infinities and signed zeros.
std::vector<double> edge_values() {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> v = {0.0,
                           -0.0,
                           0.625,
                           -0.625,
                           0.624,
                           1e-300,
                           -1e-300,
                           20.0,
                           -20.0,
                           708.0,
                           -708.0,
                           709.0,
                           -745.0,
                           inf,
                           -inf,
                           1e300,
                           std::numeric_limits<double>::quiet_NaN()};
  sparse_iht::Rng rng(7);
  for (int k = 0; k < 200; ++k) v.push_back(3.0 * rng.normal());
  return v;
}

// A layer's inputs: N(0, 4) draws, with an edge value every `every` entries.
std::vector<double> layer_inputs(std::size_t size, sparse_iht::Rng& rng, std::size_t every) {
  const std::vector<double> edges = edge_values();
  std::vector<double> a(size);
  for (std::size_t i = 0; i < size; ++i) {
    a[i] = i % every == 0 ? edges[i % edges.size()] : 2.0 * rng.normal();
  }
  return a;
}

}  // namespace
#endif

TEST_CASE("the wide activations give the pairs' bits, for every mix of tanh's two forms") {
#if SPARSE_IHT_WIDE
  if (!kernels::cpu_has_avx2()) return;
  const std::vector<double> base = edge_values();
  for (const auto activation : {sparse_iht::Activation::tanh, sparse_iht::Activation::sigmoid,
                                sparse_iht::Activation::relu}) {
    // Every rotation, so each block of four meets different neighbours, and
    // every length up to 9 for the tails.
    for (std::size_t shift = 0; shift < 24; ++shift) {
      std::vector<double> z(base.size());
      for (std::size_t i = 0; i < z.size(); ++i) z[i] = base[(i + shift) % base.size()];
      for (const auto n : {static_cast<long>(z.size()), 1L, 2L, 3L, 4L, 5L, 9L}) {
        std::vector<double> pairs(static_cast<std::size_t>(n)), wide(pairs.size());
        kernels::activate(activation, z.data(), pairs.data(), n);
        kernels::activate_wide(activation, z.data(), wide.data(), n);
        INFO("activation " << static_cast<int>(activation) << ", rotation " << shift << ", n "
                           << n);
        CHECK(differing(pairs, wide) == 0);
      }
    }
  }
#else
  MESSAGE("not an x86-64 GCC build: there is no wide pass");
#endif
}

TEST_CASE("the wide sparse layer passes give the pairs' bits, forward and backward") {
#if SPARSE_IHT_WIDE
  if (!kernels::cpu_has_avx2()) return;
  std::uint64_t seed = 100;
  for (const auto& shape : {std::pair<int, int>{20, 10}, {7, 64}, {33, 5}}) {
    const int out = shape.first, in = shape.second;
    for (const long n : {1L, 5L, 16L, 17L, 31L, 32L, 33L, 100L, 257L, 600L}) {
      for (const auto activation : {sparse_iht::Activation::tanh, sparse_iht::Activation::sigmoid,
                                    sparse_iht::Activation::relu}) {
        sparse_iht::Rng rng(seed++);
        std::vector<double> w(static_cast<std::size_t>(out * in), 0.0), b(out);
        for (double& x : w) x = rng.uniform() < 0.15 ? rng.normal() : 0.0;
        for (double& x : b) x = rng.normal();
        const std::vector<double> a = layer_inputs(static_cast<std::size_t>(in * n), rng, 97);
        std::vector<double> d(static_cast<std::size_t>(out * n));
        for (double& x : d) x = rng.normal();
        INFO(out << " × " << in << ", n " << n << ", activation " << static_cast<int>(activation));

        sparse_iht::detail::NonzeroLists lists;
        kernels::list_nonzeros(w.data(), out, in, false, n, lists);
        std::vector<double> z1(d.size()), z2(d.size()), act1(d.size()), act2(d.size());
        kernels::sparse_pass(lists, b.data(), a.data(), z1.data(), n,
                             [&](kernels::Index at, kernels::Index len) {
                               kernels::activate(activation, z1.data() + at, act1.data() + at, len);
                             });
        kernels::sparse_forward_wide(lists, b.data(), a.data(), z2.data(), n, activation,
                                     act2.data());
        CHECK(differing(z1, z2) == 0);
        CHECK(differing(act1, act2) == 0);

        // Backward through the same weights: δ_prev = Wᵀ·δ ∘ σ'(z_prev).
        kernels::list_nonzeros(w.data(), out, in, true, n, lists);
        std::vector<double> z_prev(a), a_prev(a.size());
        kernels::activate(activation, z_prev.data(), a_prev.data(), static_cast<long>(a.size()));
        std::vector<double> p1(a.size()), p2(a.size());
        kernels::sparse_pass(
            lists, nullptr, d.data(), p1.data(), n, [&](kernels::Index at, kernels::Index len) {
              kernels::multiply_by_derivative(activation, z_prev.data() + at, a_prev.data() + at,
                                              p1.data() + at, len);
            });
        kernels::sparse_backward_wide(lists, d.data(), p2.data(), n, activation, z_prev.data(),
                                      a_prev.data());
        CHECK(differing(p1, p2) == 0);
      }
    }
  }
#else
  MESSAGE("not an x86-64 GCC build: there is no wide pass");
#endif
}

TEST_CASE("the wide tiny layer pass gives the pairs' bits") {
#if SPARSE_IHT_WIDE
  if (!kernels::cpu_has_avx2()) return;
  std::uint64_t seed = 500;
  // 3 × 4 is the paper's IRIS layer; 8 × 8 fills kTinyLayer; 1 × 9 has more
  // than four nonzeros per unit, so the sums run in two calls.
  for (const auto& shape : {std::pair<int, int>{3, 4}, {8, 8}, {1, 9}}) {
    const int out = shape.first, in = shape.second;
    for (const long n : {1L, 2L, 3L, 4L, 5L, 7L, 120L, 513L, 1030L}) {
      sparse_iht::Rng rng(seed++);
      std::vector<double> w(static_cast<std::size_t>(out * in)), b(static_cast<std::size_t>(out));
      for (double& x : w) x = rng.uniform() < 0.3 ? 0.0 : rng.normal();
      w[0] = 0.0;  // a unit whose first weight is pruned
      for (double& x : b) x = rng.normal();
      const std::vector<double> a = layer_inputs(static_cast<std::size_t>(in * n), rng, 89);
      INFO(out << " × " << in << ", n " << n);
      std::vector<double> z1(static_cast<std::size_t>(out * n)), z2(z1.size()), act1(z1.size()),
          act2(z1.size());
      kernels::tiny_forward<kernels::v2d>(w.data(), b.data(), out, in, a.data(), z1.data(), n);
      kernels::activate(sparse_iht::Activation::tanh, z1.data(), act1.data(),
                        static_cast<long>(z1.size()));
      kernels::tiny_forward_wide(w.data(), b.data(), out, in, a.data(), z2.data(), n,
                                 sparse_iht::Activation::tanh, act2.data());
      CHECK(differing(z1, z2) == 0);
      CHECK(differing(act1, act2) == 0);
    }
  }
#else
  MESSAGE("not an x86-64 GCC build: there is no wide pass");
#endif
}

namespace {

// The loss, gradient and mini-batch gradient of a network at θ, as bits.
std::vector<double> network_outputs(const sparse_iht::Architecture& arch,
                                    const sparse_iht::Dataset& data, const Eigen::VectorXd& theta) {
  sparse_iht::NetworkObjective f(arch, data);
  Eigen::VectorXd grad;
  std::vector<double> out;
  out.push_back(f.evaluate(theta));
  out.push_back(f.evaluate_with_gradient(theta, grad));
  out.insert(out.end(), grad.data(), grad.data() + grad.size());
  std::vector<int> batch;
  for (int j = 0; j < data.num_samples(); j += 3) batch.push_back(j);
  out.push_back(
      f.evaluate_batch_with_gradient(theta, batch.data(), static_cast<int>(batch.size()), grad));
  out.insert(out.end(), grad.data(), grad.data() + grad.size());
  return out;
}

// Turns the wide kernels off for a scope.
struct PairsOnly {
  PairsOnly() { kernels::wide_kernels_enabled() = false; }
  ~PairsOnly() { kernels::wide_kernels_enabled() = true; }
  PairsOnly(const PairsOnly&) = delete;
  PairsOnly& operator=(const PairsOnly&) = delete;
};

}  // namespace

TEST_CASE("the wide sum (the bias gradient) gives the pairs' bits") {
#if SPARSE_IHT_WIDE
  if (!kernels::cpu_has_avx2()) return;
  sparse_iht::Rng rng(800);
  for (long n = 0; n <= 41; ++n) {
    const std::vector<double> a = layer_inputs(static_cast<std::size_t>(n), rng, 7);
    const double pairs = kernels::sum(a.data(), n), wide = kernels::sum_wide(a.data(), n);
    INFO("n " << n);
    CHECK(std::memcmp(&pairs, &wide, sizeof pairs) == 0);
  }
  const std::vector<double> big = layer_inputs(1437, rng, 1000);
  const double pairs = kernels::sum(big.data(), 1437), wide = kernels::sum_wide(big.data(), 1437);
  CHECK(std::memcmp(&pairs, &wide, sizeof pairs) == 0);
#else
  MESSAGE("not an x86-64 GCC build: there is no wide pass");
#endif
}

TEST_CASE("the wide tiny layer gradient gives the pairs' bits") {
#if SPARSE_IHT_WIDE
  if (!kernels::cpu_has_avx2()) return;
  std::uint64_t seed = 700;
  // Every row remainder (out mod 3) and column remainder (in mod 4), with
  // even and odd sample counts: 3 × 4 is the paper's IRIS layer, 8 × 8 fills
  // kTinyLayer.
  for (const auto& shape :
       {std::pair<int, int>{3, 4}, {8, 8}, {1, 1}, {2, 3}, {4, 5}, {5, 6}, {7, 9}, {1, 7}}) {
    const int out = shape.first, in = shape.second;
    for (const long n : {0L, 1L, 2L, 3L, 4L, 5L, 7L, 120L, 513L}) {
      sparse_iht::Rng rng(seed++);
      const std::vector<double> d = layer_inputs(static_cast<std::size_t>(out * n), rng, 83);
      const std::vector<double> a = layer_inputs(static_cast<std::size_t>(in * n), rng, 89);
      INFO(out << " × " << in << ", n " << n);
      std::vector<double> g1(static_cast<std::size_t>(out * in), -1.0), g2(g1);
      {
        const PairsOnly pairs_only;
        kernels::tiny_gradient(d.data(), a.data(), out, in, n, g1.data());
      }
      kernels::tiny_gradient(d.data(), a.data(), out, in, n, g2.data());
      CHECK(differing(g1, g2) == 0);
      // Every entry written, and the sums themselves right: against a plain
      // ordered sum of the same terms to a relative 1e-12.
      for (int o = 0; o < out; ++o) {
        for (int i = 0; i < in; ++i) {
          long double sum = 0.0L;
          for (long j = 0; j < n; ++j)
            sum += static_cast<long double>(d[static_cast<std::size_t>(o * n + j)]) *
                   a[static_cast<std::size_t>(i * n + j)];
          const double got = g2[static_cast<std::size_t>(o * in + i)];
          if (std::isfinite(static_cast<double>(sum))) {
            CHECK(std::abs(got - static_cast<double>(sum)) <=
                  1e-12 * (1.0 + std::abs(static_cast<double>(sum))));
          }
        }
      }
    }
  }
#else
  MESSAGE("not an x86-64 GCC build: there is no wide pass");
#endif
}

// On an AVX2 CPU the network runs the wide kernels; WebAssembly and older
// CPUs run the pairs. This runs both here, through the whole network (tiny,
// sparse and dense layers, 3 and 10 classes, every activation), so a bug in
// either shows up on this machine.
TEST_CASE("a network gives the same bits with the wide kernels off") {
  CHECK(kernels::wide_kernels_enabled().load());
  const sparse_iht::Dataset iris = sparse_iht::iris();
  const sparse_iht::Dataset digits = sparse_iht::digits();
  struct Case {
    const sparse_iht::Dataset* data;
    std::vector<int> sizes;
    double density;  // the share of θ kept: ≤ 25 % takes the sparse path
  };
  const std::vector<Case> cases = {
      {&iris, {4, 3}, 0.4},         {&iris, {4, 8, 3}, 0.6},      {&digits, {64, 10}, 0.1},
      {&digits, {64, 32, 10}, 0.1}, {&digits, {64, 16, 10}, 1.0},
  };
  std::uint64_t seed = 900;
  for (const Case& c : cases) {
    for (const auto activation : {sparse_iht::Activation::tanh, sparse_iht::Activation::sigmoid,
                                  sparse_iht::Activation::relu}) {
      const sparse_iht::Architecture arch{c.sizes, activation};
      sparse_iht::Rng rng(seed++);
      Eigen::VectorXd theta = sparse_iht::initial_parameters(arch, rng, 1.5);
      sparse_iht::HardThreshold().apply(
          theta, std::max(1, static_cast<int>(c.density * static_cast<double>(theta.size()))));
      INFO("layers " << c.sizes.size() << ", inputs " << c.sizes.front() << ", activation "
                     << static_cast<int>(activation));
      const std::vector<double> wide = network_outputs(arch, *c.data, theta);
      std::vector<double> pairs;
      {
        PairsOnly off;
        CHECK_FALSE(kernels::use_wide());
        pairs = network_outputs(arch, *c.data, theta);
      }
      REQUIRE(pairs.size() == wide.size());
      CHECK(differing(pairs, wide) == 0);
    }
  }
  CHECK(kernels::wide_kernels_enabled().load());
}
