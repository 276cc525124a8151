// A project-defined random generator and samplers. The standard library's
// distributions differ between libstdc++ (native) and libc++ (Emscripten), so
// every random number the library draws goes through this header instead: the
// same seed gives the same numbers natively and in WebAssembly.
#pragma once

#include <array>
#include <cstdint>

namespace sparse_iht {

// SplitMix64 (Steele, Lea & Flood; Vigna's splitmix64.c): advances `state`
// and returns its next output. Public so that the seeding below can be checked
// against the published reference outputs.
std::uint64_t splitmix64(std::uint64_t& state);

// xoshiro256** 1.0 (Blackman & Vigna).
class Rng {
 public:
  // The state is the next four SplitMix64 outputs from `seed`.
  explicit Rng(std::uint64_t seed);
  // An independent stream for (seed, stream): used so that work split across
  // workers (e.g. Monte Carlo pairs) draws the same numbers as a single run.
  Rng(std::uint64_t seed, std::uint64_t stream);
  // The generator in exactly this xoshiro256** state, which must not be all
  // zero (the generator would then only return 0). The published reference
  // outputs start from such states, and no seed reaches them.
  static Rng from_state(const std::array<std::uint64_t, 4>& state);

  std::uint64_t next_u64();
  // Uniform on [0, 1) with 53 random bits.
  double uniform();
  // Uniform integer in [0, bound), bound > 0, without modulo bias.
  std::uint64_t below(std::uint64_t bound);
  // Standard normal by the Marsaglia polar method (uses only sqrt and log).
  double normal();

 private:
  explicit Rng(const std::array<std::uint64_t, 4>& state);

  std::uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace sparse_iht
