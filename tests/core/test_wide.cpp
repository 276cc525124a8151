// The softmax pass on AVX2 registers (kernels/wide.hpp) against the pair
// pass that SSE2 and WebAssembly run: the same bits for the loss, every e_k or
// δ_k and every total, whatever the number of samples, classes and the log
// chunk, and for logits at the edges of exp's range.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/wide.hpp"
#include "sparse_iht/random.hpp"

namespace kernels = sparse_iht::kernels;

#if SPARSE_IHT_WIDE
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

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
