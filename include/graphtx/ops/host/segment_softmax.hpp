#pragma once
/// \file
/// \brief Host backend of ops::segment_softmax: one destination node per loop iteration, nodes
/// split across OpenMP threads; within a node, three passes (max, exp and sum, divide) per head.

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
  static constexpr index_t parallel_min_elements = index_t{1} << 14;

  /// Deterministic: a (node, head) is reduced by one thread in edge order.
  static void run(TensorView<float const, 2, host> logits, TensorView<std::int32_t const, 1, host> offsets,
                  TensorView<float, 2, host> alpha) {
    index_t const n = offsets.extent(0) - 1;
    index_t const h = logits.extent(1);
    if (n <= 0 || h == 0) return;
    std::int32_t const* off = offsets.data();
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 64) if (logits.size() >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      index_t const begin = off[i], end = off[i + 1];
      if (begin == end) continue;
      for (index_t c = 0; c < h; ++c) {
        float mx = -std::numeric_limits<float>::infinity();
        for (index_t p = begin; p < end; ++p) mx = std::fmax(mx, logits(p, c));
        // PyG's scatter_reduce 'amax' propagates NaN; fmax would drop it, so restore it.
        for (index_t p = begin; p < end; ++p) {
          if (std::isnan(logits(p, c))) mx = logits(p, c);
        }
        float sum = 0.0f;
        for (index_t p = begin; p < end; ++p) {
          float e = std::exp(logits(p, c) - mx);
          alpha(p, c) = e;
          sum += e;
        }
        float const denom = sum + 1e-16f;
        for (index_t p = begin; p < end; ++p) alpha(p, c) = alpha(p, c) / denom;
      }
    }
  }
};

}  // namespace graphtx::ops::detail
