#pragma once
/// \file
/// \brief ops::attention_aggregate: TransformerConv's weighted sum of messages per destination,
///
///     out[i, h*C + c] = sum_{p in seg(i)} (v[j, h*C + c] + edge_term[p, h*C + c]) * alpha[p, h]
///
/// in CSR (= PyG's edge) order within each destination; zero for nodes without in-edges (PyG's
/// aggr='add' of no messages).

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/attention_scores.hpp>

namespace graphtx::ops {

namespace detail {
template <class Space>
struct attention_aggregate_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::attention_aggregate has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// - alpha: [E, H], v: [N_src, H*C], edge_term: [E, H*C] in CSR order or an empty view,
///   offsets: [N_dst+1], sources: [E] (trusted), out: [N_dst, H*C] (overwritten).
/// - Deterministic for any thread count: a destination is summed by one thread, edges in order.
template <class Space>
void attention_aggregate(std::type_identity_t<TensorView<float const, 2, Space>> alpha,        // [E, H]
                         std::type_identity_t<TensorView<float const, 2, Space>> v,            // [N_src, H*C]
                         std::type_identity_t<TensorView<float const, 2, Space>> edge_term,    // [E, H*C] or empty
                         std::type_identity_t<TensorView<std::int32_t const, 1, Space>> offsets,  // [N_dst+1]
                         std::type_identity_t<TensorView<std::int32_t const, 1, Space>> sources,  // [E]
                         int heads, TensorView<float, 2, Space> out) {                            // [N_dst, H*C]
  check_extent("attention_aggregate", "offsets", 0, offsets.extent(0), out.extent(0) + 1);
  check_extent("attention_aggregate", "alpha", 1, alpha.extent(1), heads);
  detail::check_attention_shapes("attention_aggregate", out.extent(1), heads, out.extent(1), "out", v.extent(1), "v",
                                 edge_term.extent(0), edge_term.extent(1), alpha.extent(0), sources.extent(0));
  detail::attention_aggregate_impl<Space>::run(alpha, v, edge_term, offsets, sources, heads, out);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/attention_aggregate.hpp>
