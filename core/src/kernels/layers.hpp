// The layer kernels of the network objective: Z = W·A + b, Wᵀ·δ, ∂W = δ·Aᵀ and
// ∂b = δ·1, the hidden activations and their derivatives. Internal to the core;
// tests/core/test_network_reference.cpp checks every path below against a
// plain reference.
//
// The passes work on units × samples row-major matrices with plain loops over
// contiguous samples, two samples at a time: no Eigen expression machinery for
// the paper's tiny layers, and zero weights skipped (θ is s-sparse). Large,
// dense layers still go through Eigen's blocked matrix product. Sums run in a
// fixed order (even and odd samples apart in ∂W; term by term in the sparse
// passes, where each lane is a sample), so results do not depend on the
// vector width.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "math.hpp"
#include "pairs.hpp"
#include "sparse_iht/network.hpp"

namespace sparse_iht::kernels {

using Index = Eigen::Index;
using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRowMap = Eigen::Map<const RowMajorMatrix>;
using RowMap = Eigen::Map<RowMajorMatrix>;

// Layers with at most this many weights never use Eigen's matrix product: its
// packing costs more than it saves for the paper's 3 × 4.
inline constexpr int kTinyLayer = 64;
// A larger layer uses the sparse path (sparse_pass: each unit's nonzero
// weights as a list, a register block of samples at a time) while at most this
// fraction of its weights is nonzero; IHT keeps θ s-sparse.
inline constexpr double kSparseDensity = 0.25;
// Samples per block in the tiny layers' path, so a block of the input stays in cache.
inline constexpr Index kBlock = 512;

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

inline void activate(Activation activation, const double* z, double* a, Index n) {
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
inline void multiply_by_derivative(Activation activation, const double* z, const double* a,
                                   double* delta, Index n) {
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
inline bool use_sparse_path(const double* w, int out, int in) {
  const int size = out * in;
  if (size <= kTinyLayer) return true;
  int nonzeros = 0;
  for (int k = 0; k < size; ++k) nonzeros += w[k] != 0.0 ? 1 : 0;
  return nonzeros <= kSparseDensity * size;
}

// z[j] = (kInit ? b : z[j]) + Σ_c w[c]·rows[c][j] for j < n, the terms added
// in order (as successive axpys would), with z in a register across up to K
// weights, Lane (v2d, or v4d on AVX2) samples at a time; each lane is a
// sample, so the width changes no result.
template <int K, bool kInit, typename Lane>
SPARSE_IHT_LANES_INLINE inline void accumulate_rows(double* z, double b, const double* const* rows,
                                                    const double* w, Index n) {
  constexpr Index width = static_cast<Index>(sizeof(Lane) / sizeof(double));
  Index j = 0;
  for (; j + width <= n; j += width) {
    Lane acc = kInit ? broadcast<Lane>(b) : load_t<Lane>(z + j);
    for (int c = 0; c < K; ++c) acc += w[c] * load_t<Lane>(rows[c] + j);
    store_t(z + j, acc);
  }
  for (; j < n; ++j) {
    double acc = kInit ? b : z[j];
    for (int c = 0; c < K; ++c) acc += w[c] * rows[c][j];
    z[j] = acc;
  }
}

template <bool kInit, typename Lane>
SPARSE_IHT_LANES_INLINE inline void accumulate_rows(int k, double* z, double b,
                                                    const double* const* rows, const double* w,
                                                    Index n) {
  switch (k) {
    case 0:
      if (kInit) std::fill(z, z + n, b);
      break;
    case 1:
      accumulate_rows<1, kInit, Lane>(z, b, rows, w, n);
      break;
    case 2:
      accumulate_rows<2, kInit, Lane>(z, b, rows, w, n);
      break;
    case 3:
      accumulate_rows<3, kInit, Lane>(z, b, rows, w, n);
      break;
    default:
      accumulate_rows<4, kInit, Lane>(z, b, rows, w, n);
      break;
  }
}

// Z = W·A + b for a tiny layer (out · in ≤ kTinyLayer): only the nonzero
// weights, four at a time, a block of samples at a time.
template <typename Lane>
SPARSE_IHT_LANES_INLINE inline void tiny_forward(const double* w, const double* b, int out, int in,
                                                 const double* a, double* z, Index n) {
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
          accumulate_rows<true, Lane>(k, zo, b[o], rows, weights, len);
        } else if (k > 0) {
          accumulate_rows<false, Lane>(k, zo, b[o], rows, weights, len);
        }
        first = false;
      } while (i < in);
    }
  }
}

// The register block of the sparse kernels below: kParts = 8 vectors of the
// widest width the build targets, so 8 independent sums hide the latency of an
// addition: 16 samples in SSE2 or WebAssembly SIMD registers, 64 in AVX-512
// ones (the native-arch build). Every lane is a sample of its own, so the
// width changes no result.
#if defined(__AVX512F__)
inline constexpr int kVectorBytes = 64;
#elif defined(__AVX__)
inline constexpr int kVectorBytes = 32;
#else
inline constexpr int kVectorBytes = 16;
#endif
using lane_vector = double __attribute__((vector_size(kVectorBytes)));
inline constexpr int kLaneWidth = kVectorBytes / static_cast<int>(sizeof(double));
inline constexpr int kParts = 8;
inline constexpr Index kLanes = kParts * kLaneWidth;
// Samples per block of the sparse pass: every unit in turn reads its rows of
// this block, 256 rows of 2 KB in the 64 → 256 → 256 → 10 benchmark network,
// which stay in L2. A multiple of kLanes.
inline constexpr Index kPassBlock = 256;
static_assert(kPassBlock % kLanes == 0);

// The nonzero weights of W (out × in) as one list per output unit
// (`by_input` false: the inputs it reads) or per input unit (`by_input` true:
// the outputs it feeds), each in increasing index order; an entry's offset is
// the other unit's index times n, the start of its row of samples.
inline void list_nonzeros(const double* w, int out, int in, bool by_input, Index n,
                          detail::NonzeroLists& lists) {
  const int units = by_input ? in : out;
  const int others = by_input ? out : in;
  lists.start.resize(static_cast<std::size_t>(units) + 1);
  lists.offset.clear();
  lists.value.clear();
  lists.start[0] = 0;
  for (int u = 0; u < units; ++u) {
    for (int v = 0; v < others; ++v) {
      const double wv = by_input ? w[v * in + u] : w[u * in + v];
      if (wv != 0.0) {
        lists.offset.push_back(v * n);
        lists.value.push_back(wv);
      }
    }
    lists.start[static_cast<std::size_t>(u) + 1] = static_cast<int>(lists.value.size());
  }
}

// dst_u[j] = init_u + Σ value·src[offset + j] over unit u's list, the terms
// added in list order, for every unit u and sample j < n (init null: 0). The
// samples go a register block at a time, every unit in turn, so the block's
// rows of src stay in cache while each sum stays in a register. finish(at,
// len) then runs on dst[at … at + len), a block just written and still in L1
// (the activation, or σ' for δ), instead of a later pass over all of dst.
//
// Lane is the register type (lane_vector, or v4d on AVX2: sparse_forward_wide
// below);
// each lane is a sample, so its width changes no result.
template <typename Lane = lane_vector, typename Finish>
SPARSE_IHT_LANES_INLINE inline void sparse_pass(const detail::NonzeroLists& lists,
                                                const double* init, const double* src, double* dst,
                                                Index n, Finish finish) {
  constexpr int width = static_cast<int>(sizeof(Lane) / sizeof(double));
  constexpr Index lanes = kParts * width;
  static_assert(kPassBlock % lanes == 0);
  const auto units = static_cast<int>(lists.start.size()) - 1;
  const std::ptrdiff_t* offset = lists.offset.data();
  const double* value = lists.value.data();
  const Index blocked = n - n % lanes;
  for (Index j0 = 0; j0 < blocked; j0 += kPassBlock) {
    const Index j1 = std::min(blocked, j0 + kPassBlock);
    for (int u = 0; u < units; ++u) {
      const int begin = lists.start[static_cast<std::size_t>(u)];
      const int end = lists.start[static_cast<std::size_t>(u) + 1];
      const double start = init != nullptr ? init[u] : 0.0;
      for (Index j = j0; j < j1; j += lanes) {
        Lane acc[kParts];
        for (int p = 0; p < kParts; ++p) acc[p] = Lane{} + start;
        for (int k = begin; k < end; ++k) {
          const double* row = src + offset[k] + j;
          for (int p = 0; p < kParts; ++p) {
            Lane x;
            std::memcpy(&x, row + p * width, sizeof x);
            acc[p] += value[k] * x;
          }
        }
        std::memcpy(dst + u * n + j, acc, sizeof acc);
        finish(u * n + j, lanes);
      }
    }
  }
  for (Index j = blocked; j < n; ++j) {
    for (int u = 0; u < units; ++u) {
      double acc = init != nullptr ? init[u] : 0.0;
      const int end = lists.start[static_cast<std::size_t>(u) + 1];
      for (int k = lists.start[static_cast<std::size_t>(u)]; k < end; ++k) {
        acc += value[k] * src[offset[k] + j];
      }
      dst[u * n + j] = acc;
    }
  }
  if (blocked < n) {
    for (int u = 0; u < units; ++u) finish(u * n + blocked, n - blocked);
  }
}

#if SPARSE_IHT_WIDE
// The tiny and sparse layer passes on AVX2 registers, for a build whose own
// registers are SSE2's (pairs.hpp, wide.hpp): the tiny layers' sums and the
// activations four samples at a time, 32 samples per register block of the
// sparse passes instead of 16. Every lane is a sample and does the
// pair's operations, so the results are the pair passes' to the bit
// (tests/core/test_wide.cpp).
inline constexpr bool kWideLayers = kVectorBytes == 16;

SPARSE_IHT_AVX2 inline void activate_wide(Activation activation, const double* z, double* a,
                                          Index n) {
  if (activation == Activation::relu) {
    activate(activation, z, a, n);
    return;
  }
  Index j = 0;
  for (; j + 4 <= n; j += 4) {
    const v4d x = load_t<v4d>(z + j);
    store_t(a + j, activation == Activation::tanh ? tanh_t(x) : sigmoid_t(x));
  }
  activate(activation, z + j, a + j, n - j);
}

SPARSE_IHT_AVX2 __attribute__((flatten)) inline void sparse_forward_wide(
    const detail::NonzeroLists& lists, const double* b, const double* a, double* z, Index n,
    Activation activation, double* activated) {
  sparse_pass<v4d>(lists, b, a, z, n, [&](Index at, Index len) {
    if (activated != nullptr) activate_wide(activation, z + at, activated + at, len);
  });
}

SPARSE_IHT_AVX2 __attribute__((flatten)) inline void sparse_backward_wide(
    const detail::NonzeroLists& lists, const double* d, double* d_prev, Index n,
    Activation activation, const double* z_prev, const double* a_prev) {
  sparse_pass<v4d>(lists, nullptr, d, d_prev, n, [&](Index at, Index len) {
    multiply_by_derivative(activation, z_prev + at, a_prev + at, d_prev + at, len);
  });
}

SPARSE_IHT_AVX2 __attribute__((flatten)) inline void tiny_forward_wide(
    const double* w, const double* b, int out, int in, const double* a, double* z, Index n,
    Activation activation, double* activated) {
  tiny_forward<v4d>(w, b, out, in, a, z, n);
  if (activated != nullptr) activate_wide(activation, z, activated, out * n);
}

// sum() on one AVX2 register: its lanes are sum()'s two pairs of partial
// sums (a[j] for j mod 4 = 0 … 3), combined in the same order, so the bits
// are sum()'s.
SPARSE_IHT_AVX2 inline double sum_wide(const double* a, Index n) {
  v4d s = broadcast<v4d>(0.0);
  Index j = 0;
  for (; j + 4 <= n; j += 4) s += load_t<v4d>(a + j);
  double s0 = s[0];
  for (; j < n; ++j) s0 += a[j];
  return (s0 + s[1]) + (s[2] + s[3]);
}

// Whether the sparse passes run on AVX2 registers here.
inline bool wide_layers() { return kWideLayers && use_wide(); }
#else
inline bool wide_layers() { return false; }
#endif

// res = lhs · rhs for a row-major res (rows × cols) and operands stored in
// the given orders with the given strides, depth the inner dimension: what
// `Map(res).noalias() = lhs * rhs` computes, with Eigen's GEMM and the same
// blocking, so the same bits, but with its packing buffers in `buffers`.
// Eigen allocates them on every call, and natively glibc's main heap hands
// blocks that size back to the system when they are freed, so every call
// page-faulted them in again: `perf` put a sixth of the digits path's time in
// the kernel's page-fault handler inside gemm_pack_lhs and gemm_pack_rhs, and
// keeping the buffers halved it on one thread (README, path-digits).
template <int LhsOrder, int RhsOrder>
void gemm(detail::GemmBuffers& buffers, Index rows, Index cols, Index depth, const double* lhs,
          Index lhs_stride, const double* rhs, Index rhs_stride, double* res) {
  using Lhs = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, LhsOrder>, 0,
                         Eigen::OuterStride<>>;
  using Rhs = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, RhsOrder>, 0,
                         Eigen::OuterStride<>>;
  // Eigen's own choice for these sizes (GeneralProduct.h, GeneralMatrixMatrix.h):
  // a coefficient-based product for tiny ones and a matrix-vector product
  // for a single row or column. Those allocate nothing.
  if (depth == 0 || rows == 1 || cols == 1 ||
      depth + rows + cols < EIGEN_GEMM_TO_COEFFBASED_THRESHOLD) {
    RowMap(res, rows, cols).noalias() = Lhs(lhs, rows, depth, Eigen::OuterStride<>(lhs_stride)) *
                                        Rhs(rhs, depth, cols, Eigen::OuterStride<>(rhs_stride));
    return;
  }
  using Blocking =
      Eigen::internal::gemm_blocking_space<Eigen::RowMajor, double, double, Eigen::Dynamic,
                                           Eigen::Dynamic, Eigen::Dynamic>;
  // The blocking Eigen would use, lending it the kept buffers; it frees none.
  struct Lent : Blocking {
    Lent(Index r, Index c, Index k, detail::GemmBuffers& kept) : Blocking(r, c, k, 1, true) {
      const auto a = static_cast<std::size_t>(this->mc() * this->kc());
      const auto b = static_cast<std::size_t>(this->kc() * this->nc());
      if (kept.lhs.size() < a) kept.lhs.resize(a);
      if (kept.rhs.size() < b) kept.rhs.resize(b);
      this->m_blockA = kept.lhs.data();
      this->m_blockB = kept.rhs.data();
    }
    ~Lent() {
      this->m_blockA = nullptr;
      this->m_blockB = nullptr;
    }
    Lent(const Lent&) = delete;
    Lent& operator=(const Lent&) = delete;
  } blocking(rows, cols, depth, buffers);
  std::fill(res, res + rows * cols, 0.0);
  Eigen::internal::general_matrix_matrix_product<Index, double, LhsOrder, false, double, RhsOrder,
                                                 false, Eigen::RowMajor, 1>::run(rows, cols, depth,
                                                                                 lhs, lhs_stride,
                                                                                 rhs, rhs_stride,
                                                                                 res, 1, cols, 1.0,
                                                                                 blocking, nullptr);
}

// Z = W·A + b for W out × in, A in × n and Z out × n (row-major).
// With `activated` not null, also activated = σ(Z) for a hidden layer.
inline void layer_forward(const double* w, const double* b, int out, int in, const double* a,
                          double* z, Index n, detail::LayerWorkspace& workspace,
                          Activation activation, double* activated) {
  if (out * in <= kTinyLayer) {
#if SPARSE_IHT_WIDE
    if (wide_layers()) {
      tiny_forward_wide(w, b, out, in, a, z, n, activation, activated);
      return;
    }
#endif
    tiny_forward<v2d>(w, b, out, in, a, z, n);
  } else if (use_sparse_path(w, out, in)) {
    list_nonzeros(w, out, in, false, n, workspace.lists);
#if SPARSE_IHT_WIDE
    if (wide_layers()) {
      sparse_forward_wide(workspace.lists, b, a, z, n, activation, activated);
      return;
    }
#endif
    sparse_pass(workspace.lists, b, a, z, n, [&](Index at, Index len) {
      if (activated != nullptr) activate(activation, z + at, activated + at, len);
    });
    return;
  } else {
    gemm<Eigen::RowMajor, Eigen::RowMajor>(workspace.gemm, out, n, in, w, in, a, n, z);
    for (int o = 0; o < out; ++o) {
      double* zo = z + o * n;
      for (Index j = 0; j < n; ++j) zo[j] += b[o];
    }
  }
  if (activated != nullptr) activate(activation, z, activated, out * n);
}

// D_prev = Wᵀ·D for W out × in, D out × n and D_prev in × n (row-major),
// then D_prev ∘ σ'(Z_prev) with the previous layer's Z and A = σ(Z).
inline void layer_backward(const double* w, int out, int in, const double* d, double* d_prev,
                           Index n, detail::LayerWorkspace& workspace, Activation activation,
                           const double* z_prev, const double* a_prev) {
  if (out * in <= kTinyLayer) {
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
  } else if (use_sparse_path(w, out, in)) {
    list_nonzeros(w, out, in, true, n, workspace.lists);
#if SPARSE_IHT_WIDE
    if (wide_layers()) {
      sparse_backward_wide(workspace.lists, d, d_prev, n, activation, z_prev, a_prev);
      return;
    }
#endif
    sparse_pass(workspace.lists, nullptr, d, d_prev, n, [&](Index at, Index len) {
      multiply_by_derivative(activation, z_prev + at, a_prev + at, d_prev + at, len);
    });
    return;
  } else {
    gemm<Eigen::ColMajor, Eigen::RowMajor>(workspace.gemm, in, n, out, w, in, d, n, d_prev);
  }
  multiply_by_derivative(activation, z_prev, a_prev, d_prev, in * n);
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
inline constexpr int kGradientRows = SPARSE_IHT_SCALAR_PAIRS ? 2 : 3;

#if SPARSE_IHT_WIDE
// gradient_block on AVX2 registers: the entries (o, i) and (o, i + 1) side by
// side in one register, each half holding the even and odd partial sums that
// gradient_block keeps in a pair, so every sum takes the same terms in the
// same order: the pair kernel's bits (tests/core/test_wide.cpp). P pairs of
// columns; each row of D is loaded once for 2P columns instead of 2.
template <int R, int P>
SPARSE_IHT_AVX2 inline void gradient_block_wide(const double* d, const double* a, Index n, int in,
                                                int o0, int i0, double* gw) {
  v4d acc[R][P];
  for (int r = 0; r < R; ++r) {
    for (int p = 0; p < P; ++p) acc[r][p] = broadcast<v4d>(0.0);
  }
  Index j = 0;
  for (; j + 2 <= n; j += 2) {
    v4d dv[R], av[P];
    // Intrinsics: the vector-type forms compiled to two scalar loads per pair.
    for (int r = 0; r < R; ++r) {
      dv[r] = (v4d)_mm256_broadcast_pd(reinterpret_cast<const __m128d*>(d + (o0 + r) * n + j));
    }
    for (int p = 0; p < P; ++p) {
      av[p] = (v4d)_mm256_loadu2_m128d(a + (i0 + 2 * p + 1) * n + j, a + (i0 + 2 * p) * n + j);
    }
    for (int r = 0; r < R; ++r) {
      for (int p = 0; p < P; ++p) acc[r][p] += dv[r] * av[p];
    }
  }
  for (int r = 0; r < R; ++r) {
    for (int p = 0; p < P; ++p) {
      for (int h = 0; h < 2; ++h) {
        const int i = i0 + 2 * p + h;
        double even = acc[r][p][2 * h];
        if (j < n) even += d[(o0 + r) * n + j] * a[i * n + j];
        gw[(o0 + r) * in + i] = even + acc[r][p][2 * h + 1];
      }
    }
  }
}

template <int R>
SPARSE_IHT_AVX2 __attribute__((flatten)) inline void gradient_rows_wide(const double* d,
                                                                        const double* a, Index n,
                                                                        int in, int o0,
                                                                        double* gw) {
  int i0 = 0;
  for (; i0 + 4 <= in; i0 += 4) gradient_block_wide<R, 2>(d, a, n, in, o0, i0, gw);
  if (i0 + 2 <= in) {
    gradient_block_wide<R, 1>(d, a, n, in, o0, i0, gw);
    i0 += 2;
  }
  if (i0 < in) gradient_block<R, 1>(d, a, n, in, o0, i0, gw);
}
#endif

// ∂W = D·Aᵀ for a tiny layer (out · in ≤ kTinyLayer): rows(R, o0) for row
// blocks of kGradientRows, then the 2 or 1 rows left, on AVX2 registers where
// wide_layers() says so.
inline void tiny_gradient(const double* d, const double* a, int out, int in, Index n, double* gw) {
  const auto row_blocks = [out](auto rows) {
    int o0 = 0;
    for (; o0 + kGradientRows <= out; o0 += kGradientRows)
      rows(std::integral_constant<int, kGradientRows>{}, o0);
    if (out - o0 == 2) rows(std::integral_constant<int, 2>{}, o0);
    if (out - o0 == 1) rows(std::integral_constant<int, 1>{}, o0);
  };
#if SPARSE_IHT_WIDE
  if (wide_layers()) {
    row_blocks(
        [&](auto r, int o0) { gradient_rows_wide<decltype(r)::value>(d, a, n, in, o0, gw); });
    return;
  }
#endif
  row_blocks([&](auto r, int o0) { gradient_rows<decltype(r)::value>(d, a, n, in, o0, gw); });
}

// ∂W = D·Aᵀ and ∂b = D·1 for D out × n and A in × n (row-major).
inline void layer_gradient(const double* d, const double* a, int out, int in, Index n, double* gw,
                           double* gb, detail::GemmBuffers& buffers) {
  if (out * in <= kTinyLayer) {
    tiny_gradient(d, a, out, in, n, gw);
  } else {
    gemm<Eigen::RowMajor, Eigen::ColMajor>(buffers, out, in, n, d, n, a, n, gw);
  }
#if SPARSE_IHT_WIDE
  if (wide_layers()) {
    for (int o = 0; o < out; ++o) gb[o] = sum_wide(d + o * n, n);
    return;
  }
#endif
  for (int o = 0; o < out; ++o) gb[o] = sum(d + o * n, n);
}

}  // namespace sparse_iht::kernels
