#pragma once
/// \file
/// \brief Host backend of ops::attention_scores: destinations split across OpenMP threads; per
/// edge and head a C-long dot product that the compiler vectorises.

#include <cmath>
#include <cstdint>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct attention_scores_impl;

template <>
struct attention_scores_impl<host> {
  static constexpr index_t parallel_min_work = index_t{1} << 14;

  static void run(TensorView<float const, 2, host> q, TensorView<float const, 2, host> k,
                  TensorView<float const, 2, host> edge_term, TensorView<std::int32_t const, 1, host> offsets,
                  TensorView<std::int32_t const, 1, host> sources, int heads, TensorView<float, 2, host> logits) {
    index_t const n = q.extent(0);
    index_t const width = q.extent(1);
    index_t const c_per_head = width / heads;
    bool const has_edge = edge_term.size() > 0;
    float const divisor = std::sqrt(static_cast<float>(c_per_head));
    std::int32_t const* off = offsets.data();
    std::int32_t const* src = sources.data();
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 64) if (logits.extent(0) * width >= parallel_min_work)
#endif
    for (index_t i = 0; i < n; ++i) {
      float const* qi = q.row(i);  // [H*C]
      for (index_t p = off[i]; p < off[i + 1]; ++p) {
        float const* kj = k.row(src[p]);                     // [H*C]
        float const* ep = has_edge ? edge_term.row(p) : nullptr;  // [H*C]
        for (int h = 0; h < heads; ++h) {
          index_t const base = h * c_per_head;
          float s = 0.0f;
          if (has_edge) {
            for (index_t c = base; c < base + c_per_head; ++c) s += qi[c] * (kj[c] + ep[c]);
          } else {
            for (index_t c = base; c < base + c_per_head; ++c) s += qi[c] * kj[c];
          }
          logits(p, h) = s / divisor;
        }
      }
    }
  }
};

}  // namespace graphtx::ops::detail
