// One double or a pair of doubles: the lane type every kernel of the network
// objective is written for. Internal to the core: network.cpp and the tests
// include it, nothing under core/include does.
//
// Every function here is inline, so each includer compiles the same
// arithmetic: the tests check exactly the code that trains.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <limits>

// The kernels on a pair of samples: one SSE2 (or WebAssembly SIMD) register.
// Scalar WebAssembly computes one lane after the other, and smaller gradient
// blocks (layers.hpp): V8 compiles that with fewer register spills (6 % faster
// on IRIS in Node 20). The arithmetic is the same either way.
#ifndef SPARSE_IHT_SCALAR_PAIRS
#if defined(__wasm__) && !defined(__wasm_simd128__)
#define SPARSE_IHT_SCALAR_PAIRS 1
#else
#define SPARSE_IHT_SCALAR_PAIRS 0
#endif
#endif

namespace sparse_iht::kernels {

// Pairs of doubles (GCC/Clang vector extensions): GCC will not if-convert the
// selects the kernels need (their arms divide, and division may trap), so
// written as scalar loops they would not be vectorised. Natively a pair is one
// SSE2 register; WebAssembly without SIMD lowers it to scalar arithmetic.
using v2d = double __attribute__((vector_size(16)));
using v2i = std::int64_t __attribute__((vector_size(16)));

inline v2d load2(const double* p) {
  v2d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store2(double* p, v2d v) { std::memcpy(p, &v, sizeof v); }
inline v2d splat(double x) { return v2d{x, x}; }
inline v2d as_double(v2i v) {
  v2d d;
  std::memcpy(&d, &v, sizeof d);
  return d;
}
inline v2i as_int(v2d v) {
  v2i i;
  std::memcpy(&i, &v, sizeof i);
  return i;
}
// Lane by lane x < t ? a : b (NaN compares false, so a NaN x takes b).
inline v2d select_less(v2d x, v2d t, v2d a, v2d b) {
  const v2i mask = x < t;
  return as_double((as_int(a) & mask) | (as_int(b) & ~mask));
}
// Whether x < t in every lane, and in none (NaN compares false).
inline bool all_less(v2d x, v2d t) {
  const v2i mask = x < t;
  return (mask[0] & mask[1]) != 0;
}
inline bool none_less(v2d x, v2d t) {
  const v2i mask = x < t;
  return (mask[0] | mask[1]) == 0;
}
// The same helpers on one double, for the scalar (WebAssembly) kernels.
inline double select_less(double x, double t, double a, double b) { return x < t ? a : b; }
inline bool all_less(double x, double t) { return x < t; }
inline bool none_less(double x, double t) { return !(x < t); }
inline std::int64_t as_int(double v) {
  std::int64_t i;
  std::memcpy(&i, &v, sizeof i);
  return i;
}
inline double as_double(std::int64_t v) {
  double d;
  std::memcpy(&d, &v, sizeof d);
  return d;
}
// k · 2^52, the bits that add k to a double's exponent (shifted as unsigned).
inline std::int64_t shift_to_exponent(std::int64_t k) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(k) << 52U);
}
inline v2i shift_to_exponent(v2i k) {
  using v2u = std::uint64_t __attribute__((vector_size(16)));
  return (v2i)((v2u)k << 52U);
}
// a ± b wrapping around, as the hardware computes: far below exp's range (x
// of −10^300, say) these bit sums overflow, the select discards the result,
// and signed overflow would be undefined behaviour.
inline std::int64_t add_wrapping(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}
inline v2i add_wrapping(v2i a, v2i b) {
  using v2u = std::uint64_t __attribute__((vector_size(16)));
  return (v2i)((v2u)a + (v2u)b);
}
inline std::int64_t subtract_wrapping(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}
inline v2i subtract_wrapping(v2i a, v2i b) {
  using v2u = std::uint64_t __attribute__((vector_size(16)));
  return (v2i)((v2u)a - (v2u)b);
}
template <typename T>
inline T broadcast(double x);
template <>
inline double broadcast<double>(double x) {
  return x;
}
template <>
inline v2d broadcast<v2d>(double x) {
  return splat(x);
}
template <typename T>
inline T load_t(const double* p);
template <>
inline double load_t<double>(const double* p) {
  return *p;
}
template <>
inline v2d load_t<v2d>(const double* p) {
  return load2(p);
}
inline void store_t(double* p, double v) { *p = v; }
inline void store_t(double* p, v2d v) { store2(p, v); }
// Lane by lane label == k ? a : 0.
inline double where_label(double label, double k, double a) { return label == k ? a : 0.0; }
inline v2d where_label(v2d label, double k, v2d a) {
  return as_double(as_int(a) & (label == splat(k)));
}
inline constexpr std::int64_t kSignBit = std::numeric_limits<std::int64_t>::min();

// Four doubles (an AVX2 register), for the kernels that wide.hpp compiles
// for AVX2 on x86-64: picked at run time when the build itself is for plain
// x86-64 (SSE2), always when it is for AVX2 already (SPARSE_IHT_NATIVE_ARCH).
// Only functions that enable AVX2 themselves call these. Clang rejects the
// portable build's way (a kernel template instantiated on v4d, without AVX
// enabled, inlined into a function that enables it), so with Clang the
// portable build keeps pairs only.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(SPARSE_IHT_NO_WIDE) && \
    (!defined(__clang__) || defined(__AVX2__))
#define SPARSE_IHT_WIDE 1
#else
#define SPARSE_IHT_WIDE 0
#endif

#if SPARSE_IHT_WIDE
// GCC notes each kernel template instantiated on v4d (exp_kernel<v4d>, say)
// as passing an AVX register without AVX enabled, and that this ABI changed in
// GCC 4.6. They are only ever inlined into functions that enable AVX2
// (wide.hpp), where no call crosses an ABI: CMakeLists.txt passes -Wno-psabi
// to the core and the tests, the only code that includes these headers (a
// diagnostic pragma here would not silence the second note).
#define SPARSE_IHT_AVX2 __attribute__((target("avx2")))
#endif  // SPARSE_IHT_WIDE

// On the kernel templates that wide.hpp instantiates on v4d (softmax_unit,
// delta_unit, exp_kernel). Those instantiations do not enable AVX themselves,
// so a call to one from an AVX2 function would pass its v4d arguments the
// non-AVX way while the caller passes them the AVX way (-Wpsabi's note):
// they must always be inlined, which `flatten` does only when optimising.
#if SPARSE_IHT_WIDE
#define SPARSE_IHT_LANES_INLINE __attribute__((always_inline))
#else
#define SPARSE_IHT_LANES_INLINE
#endif

#if SPARSE_IHT_WIDE

using v4d = double __attribute__((vector_size(32)));
using v4i = std::int64_t __attribute__((vector_size(32)));

SPARSE_IHT_AVX2 inline v4d as_double(v4i v) {
  v4d d;
  std::memcpy(&d, &v, sizeof d);
  return d;
}
SPARSE_IHT_AVX2 inline v4i as_int(v4d v) {
  v4i i;
  std::memcpy(&i, &v, sizeof i);
  return i;
}
SPARSE_IHT_AVX2 inline bool all_less(v4d x, v4d t) {
  const v4i mask = x < t;
  return (mask[0] & mask[1] & mask[2] & mask[3]) != 0;
}
SPARSE_IHT_AVX2 inline bool none_less(v4d x, v4d t) {
  const v4i mask = x < t;
  return (mask[0] | mask[1] | mask[2] | mask[3]) == 0;
}
SPARSE_IHT_AVX2 inline v4d select_less(v4d x, v4d t, v4d a, v4d b) {
  const v4i mask = x < t;
  return as_double((as_int(a) & mask) | (as_int(b) & ~mask));
}
SPARSE_IHT_AVX2 inline v4i shift_to_exponent(v4i k) {
  using v4u = std::uint64_t __attribute__((vector_size(32)));
  return (v4i)((v4u)k << 52U);
}
SPARSE_IHT_AVX2 inline v4i add_wrapping(v4i a, v4i b) {
  using v4u = std::uint64_t __attribute__((vector_size(32)));
  return (v4i)((v4u)a + (v4u)b);
}
SPARSE_IHT_AVX2 inline v4i subtract_wrapping(v4i a, v4i b) {
  using v4u = std::uint64_t __attribute__((vector_size(32)));
  return (v4i)((v4u)a - (v4u)b);
}
template <>
SPARSE_IHT_AVX2 inline v4d broadcast<v4d>(double x) {
  return v4d{x, x, x, x};
}
template <>
SPARSE_IHT_AVX2 inline v4d load_t<v4d>(const double* p) {
  v4d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
SPARSE_IHT_AVX2 inline void store_t(double* p, v4d v) { std::memcpy(p, &v, sizeof v); }
SPARSE_IHT_AVX2 inline v4d where_label(v4d label, double k, v4d a) {
  return as_double(as_int(a) & (label == broadcast<v4d>(k)));
}
SPARSE_IHT_AVX2 inline v2d low_pair(v4d v) { return v2d{v[0], v[1]}; }
SPARSE_IHT_AVX2 inline v2d high_pair(v4d v) { return v2d{v[2], v[3]}; }

// Whether this CPU runs AVX2 (asked once).
inline bool cpu_has_avx2() {
#if defined(__AVX2__)
  return true;
#else
  // __builtin_cpu_init first: a network trained from a static constructor
  // could otherwise ask before libgcc has read the CPU's features.
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return has;
#endif
}
#endif  // SPARSE_IHT_WIDE

// The tests' switch: off, the kernels run on pairs even where AVX2 is there,
// as WebAssembly and older CPUs run them, so the suite checks both on one
// machine (tests/core/test_wide.cpp). Nothing else sets it.
inline std::atomic<bool>& wide_kernels_enabled() {
  static std::atomic<bool> enabled{true};
  return enabled;
}

// Whether the wide kernels run here: an AVX2 CPU, and the switch on.
inline bool use_wide() {
#if SPARSE_IHT_WIDE
  return cpu_has_avx2() && wide_kernels_enabled().load(std::memory_order_relaxed);
#else
  return false;
#endif
}

}  // namespace sparse_iht::kernels
