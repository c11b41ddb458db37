#pragma once
/// \file
/// \brief ops::folded_attention: TransformerConv's whole edge phase in input space, fused per
/// destination node (docs/folded_attention.md, The algorithm):
///
///     logit_p^h = ((Qt[i, h*F:(h+1)*F] + u[h*F:(h+1)*F]) . x_src[j]) / divisor   for edge p = (j -> i)
///     alpha_p^h = exp(logit_p^h - max) / (sum exp + 1e-16)            (PyG's softmax per i and h)
///     Y[i, h*F + f] = sum_p alpha_p^h x_src[j, f]
///
/// where Qt = x_dst A holds the folded queries (A_h = Wq_h^T Wk_h) and u_h = Wk_h^T bq_h their bias,
/// added here rather than written into the [N, H*F] GEMM output (that would cost one more pass over
/// the largest tensor of the layer). The
/// keys, values and the [E, H*C] message tensors of the textbook path never exist. The caller
/// multiplies Y by the value weights afterwards (one GEMM).

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
template <class Space>
struct folded_attention_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::folded_attention has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// - qt: [N_dst, H*F] folded queries, qt_bias: [H*F] or an empty view, x_src: [N_src, F], offsets: [N_dst+1], sources: [E] (trusted:
///   validated by graph/), divisor: sqrt(C) of the layer (PyG divides the logits by sqrt(out_channels)),
///   y: [N_dst, H*F] (overwritten; zero rows for nodes without in-edges).
/// - Deterministic for any thread count: one destination is handled by one thread, edges in order.
template <class Space>
void folded_attention(std::type_identity_t<TensorView<float const, 2, Space>> qt,                // [N_dst, H*F]
                      std::type_identity_t<TensorView<float const, 1, Space>> qt_bias,           // [H*F] or [0]
                      std::type_identity_t<TensorView<float const, 2, Space>> x_src,             // [N_src, F]
                      std::type_identity_t<TensorView<std::int32_t const, 1, Space>> offsets,    // [N_dst+1]
                      std::type_identity_t<TensorView<std::int32_t const, 1, Space>> sources,    // [E]
                      int heads, float divisor, TensorView<float, 2, Space> y) {                 // [N_dst, H*F]
  if (heads <= 0) throw shape_error(graphtx::detail::cat("folded_attention: heads = ", heads, " must be positive"));
  check_extent("folded_attention", "qt (H*F, F from x_src)", 1, qt.extent(1), heads * x_src.extent(1));
  check_extent("folded_attention", "offsets (N_dst+1)", 0, offsets.extent(0), qt.extent(0) + 1);
  if (qt_bias.extent(0) != 0) check_extent("folded_attention", "qt_bias (H*F)", 0, qt_bias.extent(0), qt.extent(1));
  check_extent("folded_attention", "y", 0, y.extent(0), qt.extent(0));
  check_extent("folded_attention", "y", 1, y.extent(1), qt.extent(1));
  if (!(divisor > 0.0f)) {
    throw shape_error(graphtx::detail::cat("folded_attention: divisor ", divisor, " must be positive (sqrt(C))"));
  }
  detail::folded_attention_impl<Space>::run(qt, qt_bias, x_src, offsets, sources, heads, divisor, y);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/folded_attention.hpp>
