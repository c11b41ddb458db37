#pragma once
/// \file
/// \brief ops::attention_aggregate: TransformerConv's attention-weighted sum of messages per
/// destination (PyG's `message` followed by aggr='add', docs/pyg_semantics.md, TransformerConv: forward):
///
///     out[i, h*C + c] = sum_{p in seg(i)} (v[j, h*C + c] + edge_term[p, h*C + c]) * alpha[p, h]
///
/// for CSR positions p of destination i with source j = sources[p], summed in CSR order (PyG's
/// edge order within a destination) starting from +0, so a node without in-edges gets exactly 0
/// (PyG's `new_zeros(...).scatter_add_` of no messages).
///
/// **Example**:
/// \code
/// graphtx::ops::attention_aggregate(alpha.cview(), v.cview(), {}, csr.offsets.cview(), csr.sources.cview(),
///                                   heads, agg.view());   // [E, H], [N_src, H*C] -> [N_dst, H*C]
/// \endcode

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/attention_scores.hpp>  // detail::attention shape checks

namespace graphtx::ops {

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct attention_aggregate_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::attention_aggregate has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// Weighted sum of the value rows (plus edge terms) over each destination's in-edges.
///
/// - alpha: [E, H] in CSR order (segment_softmax's output); v: [N_src, H*C]; edge_term: [E, H*C]
///   in CSR order, or a [0, 0] view such as `{}` for no edge features; offsets: [N_dst+1] and
///   sources: [E] int32; out: [N_dst, H*C] (overwritten; must not overlap any input).
/// - offsets and sources are trusted: graph/ validated them when it built the Csr, so they are not
///   checked here; bad ones are undefined behaviour. ops::reference::attention_aggregate checks
///   them and throws graph_error.
/// - Deterministic for any thread count: one thread sums a destination, edges in CSR order.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents, or the
/// heads count when it is not positive or does not divide H*C.
template <class Space>
void attention_aggregate(std::type_identity_t<TensorView<float const, 2, Space>> alpha,          // [E, H]
                         std::type_identity_t<TensorView<float const, 2, Space>> v,              // [N_src, H*C]
                         std::type_identity_t<TensorView<float const, 2, Space>> edge_term,      // [E, H*C] or [0, 0]
                         std::type_identity_t<TensorView<std::int32_t const, 1, Space>> offsets,  // [N_dst+1]
                         std::type_identity_t<TensorView<std::int32_t const, 1, Space>> sources,  // [E]
                         int heads, TensorView<float, 2, Space> out) {                            // [N_dst, H*C]
  namespace chk = detail::attention;
  char const* op = "attention_aggregate";
  index_t const width = out.extent(1);  // H*C
  index_t const num_edges = alpha.extent(0);
  chk::check_heads(op, heads, "out", width);
  chk::check_dim(op, "v", 1, v.extent(1), width, "H*C, as out");
  chk::check_dim(op, "offsets", 0, offsets.extent(0), out.extent(0) + 1, "N_dst+1, from out");
  chk::check_dim(op, "alpha", 1, alpha.extent(1), heads, "heads");
  chk::check_dim(op, "sources", 0, sources.extent(0), num_edges, "E, from alpha");
  chk::check_edge_term(op, edge_term.extent(0), edge_term.extent(1), num_edges, width);
  detail::attention_aggregate_impl<Space>::run(alpha, v, edge_term, offsets, sources, heads, out);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/attention_aggregate.hpp>
