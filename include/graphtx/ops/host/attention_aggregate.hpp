#pragma once
/// \file
/// \brief Host backend of ops::attention_aggregate: destinations split across OpenMP threads; the
/// inner loop over C channels of a head is contiguous and vectorises.

#include <cstdint>
#include <cstring>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct attention_aggregate_impl;

template <>
struct attention_aggregate_impl<host> {
  static constexpr index_t parallel_min_work = index_t{1} << 14;

  static void run(TensorView<float const, 2, host> alpha, TensorView<float const, 2, host> v,
                  TensorView<float const, 2, host> edge_term, TensorView<std::int32_t const, 1, host> offsets,
                  TensorView<std::int32_t const, 1, host> sources, int heads, TensorView<float, 2, host> out) {
    index_t const n = out.extent(0);
    index_t const width = out.extent(1);
    if (n == 0 || width == 0) return;
    index_t const c_per_head = width / heads;
    bool const has_edge = edge_term.size() > 0;
    std::int32_t const* off = offsets.data();
    std::int32_t const* src = sources.data();
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 64) if (alpha.extent(0) * width >= parallel_min_work)
#endif
    for (index_t i = 0; i < n; ++i) {
      float* o = out.row(i);  // [H*C]
      std::memset(o, 0, static_cast<std::size_t>(width) * sizeof(float));
      for (index_t p = off[i]; p < off[i + 1]; ++p) {
        float const* vj = v.row(src[p]);  // [H*C]
        float const* ep = has_edge ? edge_term.row(p) : nullptr;
        for (int h = 0; h < heads; ++h) {
          float const a = alpha(p, h);
          index_t const base = h * c_per_head;
          if (has_edge) {
            for (index_t c = base; c < base + c_per_head; ++c) o[c] += (vj[c] + ep[c]) * a;
          } else {
            for (index_t c = base; c < base + c_per_head; ++c) o[c] += vj[c] * a;
          }
        }
      }
    }
  }
};

}  // namespace graphtx::ops::detail
