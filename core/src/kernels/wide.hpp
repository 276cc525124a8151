// The softmax pass on four samples at a time, for x86-64 CPUs with AVX2,
// chosen at run time (softmax_pass_auto below). Internal to the core.
//
// The portable build targets SSE2, whose registers hold two doubles, and
// WebAssembly SIMD has the same width. On a CPU with AVX2 the same kernels run
// on four doubles: each lane does exactly the arithmetic it does in a pair
// (no fused multiply-add: the functions below enable AVX2 only, not FMA, in
// the portable build), and the sums across samples are taken in the pair
// kernel's order, so every result is the same to the bit as the SSE2 and
// WebAssembly builds'. tests/core/test_wide.cpp holds the two to the same
// bits. The exponentials are half of an IRIS iteration, and this pass runs
// them twice as wide: 1.5 times the iterations per second. The sparse layer
// passes and the activations do the same in layers.hpp (sparse_forward_wide).
//
// Why not a second translation unit built with -mavx2: every inline function
// it instantiated (a std::max, say) could then be the copy the linker keeps
// for the whole program, and crash a CPU without AVX2. A target attribute
// changes only the functions that carry it, and `flatten` inlines the
// portable helpers into them (and SPARSE_IHT_LANES_INLINE when not optimising:
// pairs.hpp).
#pragma once

#include "softmax.hpp"

namespace sparse_iht::kernels {

#if SPARSE_IHT_WIDE

// softmax_pass<kGradient, C> (softmax.hpp), four samples at a time: blocks of
// four, then a pair, then the odd last sample. The running sums stay pairs
// and take each block's two halves in turn, as the pair kernel takes two
// consecutive pairs.
template <bool kGradient, int C>
SPARSE_IHT_AVX2 __attribute__((flatten)) double softmax_pass_avx2(const double* logits,
                                                                  const double* labels, Index n,
                                                                  int classes, int chunk,
                                                                  double* out, double* totals) {
  SoftmaxSums sums(n, chunk);
  Index j = 0;
  for (; j + 4 <= n; j += 4) {
    v4d shift = broadcast<v4d>(0.0), picked = broadcast<v4d>(0.0);
    const v4d total = softmax_unit<kGradient, C, v4d>(
        logits + j, out + j, n, classes, load_t<v4d>(labels + j), sums.inv_n, shift, picked);
    store_t(totals + j, total);
    // The pair pass adds m_j and z_{y_j j} to the running sums (the other
    // classes add exact zeros); here they come as 0 + m_j and 0 + z_{y_j j},
    // the same values, since no running sum is ever −0.
    sums.shift += low_pair(shift);
    sums.picked += low_pair(picked);
    sums.add_total(low_pair(total));
    sums.shift += high_pair(shift);
    sums.picked += high_pair(picked);
    sums.add_total(high_pair(total));
  }
  softmax_tail<kGradient, C>(logits, labels, n, classes, out, totals, j, sums);
  return sums.loss();
}

#endif  // SPARSE_IHT_WIDE

// The softmax pass on the widest registers this CPU has: the same bits either
// way.
template <bool kGradient>
double softmax_pass_auto(const double* logits, const double* labels, Index n, int classes,
                         int chunk, double* out, double* totals) {
#if SPARSE_IHT_WIDE
  if (use_wide()) {
    return with_classes(classes, [&](auto c) {
      return softmax_pass_avx2<kGradient, decltype(c)::value>(logits, labels, n, classes, chunk,
                                                              out, totals);
    });
  }
#endif
  return softmax_pass<kGradient>(logits, labels, n, classes, chunk, out, totals);
}

}  // namespace sparse_iht::kernels
