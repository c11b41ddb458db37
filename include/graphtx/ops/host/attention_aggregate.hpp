#pragma once
/// \file
/// \brief Host backend of ops::attention_aggregate. Included by <graphtx/ops/attention_aggregate.hpp>;
/// call ops::attention_aggregate.
///
/// Destinations split across OpenMP threads; a destination's output row stays in cache while its
/// edges stream by. The inner loop runs over the C contiguous channels of one head with a scalar
/// alpha[p, h], an elementwise multiply-add that vectorises without reordering any sum.

#include <cstdint>
#include <cstring>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct attention_aggregate_impl;

template <>
struct attention_aggregate_impl<host> {
  /// Below this many multiply-adds (E * H*C) the loop runs on one thread.
  static constexpr index_t parallel_min_work = index_t{1} << 15;

  template <bool HasEdge>
  static void run_impl(TensorView<float const, 2, host> alpha, TensorView<float const, 2, host> v,
                       TensorView<float const, 2, host> edge_term, TensorView<std::int32_t const, 1, host> offsets,
                       TensorView<std::int32_t const, 1, host> sources, index_t heads,
                       TensorView<float, 2, host> out) {
    index_t const n = out.extent(0);
    index_t const width = out.extent(1);
    index_t const c_per_head = width / heads;
    std::int32_t const* off = offsets.data();
    std::int32_t const* src = sources.data();
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 32) if (alpha.extent(0) * width >= parallel_min_work)
#endif
    for (index_t i = 0; i < n; ++i) {
      float* o = out.row(i);  // [H*C]
      // +0 then add, as PyG's new_zeros(...).scatter_add_: a node without in-edges stays exactly 0.
      std::memset(o, 0, static_cast<std::size_t>(width) * sizeof(float));
      for (index_t p = off[i]; p < off[i + 1]; ++p) {
        float const* vj = v.row(src[p]);                         // [H*C]
        float const* ep = HasEdge ? edge_term.row(p) : nullptr;  // [H*C]
        float const* ap = alpha.row(p);                          // [H]
        for (index_t h = 0; h < heads; ++h) {
          float const a = ap[h];
          index_t const base = h * c_per_head;
          for (index_t c = base; c < base + c_per_head; ++c) {
            float const value = HasEdge ? vj[c] + ep[c] : vj[c];  // value_j + edge term, rounded first
            o[c] += value * a;
          }
        }
      }
    }
  }

  /// Shapes were checked by ops::attention_aggregate; offsets and sources are trusted (graph/).
  /// Deterministic: one thread sums a destination, edges in CSR order.
  static void run(TensorView<float const, 2, host> alpha,             // [E, H]
                  TensorView<float const, 2, host> v,                 // [N_src, H*C]
                  TensorView<float const, 2, host> edge_term,         // [E, H*C] or [0, 0]
                  TensorView<std::int32_t const, 1, host> offsets,    // [N_dst+1]
                  TensorView<std::int32_t const, 1, host> sources,    // [E]
                  int heads, TensorView<float, 2, host> out) {        // [N_dst, H*C]
    if (out.extent(0) == 0 || out.extent(1) == 0) return;
    if (edge_term.extent(0) != 0 || edge_term.extent(1) != 0) {
      run_impl<true>(alpha, v, edge_term, offsets, sources, heads, out);
    } else {
      run_impl<false>(alpha, v, edge_term, offsets, sources, heads, out);
    }
  }
};

}  // namespace graphtx::ops::detail
