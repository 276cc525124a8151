// The fused softmax / cross-entropy pass of the network objective, with δ_L
// for the gradient. Internal to the core; tests/core/test_network_reference.cpp
// checks it against a plain reference for 2, 3 and more classes.
#pragma once

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "layers.hpp"
#include "math.hpp"
#include "pairs.hpp"

namespace sparse_iht::kernels {

// δ_k = e_k · (1/N) / total − [label = k] / N, in place of e_k at o + k·stride,
// for one sample (T = double) or a pair (T = v2d).
template <int C, typename T>
SPARSE_IHT_LANES_INLINE inline void delta_unit(double* o, Index stride, int classes, T label,
                                               T total, double inv_n) {
  if (C > 0) classes = C;
  const T scale = inv_n / total;
  for (int k = 0; k < classes; ++k) {
    const T one_hot = where_label(label, static_cast<double>(k), broadcast<T>(inv_n));
    store_t(o + k * stride, load_t<T>(o + k * stride) * scale - one_hot);
  }
}

// e_k = exp(z_k − m) for C = 2 or 3 classes (logits z_k at z + k·stride, m
// their largest, as softmax_unit finds it), with one exponential fewer per
// lane: the largest logit's e is exp(+0) = 1 exactly, and the selects below
// give each class either 1 or the exponential of its own z_k − m, following
// the compares that chose m (ties go to the lower class, as there). False,
// with e unset, where m is ±∞ or NaN in some lane: there z_k − m is NaN, not
// +0, and every e_k must be computed. Same bits as exp_t(z_k − m) for every
// k and every input (tests/core/test_network_reference.cpp).
template <int C, typename T>
SPARSE_IHT_LANES_INLINE inline bool exps_but_largest(const double* z, Index stride, T m, T* e) {
  static_assert(C == 2 || C == 3, "two or three classes");
  const T one = broadcast<T>(1.0);
  if (!all_less(m - m, one)) return false;  // m − m is +0 where m is finite, NaN elsewhere
  const T z0 = load_t<T>(z), z1 = load_t<T>(z + stride);
  const T u = exp_t(select_less(z0, z1, z0, z1) - m);  // the first two's smaller
  if constexpr (C == 2) {
    e[0] = select_less(z0, z1, u, one);
    e[1] = select_less(z0, z1, one, u);
  } else {
    const T z2 = load_t<T>(z + 2 * stride);
    const T m01 = select_less(z0, z1, z1, z0);
    const T v = exp_t(select_less(m01, z2, m01, z2) - m);  // the smaller of m01 and z2
    const T larger = select_less(m01, z2, v, one);         // e of the first two's larger
    e[0] = select_less(z0, z1, u, larger);
    e[1] = select_less(z0, z1, larger, u);
    e[2] = select_less(m01, z2, one, v);
  }
  return true;
}

// One sample (T = double) or a pair of samples (T = v2d) of the softmax pass:
// logits z_k at z + k·stride; writes e_k or δ_k to o + k·stride and returns
// the totals.
template <bool kGradient, int C, typename T>
SPARSE_IHT_LANES_INLINE inline T softmax_unit(const double* z, double* o, Index stride, int classes,
                                              T label, double inv_n, T& shift_sum, T& picked_sum) {
  if (C > 0) classes = C;
  T m = load_t<T>(z);
  for (int k = 1; k < classes; ++k) {
    const T zk = load_t<T>(z + k * stride);
    m = select_less(m, zk, zk, m);
  }
  T total = broadcast<T>(0.0);
  bool computed = false;
  if constexpr (C == 2 || C == 3) {
    T e[C];
    if (exps_but_largest<C>(z, stride, m, e)) {
      for (int k = 0; k < C; ++k) {
        total += e[k];
        store_t(o + k * stride, e[k]);
        picked_sum += where_label(label, static_cast<double>(k), load_t<T>(z + k * stride));
      }
      computed = true;
    }
  }
  for (int k = 0; k < classes && !computed; ++k) {
    const T zk = load_t<T>(z + k * stride);
    const T e = exp_t(zk - m);
    total += e;
    store_t(o + k * stride, e);
    picked_sum += where_label(label, static_cast<double>(k), zk);
  }
  shift_sum += m;
  if (kGradient) delta_unit<C, T>(o, stride, classes, label, total, inv_n);
  return total;
}

// The running sums of the softmax pass over pairs of samples: Σ m_j and
// Σ z_{y_j j} lane by lane (even and odd samples), and Σ log total_j as logs of
// products of `chunk` pairs of totals (each in [1, classes], so a product
// cannot overflow).
struct SoftmaxSums {
  SoftmaxSums(Index n, int chunk_) : inv_n(1.0 / static_cast<double>(n)), chunk(chunk_) {}
  void add_total(v2d total) {
    product *= total;
    if (++in_product == chunk) {
      logs += std::log(product[0]) + std::log(product[1]);
      product = splat(1.0);
      in_product = 0;
    }
  }
  double loss() {
    if (in_product > 0) logs += std::log(product[0]) + std::log(product[1]);
    return (logs + ((shift[0] + shift[1]) - (picked[0] + picked[1]))) * inv_n;
  }
  double inv_n;
  int chunk;
  v2d shift = splat(0.0), picked = splat(0.0), product = splat(1.0);
  double logs = 0.0;
  int in_product = 0;
};

// The pass's samples from j on, a pair at a time, then the odd last sample
// in lane 0.
template <bool kGradient, int C>
inline void softmax_tail(const double* logits, const double* labels, Index n, int classes,
                         double* out, double* totals, Index j, SoftmaxSums& sums) {
  for (; j + 2 <= n; j += 2) {
#if SPARSE_IHT_SCALAR_PAIRS
    // The two lanes one after the other (the same arithmetic as the pair).
    double shift0 = sums.shift[0], shift1 = sums.shift[1], picked0 = sums.picked[0],
           picked1 = sums.picked[1];
    const double total0 = softmax_unit<kGradient, C, double>(
        logits + j, out + j, n, classes, labels[j], sums.inv_n, shift0, picked0);
    const double total1 = softmax_unit<kGradient, C, double>(
        logits + j + 1, out + j + 1, n, classes, labels[j + 1], sums.inv_n, shift1, picked1);
    sums.shift = v2d{shift0, shift1};
    sums.picked = v2d{picked0, picked1};
    const v2d total = {total0, total1};
#else
    const v2d total = softmax_unit<kGradient, C, v2d>(
        logits + j, out + j, n, classes, load2(labels + j), sums.inv_n, sums.shift, sums.picked);
#endif
    store2(totals + j, total);
    sums.add_total(total);
  }
  if (j < n) {
    double last_shift = 0.0, last_picked = 0.0;
    const double total = softmax_unit<kGradient, C, double>(
        logits + j, out + j, n, classes, labels[j], sums.inv_n, last_shift, last_picked);
    totals[j] = total;
    sums.shift[0] += last_shift;
    sums.picked[0] += last_picked;
    sums.add_total(v2d{total, 1.0});
  }
}

// The fused softmax / cross-entropy pass. Per sample j, with m_j the largest
// logit: e_kj = exp(z_kj − m_j), total_j = Σ_k e_kj, and
//   loss = (Σ_j log total_j + Σ_j m_j − Σ_j z_{y_j j}) / N,
//   δ_kj = e_kj · (1/N) / total_j − [y_j = k] / N   (kGradient),
// or e_kj itself otherwise, written to out (classes × n, row-major); totals to
// `totals`. Pairs of samples at a time, with the sums of SoftmaxSums. Labels
// come as doubles so the one-hot terms are vector compares. C > 0 fixes the
// number of classes at compile time (the loops over classes unroll), C = 0
// reads `classes`.
template <bool kGradient, int C>
double softmax_pass(const double* logits, const double* labels, Index n, int classes, int chunk,
                    double* out, double* totals) {
  SoftmaxSums sums(n, chunk);
  softmax_tail<kGradient, C>(logits, labels, n, classes, out, totals, 0, sums);
  return sums.loss();
}

// f(std::integral_constant<int, C>) with C the number of classes the passes
// specialise (2 and 3, the loops over classes unrolled), or 0 for any other.
template <typename F>
decltype(auto) with_classes(int classes, F f) {
  switch (classes) {
    case 2:
      return f(std::integral_constant<int, 2>{});
    case 3:
      return f(std::integral_constant<int, 3>{});
    default:
      return f(std::integral_constant<int, 0>{});
  }
}

template <bool kGradient>
double softmax_pass(const double* logits, const double* labels, Index n, int classes, int chunk,
                    double* out, double* totals) {
  return with_classes(classes, [&](auto c) {
    return softmax_pass<kGradient, decltype(c)::value>(logits, labels, n, classes, chunk, out,
                                                       totals);
  });
}

// δ from a loss-only pass's output: e (classes × n, row-major) and the totals
// it returned, written to out. The same arithmetic, sample by sample, as the
// fused pass with kGradient, so δ is the same bits either way.
template <int C>
void softmax_delta(const double* e, const double* labels, Index n, int classes,
                   const double* totals, double* out) {
  if (C > 0) classes = C;
  const double inv_n = 1.0 / static_cast<double>(n);
  std::copy(e, e + static_cast<Index>(classes) * n, out);
  Index j = 0;
  for (; j + 2 <= n; j += 2) {
#if SPARSE_IHT_SCALAR_PAIRS
    delta_unit<C, double>(out + j, n, classes, labels[j], totals[j], inv_n);
    delta_unit<C, double>(out + j + 1, n, classes, labels[j + 1], totals[j + 1], inv_n);
#else
    delta_unit<C, v2d>(out + j, n, classes, load2(labels + j), load2(totals + j), inv_n);
#endif
  }
  if (j < n) delta_unit<C, double>(out + j, n, classes, labels[j], totals[j], inv_n);
}

inline void softmax_delta(const double* e, const double* labels, Index n, int classes,
                          const double* totals, double* out) {
  with_classes(classes, [&](auto c) {
    softmax_delta<decltype(c)::value>(e, labels, n, classes, totals, out);
  });
}

}  // namespace sparse_iht::kernels
