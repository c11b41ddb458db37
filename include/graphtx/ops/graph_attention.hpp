#pragma once
/// \file
/// \brief ops::graph_attention: the attention core of torch.nn.MultiheadAttention applied to each
/// graph of a batch, as PyG's GPSConv runs it (to_dense_batch, then self.attn(h, h, h,
/// key_padding_mask=~mask)): a node attends to every node of its own graph and to no other. For
/// node i of graph g and head h (d = E / H, columns h*d .. (h+1)*d-1 of q, k, v, out):
///
///     s_ij = (q_i^h * sqrt(1/d)) . k_j^h                          for j in graph g
///     out[i, h*d:(h+1)*d] = sum_j softmax_j(s_ij) v_j^h           (softmax max-subtracted)
///
/// q, k, v are the outputs of the in-projection (in_proj_weight / in_proj_bias) and out is the
/// input of out_proj: both projections are plain linear layers the caller runs. The padded
/// positions of to_dense_batch are masked to -inf by torch, so they get weight 0: the result per
/// node is exactly the attention over its graph's n_g nodes, and the cost is O(sum_g n_g^2 E),
/// never O(N^2). A graph of one node attends to itself (out = v).
///
/// Where the scaling happens: torch's multi_head_attention_forward with need_weights=True computes
/// `q_scaled = q * math.sqrt(1.0 / float(head_dim))`, then bmm(q_scaled, k^T) (baddbmm with the
/// mask), softmax, bmm with v. That is what every backend here computes, in float: the factor
/// rounded to float, q scaled elementwise, then the dot product. GPSConv passes need_weights=False,
/// which in torch >= 2.0 goes to scaled_dot_product_attention; its kernels (math, flash,
/// memory-efficient; CPU or CUDA) each apply the same 1/sqrt(d) at their own place (to q, to
/// q and k, or to the dot product), so they differ from each other and from this by O(u) in the
/// logits. Dropout on the attention weights is training-only and not applied.
///
/// **Example**:
/// \code
/// graphtx::ops::graph_attention(q, k, v, batch.ptr, heads, attn.view());   // [N, E] x3 -> [N, E]
/// \endcode

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct graph_attention_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::graph_attention has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// Per-graph multi-head softmax attention (see the file comment for the formula).
///
/// - q, k, v: [N, E] with E = heads * d, ptr: [G+1] int32 (graph g owns nodes ptr[g] .. ptr[g+1]-1),
///   out: [N, E] (overwritten for every node of every graph; rows outside every graph are not
///   written). out must not overlap q, k or v.
/// - Deterministic for any thread count: each (node, head) is computed by one thread, keys in node
///   order.
/// - `ptr` values are trusted (validated by graph/): non-decreasing, in [0, N].
///   ops::reference::graph_attention checks them.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void graph_attention(std::type_identity_t<TensorView<float const, 2, Space>> q,             // [N, E]
                     std::type_identity_t<TensorView<float const, 2, Space>> k,             // [N, E]
                     std::type_identity_t<TensorView<float const, 2, Space>> v,             // [N, E]
                     std::type_identity_t<TensorView<std::int32_t const, 1, Space>> ptr,    // [G+1]
                     int heads, TensorView<float, 2, Space> out) {                         // [N, E]
  if (heads <= 0) throw shape_error(graphtx::detail::cat("graph_attention: heads = ", heads, " must be positive"));
  if (q.extent(1) % heads != 0) {
    throw shape_error(graphtx::detail::cat("graph_attention: q has ", q.extent(1), " columns, not a multiple of heads = ",
                                           heads, " (E = heads * head_dim)"));
  }
  if (ptr.extent(0) < 1) throw shape_error("graph_attention: ptr has extent 0 in dim 0, expected G+1 >= 1");
  check_extent("graph_attention", "k (N, from q)", 0, k.extent(0), q.extent(0));
  check_extent("graph_attention", "k (E, from q)", 1, k.extent(1), q.extent(1));
  check_extent("graph_attention", "v (N, from q)", 0, v.extent(0), q.extent(0));
  check_extent("graph_attention", "v (E, from q)", 1, v.extent(1), q.extent(1));
  check_extent("graph_attention", "out (N, from q)", 0, out.extent(0), q.extent(0));
  check_extent("graph_attention", "out (E, from q)", 1, out.extent(1), q.extent(1));
  detail::graph_attention_impl<Space>::run(q, k, v, ptr, heads, out);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/graph_attention.hpp>
