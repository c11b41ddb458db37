#pragma once
/// \file
/// \brief ops::attention_scores: TransformerConv's per-edge, per-head logits
///
///     logits[p, h] = (sum_c q[i, h*C + c] * (k[j, h*C + c] + edge_term[p, h*C + c])) / sqrt(C)
///
/// for CSR position p of destination i with source j. PyG computes `(query_i * key_j).sum(-1) /
/// math.sqrt(out_channels)`: the key plus the edge term first, the product, the sum over c in fp32,
/// then a division by sqrt(C) (not a multiplication by its inverse), which graphtx follows.

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
template <class Space>
struct attention_scores_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::attention_scores has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};

/// Shared shape checks of the two edge-attention ops.
inline void check_attention_shapes(char const* op, index_t width, int heads, index_t q_or_out_cols,
                                   char const* q_or_out, index_t kv_cols, char const* kv, index_t edge_rows,
                                   index_t edge_cols, index_t num_edges, index_t sources_len) {
  if (heads <= 0 || width % heads != 0) {
    throw shape_error(graphtx::detail::cat(op, ": heads = ", heads, " must be positive and divide the width ",
                                           width, " (H*C)"));
  }
  check_extent(op, q_or_out, 1, q_or_out_cols, width);
  check_extent(op, kv, 1, kv_cols, width);
  check_extent(op, "sources", 0, sources_len, num_edges);
  if (edge_rows != 0 || edge_cols != 0) {  // an empty view means "no edge features"
    check_extent(op, "edge_term", 0, edge_rows, num_edges);
    check_extent(op, "edge_term", 1, edge_cols, width);
  }
}
}  // namespace detail

/// Per-edge attention logits in CSR order.
///
/// - q: [N_dst, H*C], k: [N_src, H*C], edge_term: [E, H*C] in CSR order or an empty view (no edge
///   features), offsets: [N_dst+1], sources: [E] int32 (both trusted: validated by graph/),
///   logits: [E, H].
template <class Space>
void attention_scores(std::type_identity_t<TensorView<float const, 2, Space>> q,              // [N_dst, H*C]
                      std::type_identity_t<TensorView<float const, 2, Space>> k,              // [N_src, H*C]
                      std::type_identity_t<TensorView<float const, 2, Space>> edge_term,      // [E, H*C] or empty
                      std::type_identity_t<TensorView<std::int32_t const, 1, Space>> offsets,  // [N_dst+1]
                      std::type_identity_t<TensorView<std::int32_t const, 1, Space>> sources,  // [E]
                      int heads, TensorView<float, 2, Space> logits) {                         // [E, H]
  check_extent("attention_scores", "offsets", 0, offsets.extent(0), q.extent(0) + 1);
  check_extent("attention_scores", "logits", 1, logits.extent(1), heads);
  detail::check_attention_shapes("attention_scores", q.extent(1), heads, q.extent(1), "q", k.extent(1), "k",
                                 edge_term.extent(0), edge_term.extent(1), logits.extent(0), sources.extent(0));
  detail::attention_scores_impl<Space>::run(q, k, edge_term, offsets, sources, heads, logits);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/attention_scores.hpp>
