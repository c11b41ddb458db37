#pragma once
/// \file
/// \brief Host backend of ops::segment_softmax. Included by <graphtx/ops/segment_softmax.hpp>;
/// call ops::segment_softmax.
///
/// One destination node per loop iteration, nodes split across OpenMP threads. Within a node,
/// three passes over its rows (max, exp and sum, divide), each with the heads as the contiguous
/// inner loop ([E, H] row-major), so the max and divide passes vectorise; the per-head running
/// max and sum live on the stack, a block of at most `head_block` heads at a time.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct segment_softmax_impl;

template <>
struct segment_softmax_impl<host> {
  /// Below this many logits the loop runs on one thread (a parallel region costs microseconds).
  static constexpr index_t parallel_min_elements = index_t{1} << 14;
  /// Heads handled per pass over a segment; the stack holds 2 * head_block floats.
  static constexpr index_t head_block = 64;

  /// Shapes were checked by ops::segment_softmax; offsets are trusted (validated by graph/).
  ///
  /// Deterministic: a (node, head) is reduced by one thread with edges in CSR order, so the thread
  /// count only decides which thread does a node, never the order of its operations. Dynamic
  /// scheduling because in-degrees vary a lot (hubs).
  static void run(TensorView<float const, 2, host> logits,         // [E, H]
                  TensorView<std::int32_t const, 1, host> offsets,  // [N+1]
                  TensorView<float, 2, host> alpha) {               // [E, H], may be logits
    index_t const n = offsets.extent(0) - 1;
    index_t const heads = logits.extent(1);
    if (n <= 0 || heads == 0) return;
    std::int32_t const* off = offsets.data();
    float const* lg = logits.data();
    float* al = alpha.data();
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 64) if (logits.size() >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      index_t const begin = off[i], end = off[i + 1];
      if (begin == end) continue;  // isolated node: no alpha entries
      for (index_t h0 = 0; h0 < heads; h0 += head_block) {
        index_t const hb = std::min(head_block, heads - h0);
        float mx[head_block];   // [hb] running max, then fixed
        float sum[head_block];  // [hb] sum of exp, then the denominator
        for (index_t h = 0; h < hb; ++h) {
          mx[h] = -std::numeric_limits<float>::infinity();
          sum[h] = 0.0f;
        }
        // Pass 1: the true maximum. A NaN logit is skipped here but reaches the sum below, which
        // turns the whole segment NaN, as PyG's NaN-propagating scatter max does.
        for (index_t p = begin; p < end; ++p) {
          float const* l = lg + p * heads + h0;  // [hb]
          for (index_t h = 0; h < hb; ++h) mx[h] = l[h] > mx[h] ? l[h] : mx[h];
        }
        // Pass 2: exp(logit - max), stored in alpha, summed in CSR order. In place is fine: each
        // element is read once before it is overwritten.
        for (index_t p = begin; p < end; ++p) {
          float const* l = lg + p * heads + h0;  // [hb]
          float* a = al + p * heads + h0;        // [hb]
          for (index_t h = 0; h < hb; ++h) {
            float const e = std::exp(l[h] - mx[h]);
            a[h] = e;
            sum[h] += e;
          }
        }
        // Pass 3: divide by (sum + 1e-16f), PyG's fp32 epsilon; a division, not a reciprocal
        // multiply, as torch does it.
        for (index_t h = 0; h < hb; ++h) sum[h] = sum[h] + 1e-16f;
        for (index_t p = begin; p < end; ++p) {
          float* a = al + p * heads + h0;  // [hb]
          for (index_t h = 0; h < hb; ++h) a[h] = a[h] / sum[h];
        }
      }
    }
  }
};

}  // namespace graphtx::ops::detail
