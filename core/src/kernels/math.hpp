// The transcendental kernels of the network objective: e^x (table-driven),
// tanh (Cephes) and the logistic sigmoid, on one double or on a pair of
// doubles. They are the project's own, not the platform's libm, so that native
// and WebAssembly results agree bit for bit. Internal to the core;
// tests/core/test_network_reference.cpp measures their error in ulp.
#pragma once

#include <cstdint>

#include "pairs.hpp"

#if SPARSE_IHT_WIDE
#include <immintrin.h>
#endif

namespace sparse_iht::kernels {

// The constants of the transcendental kernels below.
struct KernelConstants {
  double shifter = 0x1.8p52;                    // 1.5 · 2^52: adding it rounds to an integer
  double n_over_ln2 = 0x1.71547652b82fep+6;     // 64 / ln 2
  double ln2_over_n_hi = 0x1.62e42ff000000p-7;  // ln 2 / 64 in 32 bits, so k · it is exact
  double ln2_over_n_lo = -0x1.718432a1b0e26p-41;
  double c2 = 0.5, c3 = 1.0 / 6.0, c4 = 1.0 / 24.0,
         c5 = 1.0 / 120.0;  // e^r − 1 − r, |r| ≤ ln 2 / 128
  double exp_min = -708.0;
  double one = 1.0, minus_two = -2.0;
  double tanh_p0 = -9.64399179425052238628e-1, tanh_p1 = -9.92877231001918586564e1,
         tanh_p2 = -1.61468768441708447952e3;
  double tanh_q0 = 1.12811678491632931402e2, tanh_q1 = 2.23548839060100448583e3,
         tanh_q2 = 4.84406305325125486048e3;
  double tanh_small = 0.625;
};
// 2^(j/64), j = 0 … 63, correctly rounded.
inline constexpr double kExp2Table[64] = {
    0x1.0000000000000p+0, 0x1.02c9a3e778061p+0, 0x1.059b0d3158574p+0, 0x1.0874518759bc8p+0,
    0x1.0b5586cf9890fp+0, 0x1.0e3ec32d3d1a2p+0, 0x1.11301d0125b51p+0, 0x1.1429aaea92de0p+0,
    0x1.172b83c7d517bp+0, 0x1.1a35beb6fcb75p+0, 0x1.1d4873168b9aap+0, 0x1.2063b88628cd6p+0,
    0x1.2387a6e756238p+0, 0x1.26b4565e27cddp+0, 0x1.29e9df51fdee1p+0, 0x1.2d285a6e4030bp+0,
    0x1.306fe0a31b715p+0, 0x1.33c08b26416ffp+0, 0x1.371a7373aa9cbp+0, 0x1.3a7db34e59ff7p+0,
    0x1.3dea64c123422p+0, 0x1.4160a21f72e2ap+0, 0x1.44e086061892dp+0, 0x1.486a2b5c13cd0p+0,
    0x1.4bfdad5362a27p+0, 0x1.4f9b2769d2ca7p+0, 0x1.5342b569d4f82p+0, 0x1.56f4736b527dap+0,
    0x1.5ab07dd485429p+0, 0x1.5e76f15ad2148p+0, 0x1.6247eb03a5585p+0, 0x1.6623882552225p+0,
    0x1.6a09e667f3bcdp+0, 0x1.6dfb23c651a2fp+0, 0x1.71f75e8ec5f74p+0, 0x1.75feb564267c9p+0,
    0x1.7a11473eb0187p+0, 0x1.7e2f336cf4e62p+0, 0x1.82589994cce13p+0, 0x1.868d99b4492edp+0,
    0x1.8ace5422aa0dbp+0, 0x1.8f1ae99157736p+0, 0x1.93737b0cdc5e5p+0, 0x1.97d829fde4e50p+0,
    0x1.9c49182a3f090p+0, 0x1.a0c667b5de565p+0, 0x1.a5503b23e255dp+0, 0x1.a9e6b5579fdbfp+0,
    0x1.ae89f995ad3adp+0, 0x1.b33a2b84f15fbp+0, 0x1.b7f76f2fb5e47p+0, 0x1.bcc1e904bc1d2p+0,
    0x1.c199bdd85529cp+0, 0x1.c67f12e57d14bp+0, 0x1.cb720dcef9069p+0, 0x1.d072d4a07897cp+0,
    0x1.d5818dcfba487p+0, 0x1.da9e603db3285p+0, 0x1.dfc97337b9b5fp+0, 0x1.e502ee78b3ff6p+0,
    0x1.ea4afa2a490dap+0, 0x1.efa1bee615a27p+0, 0x1.f50765b6e4540p+0, 0x1.fa7c1819e90d8p+0};
inline constexpr KernelConstants kKernelConstants;

inline double exp2_table(std::int64_t j) { return kExp2Table[j]; }
inline v2d exp2_table(v2i j) { return v2d{kExp2Table[j[0]], kExp2Table[j[1]]}; }
#if SPARSE_IHT_WIDE
SPARSE_IHT_AVX2 inline v4d exp2_table(v4i j) {
  return (v4d)_mm256_i64gather_pd(kExp2Table, (__m256i)j, 8);
}
#endif

// e^x for x ≤ 0, within 3.3 ulp (3.19 seen: tests/core/test_network_reference.cpp):
// x = (64k + j)·ln 2 / 64 + r with |r| ≤ ln 2 / 128,
// e^x = 2^k · 2^(j/64) · e^r, 2^(j/64) from a table and e^r from a degree-5
// Taylor polynomial (no division). Returns 0 below −708, where e^x leaves the
// normal range, and NaN for NaN. T is double, v2d or v4d: the same arithmetic
// lane by lane, so native and WebAssembly results agree bit for bit.
template <typename T>
SPARSE_IHT_LANES_INLINE inline T exp_kernel(T x) {
  const KernelConstants& c = kKernelConstants;
  const T shifter = broadcast<T>(c.shifter);
  const T t = x * c.n_over_ln2 + shifter;
  const T k = t - shifter;  // round(64 x / ln 2)
  const T r = (x - k * c.ln2_over_n_hi) - k * c.ln2_over_n_lo;
  const T p = c.one + r + r * r * (c.c2 + r * (c.c3 + r * (c.c4 + r * c.c5)));
  const auto n = subtract_wrapping(as_int(t), as_int(shifter));
  // 2^(j/64) with 2^k added to its exponent: meaningful for k ≥ −1022, and the
  // select below discards the rest.
  const T scale = as_double(add_wrapping(as_int(exp2_table(n & 63)), shift_to_exponent(n >> 6)));
  return select_less(x, broadcast<T>(c.exp_min), broadcast<T>(0.0), scale * p);
}

// tanh's two forms on |x| = ax (the sign is put back by tanh_kernel):
// (1 − e)/(1 + e) with e = e^{−2|x|}, which cannot overflow, and Cephes'
// rational form for |x| < 0.625.
template <typename T>
SPARSE_IHT_LANES_INLINE inline T tanh_large(T ax) {
  const KernelConstants& c = kKernelConstants;
  const T e = exp_kernel(c.minus_two * ax);
  return (c.one - e) / (c.one + e);
}
template <typename T>
SPARSE_IHT_LANES_INLINE inline T tanh_small(T x, T ax) {
  const KernelConstants& c = kKernelConstants;
  const T z = x * x;
  const T num = (c.tanh_p0 * z + c.tanh_p1) * z + c.tanh_p2;
  const T den = ((z + c.tanh_q0) * z + c.tanh_q1) * z + c.tanh_q2;
  return ax + ax * z * (num / den);
}

// tanh (Cephes; within 3 ulp): the rational form below |x| = 0.625, else the
// exponential one. NaN stays NaN.
template <typename T>
SPARSE_IHT_LANES_INLINE inline T tanh_kernel(T x) {
  const T ax = as_double(as_int(x) & ~kSignBit);
  // Both forms only when the lanes need different ones: each form costs a
  // division, and a lane's result is the same either way.
  const T threshold = broadcast<T>(kKernelConstants.tanh_small);
  T y;
  if (all_less(ax, threshold)) {
    y = tanh_small(x, ax);
  } else if (none_less(ax, threshold)) {
    y = tanh_large(ax);
  } else {
    y = select_less(ax, threshold, tanh_small(x, ax), tanh_large(ax));
  }
  return as_double(as_int(y) | (as_int(x) & kSignBit));
}

// 1 / (1 + e^{−x}), from e^{−|x|} so nothing overflows. NaN stays NaN.
template <typename T>
SPARSE_IHT_LANES_INLINE inline T sigmoid_kernel(T x) {
  const KernelConstants& c = kKernelConstants;
  const T e = exp_kernel(as_double(as_int(x) | kSignBit));  // e^{−|x|}
  const T r = c.one / (c.one + e);
  return select_less(x, broadcast<T>(0.0), e * r, r);
}

// The kernels on a pair of samples (SPARSE_IHT_SCALAR_PAIRS: pairs.hpp).
#if SPARSE_IHT_SCALAR_PAIRS
inline v2d exp_nonpositive(v2d x) { return v2d{exp_kernel(x[0]), exp_kernel(x[1])}; }
inline v2d tanh_pair(v2d x) { return v2d{tanh_kernel(x[0]), tanh_kernel(x[1])}; }
inline v2d sigmoid_pair(v2d x) { return v2d{sigmoid_kernel(x[0]), sigmoid_kernel(x[1])}; }
#else
inline v2d exp_nonpositive(v2d x) { return exp_kernel(x); }
inline v2d tanh_pair(v2d x) { return tanh_kernel(x); }
inline v2d sigmoid_pair(v2d x) { return sigmoid_kernel(x); }
#endif
// e^x, x ≤ 0, on whichever lane type the softmax pass runs.
inline double exp_t(double x) { return exp_kernel(x); }
inline v2d exp_t(v2d x) { return exp_nonpositive(x); }
#if SPARSE_IHT_WIDE
SPARSE_IHT_AVX2 inline v4d exp_t(v4d x) { return exp_kernel(x); }
SPARSE_IHT_AVX2 inline v4d tanh_t(v4d x) { return tanh_kernel(x); }
SPARSE_IHT_AVX2 inline v4d sigmoid_t(v4d x) { return sigmoid_kernel(x); }
#endif

}  // namespace sparse_iht::kernels
