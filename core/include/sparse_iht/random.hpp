// A project-defined random generator and samplers. The standard library's
// distributions differ between libstdc++ (native) and libc++ (Emscripten), so
// every random number the library draws goes through this header instead: the
// same seed gives the same numbers natively and in WebAssembly.
#pragma once

#include <cstdint>

namespace sparse_iht {

// xoshiro256** (Blackman & Vigna), seeded through SplitMix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  // An independent stream for (seed, stream): used so that work split across
  // workers (e.g. Monte Carlo pairs) draws the same numbers as a single run.
  Rng(std::uint64_t seed, std::uint64_t stream);

  std::uint64_t next_u64();
  // Uniform on [0, 1) with 53 random bits.
  double uniform();
  // Uniform integer in [0, bound), bound > 0, without modulo bias.
  std::uint64_t below(std::uint64_t bound);
  // Standard normal by the Marsaglia polar method (uses only sqrt and log).
  double normal();

 private:
  std::uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace sparse_iht
