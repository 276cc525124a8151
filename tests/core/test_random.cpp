#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "goodness_of_fit.hpp"
#include "sparse_iht/random.hpp"

using sparse_iht::Rng;
namespace gof = goodness_of_fit;

namespace {

using State = std::array<std::uint64_t, 4>;

// The inverse of an odd number modulo 2⁶⁴ by Newton's iteration x ← x(2 − ax):
// x = a is right in the low 3 bits, and each step doubles the bits that are.
std::uint64_t inverse_mod_2_64(std::uint64_t odd) {
  std::uint64_t x = odd;
  for (int i = 0; i < 5; ++i) x *= 2 - odd * x;
  return x;
}

// A state whose next xoshiro256** output is `value`. The output is
// rotl(s₁·5, 7)·9, so s₁ = rotr(value·9⁻¹, 7)·5⁻¹; the other words are
// arbitrary, so the outputs after the first are unremarkable.
State state_giving(std::uint64_t value) {
  const std::uint64_t rotated = value * inverse_mod_2_64(9);
  const std::uint64_t s1 = ((rotated >> 7U) | (rotated << 57U)) * inverse_mod_2_64(5);
  return {0x243f6a8885a308d3ULL, s1, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL};
}

}  // namespace

TEST_CASE("random: SplitMix64 gives its published reference outputs") {
  // The first five outputs for the seed 1234567 (Rosetta Code, "Pseudo-random
  // numbers/Splitmix64"; the same values are in several independent ports of
  // Vigna's splitmix64.c).
  std::uint64_t state = 1234567;
  CHECK(sparse_iht::splitmix64(state) == 6457827717110365317ULL);
  CHECK(sparse_iht::splitmix64(state) == 3203168211198807973ULL);
  CHECK(sparse_iht::splitmix64(state) == 9817491932198370423ULL);
  CHECK(sparse_iht::splitmix64(state) == 4593380528125082431ULL);
  CHECK(sparse_iht::splitmix64(state) == 16408922859458223821ULL);
}

TEST_CASE(
    "random: xoshiro256** gives its published reference outputs from the state {1, 2, 3, 4}") {
  // The reference test vector of xoshiro256** 1.0 (Blackman & Vigna's
  // xoshiro256starstar.c), as checked by independent ports in C++ and Delphi.
  const std::uint64_t expected[] = {11520ULL,
                                    0ULL,
                                    1509978240ULL,
                                    1215971899390074240ULL,
                                    1216172134540287360ULL,
                                    607988272756665600ULL,
                                    16172922978634559625ULL,
                                    8476171486693032832ULL,
                                    10595114339597558777ULL,
                                    2904607092377533576ULL};
  Rng rng = Rng::from_state({1, 2, 3, 4});
  for (const std::uint64_t value : expected) CHECK(rng.next_u64() == value);
}

TEST_CASE("random: Rng(seed) starts xoshiro256** at the next four SplitMix64 outputs of the seed") {
  // The state of Rng(1234567) is the first four published SplitMix64 outputs
  // above; its first outputs were computed from that state with a separate
  // Python implementation of xoshiro256**, itself checked against the
  // {1, 2, 3, 4} reference vector.
  Rng rng(1234567);
  CHECK(rng.next_u64() == 3504822795582309479ULL);
  CHECK(rng.next_u64() == 1819558768956484042ULL);
  CHECK(rng.next_u64() == 1250851346055027673ULL);
  CHECK(rng.next_u64() == 16940231675099994102ULL);
  Rng seeded(1234567);
  Rng reference = Rng::from_state({6457827717110365317ULL, 3203168211198807973ULL,
                                   9817491932198370423ULL, 4593380528125082431ULL});
  bool same = true;
  for (int i = 0; i < 1000; ++i) same = same && seeded.next_u64() == reference.next_u64();
  CHECK(same);
}

TEST_CASE(
    "random: Rng(seed, stream) seeds from the seed's first SplitMix64 output mixed with the "
    "stream") {
  // Documented in random.cpp: the state is the next four SplitMix64 outputs
  // after a ⊕ stream·0xd1b54a32d192ed03, where a is the seed's first output
  // (6457827717110365317 for 1234567, published).
  for (const std::uint64_t stream : {0ULL, 1ULL, 2ULL, 0xffffffffffffffffULL}) {
    std::uint64_t state = 6457827717110365317ULL ^ (stream * 0xd1b54a32d192ed03ULL);
    State words{};
    for (auto& word : words) word = sparse_iht::splitmix64(state);
    Rng streamed(1234567, stream);
    Rng reference = Rng::from_state(words);
    bool same = true;
    for (int i = 0; i < 100; ++i) same = same && streamed.next_u64() == reference.next_u64();
    CHECK_MESSAGE(same, "stream " << stream);
  }
}

TEST_CASE("random: the same seed gives the same stream, another seed another") {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t x = a.next_u64();
    CHECK(x == b.next_u64());
    differs = differs || x != c.next_u64();
  }
  CHECK(differs);
}

TEST_CASE("random: streams of one seed are distinct and reproducible") {
  Rng a(7, 0), b(7, 1), a2(7, 0);
  const auto x = a.next_u64();
  CHECK(x == a2.next_u64());
  CHECK(x != b.next_u64());
}

TEST_CASE("random: uniform() is the top 53 bits of an output times 2⁻⁵³") {
  // From the reference outputs 11520, 0, 1509978240, 1215971899390074240
  // shifted right by 11.
  Rng rng = Rng::from_state({1, 2, 3, 4});
  CHECK(rng.uniform() == std::ldexp(5.0, -53));
  CHECK(rng.uniform() == 0.0);
  CHECK(rng.uniform() == std::ldexp(737294.0, -53));
  CHECK(rng.uniform() == std::ldexp(593736278999059.0, -53));
  // The largest output gives the largest double below 1, never 1 itself.
  Rng top = Rng::from_state(state_giving(~std::uint64_t{0}));
  CHECK(top.uniform() == 1.0 - std::ldexp(1.0, -53));
}

TEST_CASE("random: uniform() lies on the 53-bit grid of [0, 1) and is uniform by chi-square") {
  Rng rng(3);
  const int draws = 1000000;
  std::vector<long long> bins(1000, 0), low_bits(16, 0);
  bool in_range = true, on_grid = true;
  for (int i = 0; i < draws; ++i) {
    const double u = rng.uniform();
    in_range = in_range && u >= 0.0 && u < 1.0;
    const double scaled = std::ldexp(u, 53);
    on_grid = on_grid && scaled == std::floor(scaled);
    ++bins[static_cast<std::size_t>(u * 1000.0)];
    // The last bits of the grid must be as random as the first.
    ++low_bits[static_cast<std::uint64_t>(scaled) & 15U];
  }
  CHECK(in_range);
  CHECK(on_grid);
  CHECK(gof::chi_square_uniform(bins) < gof::chi_square_critical(999));
  CHECK(gof::chi_square_uniform(low_bits) < gof::chi_square_critical(15));
}

TEST_CASE("random: below() rejects exactly the outputs under 2⁶⁴ mod bound") {
  // 2⁶⁴ mod 7 = 2, so the second reference output, 0, is rejected: the
  // results are 11520 % 7 and then the next outputs mod 7.
  Rng rng = Rng::from_state({1, 2, 3, 4});
  const std::uint64_t expected[] = {5, 1, 1, 2, 2};
  for (const std::uint64_t k : expected) CHECK(rng.below(7) == k);

  // For 3·2⁶², 2⁶⁴ mod bound = 2⁶²: an output just below it is rejected, one
  // equal to it is kept.
  const std::uint64_t bound = 3ULL << 62U;
  const std::uint64_t threshold = 1ULL << 62U;
  Rng kept = Rng::from_state(state_giving(threshold));
  CHECK(kept.below(bound) == threshold);
  const State state = state_giving(threshold - 1);
  Rng outputs = Rng::from_state(state);
  REQUIRE(outputs.next_u64() == threshold - 1);
  std::uint64_t next_kept = outputs.next_u64();
  while (next_kept < threshold) next_kept = outputs.next_u64();
  Rng rejected = Rng::from_state(state);
  CHECK(rejected.below(bound) == next_kept % bound);

  Rng one(5);
  bool zero = true;
  for (int i = 0; i < 100; ++i) zero = zero && one.below(1) == 0;
  CHECK(zero);
}

TEST_CASE("random: below() is uniform by chi-square for small, odd and near-2⁶³ bounds") {
  // Small bounds, one cell per value, 10⁶ draws: a value 3 % more (or less)
  // likely than 1/bound gives a noncentrality of about 150 at bound 7 and 100
  // at bound 10, far above the critical values (about 40 and 46).
  for (const std::uint64_t bound : {7ULL, 10ULL, 1000ULL}) {
    Rng rng(3 + bound);
    std::vector<long long> counts(static_cast<std::size_t>(bound), 0);
    bool in_range = true;
    for (int i = 0; i < 1000000; ++i) {
      const std::uint64_t k = rng.below(bound);
      in_range = in_range && k < bound;
      if (k < bound) ++counts[static_cast<std::size_t>(k)];
    }
    INFO("bound " << bound);
    CHECK(in_range);
    CHECK(gof::chi_square_uniform(counts) < gof::chi_square_critical(static_cast<int>(bound) - 1));
  }
  // Large bounds, 16 cells of equal width: here the rejection step matters.
  // Without it, r % 3·2⁶² would give the lowest third of the range half of
  // the draws (and r % (2⁶³ + 1) the lower half two thirds).
  const std::uint64_t large[] = {3ULL << 62U, (1ULL << 63U) + 1, 5ULL << 61U, 1ULL << 63U,
                                 ~std::uint64_t{0}};
  for (const std::uint64_t bound : large) {
    constexpr std::size_t kCells = 16;
    const std::uint64_t width = bound / kCells;
    Rng rng(bound);
    std::vector<long long> counts(kCells, 0);
    bool in_range = true;
    for (int i = 0; i < 160000; ++i) {
      const std::uint64_t k = rng.below(bound);
      in_range = in_range && k < bound;
      ++counts[std::min<std::size_t>(static_cast<std::size_t>(k / width), kCells - 1)];
    }
    std::vector<double> expected(
        kCells, 160000.0 * static_cast<double>(width) / static_cast<double>(bound));
    expected.back() =
        160000.0 * static_cast<double>(bound - width * (kCells - 1)) / static_cast<double>(bound);
    INFO("bound " << bound);
    CHECK(in_range);
    CHECK(gof::chi_square(counts, expected) < gof::chi_square_critical(kCells - 1));
  }
}

TEST_CASE("random: normal() gives the polar method's values for the reference outputs") {
  // Computed from the xoshiro256** outputs of the state {1, 2, 3, 4} by a
  // separate Python implementation of Marsaglia's polar method: u, v =
  // 2·uniform − 1 until 0 < q = u² + v² < 1, then u·f and v·f with
  // f = √(−2 ln q / q), in that order. The first pairs are rejected, so
  // these also pin the rejection.
  Rng rng = Rng::from_state({1, 2, 3, 4});
  const double expected[] = {1.0471821258053209,  -0.11259073673627795, 0.2528724625283774,
                             -1.1648264024905275, 1.6577446015659418,   0.6725108573976576};
  // log may differ in the last bit between C libraries.
  for (const double z : expected) CHECK(rng.normal() == doctest::Approx(z).epsilon(1e-14));
}

TEST_CASE("random: normal() is standard normal by Kolmogorov–Smirnov and by its moments") {
  Rng rng(11);
  const std::size_t draws = 400000;
  std::vector<double> z(draws);
  for (auto& value : z) value = rng.normal();
  CHECK(gof::ks_distance(z, gof::standard_normal_cdf) < gof::ks_critical(draws));

  double mean = 0.0;
  for (const double value : z) mean += value;
  mean /= static_cast<double>(draws);
  double m2 = 0.0, m3 = 0.0, m4 = 0.0;
  for (const double value : z) {
    const double d = value - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= static_cast<double>(draws);
  m3 /= static_cast<double>(draws);
  m4 /= static_cast<double>(draws);
  const double skewness = m3 / std::pow(m2, 1.5);
  const double excess_kurtosis = m4 / (m2 * m2) - 3.0;
  // 5σ bounds from the standard errors of a normal sample's moments:
  // √(1/n), √(2/n), √(6/n) and √(24/n).
  const double n = static_cast<double>(draws);
  INFO("mean " << mean << ", variance " << m2 << ", skewness " << skewness << ", excess kurtosis "
               << excess_kurtosis);
  CHECK(std::abs(mean) < 5.0 * std::sqrt(1.0 / n));
  CHECK(std::abs(m2 - 1.0) < 5.0 * std::sqrt(2.0 / n));
  CHECK(std::abs(skewness) < 5.0 * std::sqrt(6.0 / n));
  CHECK(std::abs(excess_kurtosis) < 5.0 * std::sqrt(24.0 / n));
}

TEST_CASE("random: the two normals of a polar pair, and successive pairs, are independent") {
  // normal() returns u·f and then the spare v·f; a spare built from u, or
  // from a u used twice, makes the pair dependent.
  Rng rng(12);
  const std::size_t pairs = 200000;
  std::vector<double> first(pairs), second(pairs), next_first(pairs - 1);
  std::vector<double> first_squared(pairs), second_squared(pairs);
  std::vector<long long> quadrants(4, 0);
  for (std::size_t k = 0; k < pairs; ++k) {
    first[k] = rng.normal();
    second[k] = rng.normal();
    if (k > 0) next_first[k - 1] = first[k];
    first_squared[k] = first[k] * first[k];
    second_squared[k] = second[k] * second[k];
    ++quadrants[(first[k] < 0.0 ? 2U : 0U) + (second[k] < 0.0 ? 1U : 0U)];
  }
  const std::vector<double> second_but_last(second.begin(), second.end() - 1);
  CHECK(std::abs(gof::correlation(first, second)) < gof::correlation_bound(pairs));
  CHECK(std::abs(gof::correlation(first_squared, second_squared)) < gof::correlation_bound(pairs));
  CHECK(std::abs(gof::correlation(second_but_last, next_first)) <
        gof::correlation_bound(pairs - 1));
  CHECK(gof::chi_square_uniform(quadrants) < gof::chi_square_critical(3));
}
