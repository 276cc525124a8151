#include "sparse_iht/network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "sparse_iht/error.hpp"
#include "sparse_iht/random.hpp"

namespace sparse_iht {
namespace {

// The forward and backward passes work on units × samples row-major matrices
// with plain loops over contiguous samples, two samples at a time: no Eigen
// expression machinery for the paper's tiny layers, zero weights skipped (θ is
// s-sparse), the softmax, cross-entropy and δ_L fused into one pass, and exp
// and tanh written out (a table-driven exp and Cephes' tanh, within 3 ulp) so
// that they vectorise with the default SSE2. Large, dense layers still go through
// Eigen's blocked matrix product. Sums run in a fixed order (even and odd
// samples apart), so results do not depend on the vector width.
using Index = Eigen::Index;
using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRowMap = Eigen::Map<const RowMajorMatrix>;
using RowMap = Eigen::Map<RowMajorMatrix>;

// Layers with at most this many weights never use Eigen's matrix product: its
// packing costs more than it saves for the paper's 3 × 4.
constexpr int kTinyLayer = 64;
// A larger layer uses the sparse path (one axpy per nonzero weight) while at
// most this fraction of its weights is nonzero; IHT keeps θ s-sparse.
constexpr double kSparseDensity = 0.25;
// Samples per block in the sparse path, so a block of the input stays in cache.
constexpr Index kBlock = 512;

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
[[maybe_unused]] inline v2d select_less(v2d x, v2d t, v2d a, v2d b) {
  const v2i mask = x < t;
  return as_double((as_int(a) & mask) | (as_int(b) & ~mask));
}
// The same helpers on one double, for the scalar (WebAssembly) kernels.
inline double select_less(double x, double t, double a, double b) { return x < t ? a : b; }
[[maybe_unused]] inline std::int64_t as_int(double v) {
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
[[maybe_unused]] inline std::int64_t shift_to_exponent(std::int64_t k) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(k) << 52U);
}
[[maybe_unused]] inline v2i shift_to_exponent(v2i k) {
  using v2u = std::uint64_t __attribute__((vector_size(16)));
  return (v2i)((v2u)k << 52U);
}
template <typename T>
inline T broadcast(double x);
template <>
inline double broadcast<double>(double x) {
  return x;
}
template <>
[[maybe_unused]] inline v2d broadcast<v2d>(double x) {
  return splat(x);
}
// Lane by lane label == k ? a : 0.
[[maybe_unused]] inline v2d where_label(v2d label, double k, v2d a) {
  return as_double(as_int(a) & (label == splat(k)));
}
constexpr std::int64_t kSignBit = std::numeric_limits<std::int64_t>::min();

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
constexpr double kExp2Table[64] = {
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
constexpr KernelConstants kKernelConstants;

inline double exp2_table(std::int64_t j) { return kExp2Table[j]; }
[[maybe_unused]] inline v2d exp2_table(v2i j) { return v2d{kExp2Table[j[0]], kExp2Table[j[1]]}; }

// e^x for x ≤ 0, within 3 ulp: x = (64k + j)·ln 2 / 64 + r with |r| ≤ ln 2 / 128,
// e^x = 2^k · 2^(j/64) · e^r, 2^(j/64) from a table and e^r from a degree-5
// Taylor polynomial (no division). Returns 0 below −708, where e^x leaves the
// normal range, and NaN for NaN. T is double or v2d: the same arithmetic lane
// by lane, so native and WebAssembly results agree bit for bit.
template <typename T>
inline T exp_kernel(T x) {
  const KernelConstants& c = kKernelConstants;
  const T shifter = broadcast<T>(c.shifter);
  const T t = x * c.n_over_ln2 + shifter;
  const T k = t - shifter;  // round(64 x / ln 2)
  const T r = (x - k * c.ln2_over_n_hi) - k * c.ln2_over_n_lo;
  const T p = c.one + r + r * r * (c.c2 + r * (c.c3 + r * (c.c4 + r * c.c5)));
  const auto n = as_int(t) - as_int(shifter);
  // 2^(j/64) with 2^k added to its exponent: meaningful for k ≥ −1022, and the
  // select below discards the rest.
  const T scale = as_double(as_int(exp2_table(n & 63)) + shift_to_exponent(n >> 6));
  return select_less(x, broadcast<T>(c.exp_min), broadcast<T>(0.0), scale * p);
}

// tanh (Cephes; within 3 ulp): a rational form below |x| = 0.625, else
// (1 − e)/(1 + e) with e = e^{−2|x|}, which cannot overflow. NaN stays NaN.
template <typename T>
inline T tanh_kernel(T x) {
  const KernelConstants& c = kKernelConstants;
  const T ax = as_double(as_int(x) & ~kSignBit);
  const T e = exp_kernel(c.minus_two * ax);
  const T large = (c.one - e) / (c.one + e);
  const T z = x * x;
  const T num = (c.tanh_p0 * z + c.tanh_p1) * z + c.tanh_p2;
  const T den = ((z + c.tanh_q0) * z + c.tanh_q1) * z + c.tanh_q2;
  const T small = ax + ax * z * (num / den);
  const T y = select_less(ax, broadcast<T>(c.tanh_small), small, large);
  return as_double(as_int(y) | (as_int(x) & kSignBit));
}

// 1 / (1 + e^{−x}), from e^{−|x|} so nothing overflows. NaN stays NaN.
template <typename T>
inline T sigmoid_kernel(T x) {
  const KernelConstants& c = kKernelConstants;
  const T e = exp_kernel(as_double(as_int(x) | kSignBit));  // e^{−|x|}
  const T r = c.one / (c.one + e);
  return select_less(x, broadcast<T>(0.0), e * r, r);
}

// The kernels on a pair of samples: one SSE2 (or WebAssembly SIMD) register.
// Scalar WebAssembly computes one lane after the other, and smaller gradient
// blocks below: V8 compiles that with fewer register spills (6 % faster on
// IRIS in Node 20). The arithmetic is the same either way.
#ifndef SPARSE_IHT_SCALAR_PAIRS
#if defined(__wasm__) && !defined(__wasm_simd128__)
#define SPARSE_IHT_SCALAR_PAIRS 1
#else
#define SPARSE_IHT_SCALAR_PAIRS 0
#endif
#endif
#if SPARSE_IHT_SCALAR_PAIRS
inline v2d exp_nonpositive(v2d x) { return v2d{exp_kernel(x[0]), exp_kernel(x[1])}; }
inline v2d tanh_pair(v2d x) { return v2d{tanh_kernel(x[0]), tanh_kernel(x[1])}; }
inline v2d sigmoid_pair(v2d x) { return v2d{sigmoid_kernel(x[0]), sigmoid_kernel(x[1])}; }
#else
inline v2d exp_nonpositive(v2d x) { return exp_kernel(x); }
inline v2d tanh_pair(v2d x) { return tanh_kernel(x); }
inline v2d sigmoid_pair(v2d x) { return sigmoid_kernel(x); }
#endif

template <typename T>
inline T load_t(const double* p);
template <>
inline double load_t<double>(const double* p) {
  return *p;
}
template <>
[[maybe_unused]] inline v2d load_t<v2d>(const double* p) {
  return load2(p);
}
inline void store_t(double* p, double v) { *p = v; }
[[maybe_unused]] inline void store_t(double* p, v2d v) { store2(p, v); }
inline double exp_t(double x) { return exp_kernel(x); }
[[maybe_unused]] inline v2d exp_t(v2d x) { return exp_nonpositive(x); }
inline double where_label(double label, double k, double a) { return label == k ? a : 0.0; }

// out[j] = f(in[j]) for j < n, a pair at a time (an odd last one padded).
template <typename F>
void map_pairs(const double* in, double* out, Index n, F f) {
  Index j = 0;
  for (; j + 2 <= n; j += 2) store2(out + j, f(load2(in + j)));
  if (j < n) {
    const double pad[2] = {in[j], 0.0};
    out[j] = f(load2(pad))[0];
  }
}

void activate(Activation activation, const double* z, double* a, Index n) {
  switch (activation) {
    case Activation::tanh:
      map_pairs(z, a, n, tanh_pair);
      break;
    case Activation::relu:
      // NaN stays NaN, so a diverging run is still seen.
      for (Index j = 0; j < n; ++j) a[j] = z[j] < 0.0 ? 0.0 : z[j];
      break;
    case Activation::sigmoid:
      map_pairs(z, a, n, sigmoid_pair);
      break;
  }
}

// delta ← delta ∘ σ'(z), written with the activation a = σ(z) where that is cheaper.
void multiply_by_derivative(Activation activation, const double* z, const double* a, double* delta,
                            Index n) {
  switch (activation) {
    case Activation::tanh:
      for (Index j = 0; j < n; ++j) delta[j] *= 1.0 - a[j] * a[j];
      break;
    case Activation::relu:
      for (Index j = 0; j < n; ++j) delta[j] *= z[j] > 0.0 ? 1.0 : 0.0;
      break;
    case Activation::sigmoid:
      for (Index j = 0; j < n; ++j) delta[j] *= a[j] * (1.0 - a[j]);
      break;
  }
}

inline void axpy(double* y, double w, const double* x, Index n) {
  for (Index j = 0; j < n; ++j) y[j] += w * x[j];
}

// A sum with four partial sums s0…s3 over j mod 4 (a fixed order, so native
// and WebAssembly agree), held as two pairs.
inline double sum(const double* a, Index n) {
  v2d s01 = splat(0.0), s23 = splat(0.0);
  Index j = 0;
  for (; j + 4 <= n; j += 4) {
    s01 += load2(a + j);
    s23 += load2(a + j + 2);
  }
  double s0 = s01[0];
  for (; j < n; ++j) s0 += a[j];
  return (s0 + s01[1]) + (s23[0] + s23[1]);
}

// Whether W·A (and Wᵀ·δ) should skip zero weights instead of using Eigen's product.
bool use_sparse_path(const double* w, int out, int in) {
  const int size = out * in;
  if (size <= kTinyLayer) return true;
  int nonzeros = 0;
  for (int k = 0; k < size; ++k) nonzeros += w[k] != 0.0 ? 1 : 0;
  return nonzeros <= kSparseDensity * size;
}

// z[j] = (kInit ? b : z[j]) + Σ_c w[c]·rows[c][j] for j < n, the terms added
// in order (as successive axpys would), with z in a register across up to K
// weights.
template <int K, bool kInit>
void accumulate_rows(double* z, double b, const double* const* rows, const double* w, Index n) {
  Index j = 0;
  for (; j + 2 <= n; j += 2) {
    v2d acc = kInit ? splat(b) : load2(z + j);
    for (int c = 0; c < K; ++c) acc += w[c] * load2(rows[c] + j);
    store2(z + j, acc);
  }
  for (; j < n; ++j) {
    double acc = kInit ? b : z[j];
    for (int c = 0; c < K; ++c) acc += w[c] * rows[c][j];
    z[j] = acc;
  }
}

template <bool kInit>
void accumulate_rows(int k, double* z, double b, const double* const* rows, const double* w,
                     Index n) {
  switch (k) {
    case 0:
      if (kInit) std::fill(z, z + n, b);
      break;
    case 1:
      accumulate_rows<1, kInit>(z, b, rows, w, n);
      break;
    case 2:
      accumulate_rows<2, kInit>(z, b, rows, w, n);
      break;
    case 3:
      accumulate_rows<3, kInit>(z, b, rows, w, n);
      break;
    default:
      accumulate_rows<4, kInit>(z, b, rows, w, n);
      break;
  }
}

// Z = W·A + b for W out × in, A in × n and Z out × n (row-major).
void layer_forward(const double* w, const double* b, int out, int in, const double* a, double* z,
                   Index n) {
  if (use_sparse_path(w, out, in)) {
    // Only the nonzero weights, four at a time, a block of samples at a time.
    for (Index j0 = 0; j0 < n; j0 += kBlock) {
      const Index len = std::min(kBlock, n - j0);
      for (int o = 0; o < out; ++o) {
        const double* wo = w + static_cast<std::ptrdiff_t>(o) * in;
        double* zo = z + o * n + j0;
        bool first = true;
        int i = 0;
        do {
          const double* rows[4];
          double weights[4];
          int k = 0;
          for (; i < in && k < 4; ++i) {
            if (wo[i] != 0.0) {
              rows[k] = a + i * n + j0;
              weights[k++] = wo[i];
            }
          }
          if (first) {
            accumulate_rows<true>(k, zo, b[o], rows, weights, len);
          } else if (k > 0) {
            accumulate_rows<false>(k, zo, b[o], rows, weights, len);
          }
          first = false;
        } while (i < in);
      }
    }
    return;
  }
  RowMap zm(z, out, n);
  zm.noalias() = ConstRowMap(w, out, in) * ConstRowMap(a, in, n);
  for (int o = 0; o < out; ++o) {
    double* zo = z + o * n;
    for (Index j = 0; j < n; ++j) zo[j] += b[o];
  }
}

// D_prev = Wᵀ·D for W out × in, D out × n and D_prev in × n (row-major).
void layer_backward(const double* w, int out, int in, const double* d, double* d_prev, Index n) {
  if (use_sparse_path(w, out, in)) {
    for (Index j0 = 0; j0 < n; j0 += kBlock) {
      const Index len = std::min(kBlock, n - j0);
      for (int i = 0; i < in; ++i) std::fill(d_prev + i * n + j0, d_prev + i * n + j0 + len, 0.0);
      for (int o = 0; o < out; ++o) {
        for (int i = 0; i < in; ++i) {
          const double wi = w[o * in + i];
          if (wi != 0.0) axpy(d_prev + i * n + j0, wi, d + o * n + j0, len);
        }
      }
    }
    return;
  }
  RowMap(d_prev, in, n).noalias() = ConstRowMap(w, out, in).transpose() * ConstRowMap(d, out, n);
}

// gw[o][i] = Σ_j d_o[j]·a_i[j] for an R × C block of (o, i): pairs of samples
// at a time, one pair of partial sums (even and odd j) per entry, kept in
// registers while each row of D and A is loaded once per pair.
template <int R, int C>
void gradient_block(const double* d, const double* a, Index n, int in, int o0, int i0, double* gw) {
  v2d acc[R][C];
  for (int r = 0; r < R; ++r) {
    for (int c = 0; c < C; ++c) acc[r][c] = splat(0.0);
  }
  Index j = 0;
  for (; j + 2 <= n; j += 2) {
    v2d dv[R], av[C];
    for (int r = 0; r < R; ++r) dv[r] = load2(d + (o0 + r) * n + j);
    for (int c = 0; c < C; ++c) av[c] = load2(a + (i0 + c) * n + j);
    for (int r = 0; r < R; ++r) {
      for (int c = 0; c < C; ++c) acc[r][c] += dv[r] * av[c];
    }
  }
  for (int r = 0; r < R; ++r) {
    for (int c = 0; c < C; ++c) {
      double even = acc[r][c][0];
      if (j < n) even += d[(o0 + r) * n + j] * a[(i0 + c) * n + j];
      gw[(o0 + r) * in + i0 + c] = even + acc[r][c][1];
    }
  }
}

template <int R>
void gradient_rows(const double* d, const double* a, Index n, int in, int o0, double* gw) {
  int i0 = 0;
  for (; i0 + 2 <= in; i0 += 2) gradient_block<R, 2>(d, a, n, in, o0, i0, gw);
  if (i0 < in) gradient_block<R, 1>(d, a, n, in, o0, i0, gw);
}

// Rows of D per block: 3 × 2 blocks keep 6 pairs of partial sums in SSE2
// registers; scalar WebAssembly spills less with 2 × 2.
constexpr int kGradientRows = SPARSE_IHT_SCALAR_PAIRS ? 2 : 3;

// ∂W = D·Aᵀ and ∂b = D·1 for D out × n and A in × n (row-major).
void layer_gradient(const double* d, const double* a, int out, int in, Index n, double* gw,
                    double* gb) {
  if (out * in <= kTinyLayer) {
    int o0 = 0;
    for (; o0 + kGradientRows <= out; o0 += kGradientRows)
      gradient_rows<kGradientRows>(d, a, n, in, o0, gw);
    if (out - o0 == 2) gradient_rows<2>(d, a, n, in, o0, gw);
    if (out - o0 == 1) gradient_rows<1>(d, a, n, in, o0, gw);
  } else {
    RowMap(gw, out, in).noalias() = ConstRowMap(d, out, n) * ConstRowMap(a, in, n).transpose();
  }
  for (int o = 0; o < out; ++o) gb[o] = sum(d + o * n, n);
}

// One sample (T = double) or a pair of samples (T = v2d) of the softmax pass:
// logits z_k at z + k·stride; writes e_k or δ_k to o + k·stride and returns
// the totals.
template <bool kGradient, int C, typename T>
inline T softmax_unit(const double* z, double* o, Index stride, int classes, T label, double inv_n,
                      T& shift_sum, T& picked_sum) {
  if (C > 0) classes = C;
  T m = load_t<T>(z);
  for (int k = 1; k < classes; ++k) {
    const T zk = load_t<T>(z + k * stride);
    m = select_less(m, zk, zk, m);
  }
  T total = broadcast<T>(0.0);
  for (int k = 0; k < classes; ++k) {
    const T zk = load_t<T>(z + k * stride);
    const T e = exp_t(zk - m);
    total += e;
    store_t(o + k * stride, e);
    picked_sum += where_label(label, static_cast<double>(k), zk);
  }
  shift_sum += m;
  if (kGradient) {
    const T scale = inv_n / total;
    for (int k = 0; k < classes; ++k) {
      const T one_hot = where_label(label, static_cast<double>(k), broadcast<T>(inv_n));
      store_t(o + k * stride, load_t<T>(o + k * stride) * scale - one_hot);
    }
  }
  return total;
}

// The fused softmax / cross-entropy pass. Per sample j, with m_j the largest
// logit: e_kj = exp(z_kj − m_j), total_j = Σ_k e_kj, and
//   loss = (Σ_j log total_j + Σ_j m_j − Σ_j z_{y_j j}) / N,
//   δ_kj = e_kj · (1/N) / total_j − [y_j = k] / N   (kGradient),
// or e_kj itself otherwise, written to out (classes × n, row-major); totals to
// `totals`. Pairs of samples at a time; the sums run lane by lane (even and odd
// samples), and Σ log total_j is taken as logs of products of `chunk` totals
// (each in [1, classes], so a product cannot overflow). Labels come as
// doubles so the one-hot terms are vector compares. C > 0 fixes the number of
// classes at compile time (the loops over classes unroll), C = 0 reads `classes`.
template <bool kGradient, int C>
double softmax_pass(const double* logits, const double* labels, Index n, int classes, int chunk,
                    double* out, double* totals) {
  const double inv_n = 1.0 / static_cast<double>(n);
  v2d shift = splat(0.0), picked = splat(0.0), product = splat(1.0);
  double logs = 0.0;
  int in_product = 0;
  const auto add_totals = [&](v2d total) {
    product *= total;
    if (++in_product == chunk) {
      logs += std::log(product[0]) + std::log(product[1]);
      product = splat(1.0);
      in_product = 0;
    }
  };
  Index j = 0;
  for (; j + 2 <= n; j += 2) {
#if SPARSE_IHT_SCALAR_PAIRS
    // The two lanes one after the other (the same arithmetic as the pair).
    double shift0 = shift[0], shift1 = shift[1], picked0 = picked[0], picked1 = picked[1];
    const double total0 = softmax_unit<kGradient, C, double>(logits + j, out + j, n, classes,
                                                             labels[j], inv_n, shift0, picked0);
    const double total1 = softmax_unit<kGradient, C, double>(
        logits + j + 1, out + j + 1, n, classes, labels[j + 1], inv_n, shift1, picked1);
    shift = v2d{shift0, shift1};
    picked = v2d{picked0, picked1};
    const v2d total = {total0, total1};
#else
    const v2d total = softmax_unit<kGradient, C, v2d>(logits + j, out + j, n, classes,
                                                      load2(labels + j), inv_n, shift, picked);
#endif
    store2(totals + j, total);
    add_totals(total);
  }
  if (j < n) {
    // The odd last sample, in lane 0.
    double last_shift = 0.0, last_picked = 0.0;
    const double total = softmax_unit<kGradient, C, double>(
        logits + j, out + j, n, classes, labels[j], inv_n, last_shift, last_picked);
    totals[j] = total;
    shift[0] += last_shift;
    picked[0] += last_picked;
    add_totals(v2d{total, 1.0});
  }
  if (in_product > 0) logs += std::log(product[0]) + std::log(product[1]);
  return (logs + ((shift[0] + shift[1]) - (picked[0] + picked[1]))) * inv_n;
}

template <bool kGradient>
double softmax_pass(const double* logits, const double* labels, Index n, int classes, int chunk,
                    double* out, double* totals) {
  switch (classes) {
    case 2:
      return softmax_pass<kGradient, 2>(logits, labels, n, classes, chunk, out, totals);
    case 3:
      return softmax_pass<kGradient, 3>(logits, labels, n, classes, chunk, out, totals);
    default:
      return softmax_pass<kGradient, 0>(logits, labels, n, classes, chunk, out, totals);
  }
}

}  // namespace

Activation parse_activation(const std::string& name) {
  if (name == "tanh") return Activation::tanh;
  if (name == "relu") return Activation::relu;
  if (name == "sigmoid") return Activation::sigmoid;
  throw InputError("--activation: expected tanh, relu or sigmoid, got '" + name + "'");
}

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::tanh:
      return "tanh";
    case Activation::relu:
      return "relu";
    case Activation::sigmoid:
      return "sigmoid";
  }
  return "tanh";
}

int Architecture::num_params() const {
  int n = 0;
  for (int l = 0; l < num_layers(); ++l) n += sizes[l + 1] * (sizes[l] + 1);
  return n;
}

int Architecture::layer_offset(int layer) const {
  int offset = 0;
  for (int l = 0; l < layer; ++l) offset += sizes[l + 1] * (sizes[l] + 1);
  return offset;
}

Eigen::VectorXd initial_parameters(const Architecture& arch, Rng& rng, double scale) {
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(arch.num_params());
  for (int l = 0; l < arch.num_layers(); ++l) {
    const int in = arch.sizes[l];
    const int out = arch.sizes[l + 1];
    const double sigma = scale * std::sqrt(2.0 / (in + out));
    const int offset = arch.layer_offset(l);
    for (int k = 0; k < out * in; ++k) theta[offset + k] = sigma * rng.normal();
  }
  return theta;
}

NetworkObjective::NetworkObjective(Architecture arch, const Dataset& data)
    : arch_(std::move(arch)), data_(&data) {
  if (arch_.sizes.size() < 2)
    throw InputError("network: needs at least an input and an output layer");
  for (int width : arch_.sizes) {
    if (width < 1) throw InputError("network: every layer needs at least one unit");
  }
  if (arch_.sizes.front() != data.num_features()) {
    throw InputError("network: " + std::to_string(arch_.sizes.front()) +
                     " inputs but the data has " + std::to_string(data.num_features()) +
                     " features");
  }
  if (arch_.sizes.back() != data.num_classes()) {
    throw InputError("network: " + std::to_string(arch_.sizes.back()) +
                     " outputs but the data has " + std::to_string(data.num_classes()) +
                     " classes");
  }
  const auto layers = static_cast<std::size_t>(arch_.num_layers());
  for (int l = 0; l < arch_.num_layers(); ++l) offsets_.push_back(arch_.layer_offset(l));
  // Each softmax total lies in [1, classes]: this many of them multiply to at
  // most 2^1000, so their product cannot overflow before its log is taken.
  log_chunk_ = std::max(
      1, static_cast<int>(1000.0 / std::log2(static_cast<double>(arch_.sizes.back()) + 1.0)));
  x_ = data.x;
  labels_.resize(data.num_samples());
  for (int j = 0; j < data.num_samples(); ++j) labels_[j] = data.y[static_cast<std::size_t>(j)];
  z_.resize(layers);
  a_.resize(layers);
}

double NetworkObjective::forward(const Eigen::VectorXd& theta, const Matrix& x,
                                 const double* labels, Pass pass, Eigen::VectorXd* grad) {
  if (theta.size() != arch_.num_params()) {
    throw InputError("network: θ has " + std::to_string(theta.size()) + " entries, expected " +
                     std::to_string(arch_.num_params()));
  }
  const int layers = arch_.num_layers();
  const Index n = x.cols();
  if (n == 0) return 0.0;
  const double* th = theta.data();

  for (int l = 0; l < layers; ++l) {
    const int in = arch_.sizes[static_cast<std::size_t>(l)];
    const int out = arch_.sizes[static_cast<std::size_t>(l) + 1];
    const double* w = th + offsets_[static_cast<std::size_t>(l)];
    auto& z = z_[static_cast<std::size_t>(l)];
    z.resize(out, n);
    const double* input = l == 0 ? x.data() : a_[static_cast<std::size_t>(l) - 1].data();
    layer_forward(w, w + static_cast<std::ptrdiff_t>(out) * in, out, in, input, z.data(), n);
    if (l + 1 < layers) {
      auto& a = a_[static_cast<std::size_t>(l)];
      a.resize(out, n);
      activate(arch_.activation, z.data(), a.data(), z.size());
    }
  }
  if (pass == Pass::logits) return 0.0;

  // Softmax and cross-entropy, shifted by each sample's largest logit so exp
  // cannot overflow, fused with δ_L = (softmax − onehot(y)) / N for the
  // gradient. The last layer's a receives exp(z − m) after a loss-only pass.
  const int classes = arch_.sizes.back();
  const bool gradient = pass == Pass::gradient;
  Matrix& softmax_out = gradient ? delta_ : a_.back();
  softmax_out.resize(classes, n);
  total_.resize(n);
  const double* logits = z_.back().data();
  const double loss = gradient ? softmax_pass<true>(logits, labels, n, classes, log_chunk_,
                                                    softmax_out.data(), total_.data())
                               : softmax_pass<false>(logits, labels, n, classes, log_chunk_,
                                                     softmax_out.data(), total_.data());
  if (!gradient) return loss;

  grad->resize(arch_.num_params());
  for (int l = layers - 1; l >= 0; --l) {
    const int in = arch_.sizes[static_cast<std::size_t>(l)];
    const int out = arch_.sizes[static_cast<std::size_t>(l) + 1];
    const int offset = offsets_[static_cast<std::size_t>(l)];
    const double* input = l == 0 ? x.data() : a_[static_cast<std::size_t>(l) - 1].data();
    layer_gradient(delta_.data(), input, out, in, n, grad->data() + offset,
                   grad->data() + offset + static_cast<std::ptrdiff_t>(out) * in);
    if (l > 0) {
      delta_prev_.resize(in, n);
      layer_backward(th + offset, out, in, delta_.data(), delta_prev_.data(), n);
      multiply_by_derivative(arch_.activation, z_[static_cast<std::size_t>(l) - 1].data(),
                             a_[static_cast<std::size_t>(l) - 1].data(), delta_prev_.data(),
                             delta_prev_.size());
      delta_.swap(delta_prev_);
    }
  }
  return loss;
}

double NetworkObjective::evaluate(const Eigen::VectorXd& theta) {
  return forward(theta, x_, labels_.data(), Pass::loss, nullptr);
}

double NetworkObjective::evaluate_with_gradient(const Eigen::VectorXd& theta,
                                                Eigen::VectorXd& grad) {
  return forward(theta, x_, labels_.data(), Pass::gradient, &grad);
}

double NetworkObjective::evaluate_batch_with_gradient(const Eigen::VectorXd& theta,
                                                      const int* indices, int count,
                                                      Eigen::VectorXd& grad) {
  batch_x_.resize(x_.rows(), count);
  batch_labels_.resize(count);
  for (int k = 0; k < count; ++k) {
    batch_x_.col(k) = x_.col(indices[k]);
    batch_labels_[k] = labels_[indices[k]];
  }
  return forward(theta, batch_x_, batch_labels_.data(), Pass::gradient, &grad);
}

std::vector<int> NetworkObjective::predict(const Eigen::VectorXd& theta) {
  forward(theta, x_, labels_.data(), Pass::logits, nullptr);
  const auto& logits = z_.back();
  const Index n = logits.cols();
  std::vector<int> predicted(static_cast<std::size_t>(n), 0);
  for (Index j = 0; j < n; ++j) {
    // The first maximum, so ties go to the lower class.
    int best = 0;
    for (int k = 1; k < logits.rows(); ++k) {
      if (logits(k, j) > logits(best, j)) best = k;
    }
    predicted[static_cast<std::size_t>(j)] = best;
  }
  return predicted;
}

double NetworkObjective::accuracy(const Eigen::VectorXd& theta) {
  if (data_->y.empty()) return 0.0;
  const auto predicted = predict(theta);
  int correct = 0;
  for (std::size_t j = 0; j < predicted.size(); ++j) correct += predicted[j] == data_->y[j] ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(predicted.size());
}

Eigen::MatrixXd NetworkObjective::probabilities(const Eigen::VectorXd& theta) {
  forward(theta, x_, labels_.data(), Pass::loss, nullptr);
  Eigen::MatrixXd p = a_.back();
  p.array().rowwise() /= total_.transpose().array();
  return p;
}

}  // namespace sparse_iht
