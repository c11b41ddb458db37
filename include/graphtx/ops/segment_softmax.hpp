#pragma once
/// \file
/// \brief ops::segment_softmax: PyG's `torch_geometric.utils.softmax` over the incoming edges of
/// each destination node, per head (docs/pyg_semantics.md, Softmax):
///
///     m[i, h]     = max_{q in seg(i)} logits[q, h]                      the true maximum, not max(0, .)
///     alpha[p, h] = exp(logits[p, h] - m[i, h]) / (sum_{q in seg(i)} exp(logits[q, h] - m[i, h]) + 1e-16f)
///
/// for every CSR position p in seg(i) = [offsets[i], offsets[i+1]). The epsilon is added to the sum
/// in fp32, as PyG adds the fp32 scalar 1e-16 to `out_sum`; since the largest term is exp(0) = 1
/// it never changes a finite result. Non-finite logits behave as in PyG: a +inf logit makes its
/// segment NaN (inf - inf), a segment of only -inf logits is NaN (-inf - -inf), and a NaN logit
/// makes its segment NaN (through the sum). Empty segments (isolated nodes) produce nothing.
///
/// **Example**:
/// \code
/// graphtx::Tensor<float, 2> scores({csr.num_edges(), heads});                   // [E, H]
/// graphtx::ops::segment_softmax(scores.cview(), csr.offsets.cview(), scores.view());  // in place
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
struct segment_softmax_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::segment_softmax has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// Softmax of `logits` within each CSR segment (the in-edges of one destination), per column (head).
///
/// - logits: [E, H] in CSR order; offsets: [N+1] int32; alpha: [E, H] (written at every row that
///   lies in some segment, i.e. all of them for a well-formed CSR).
/// - alpha may be the same memory as logits (in place); partial overlap is not allowed.
/// - offsets are trusted: graph/ validated them (offsets[0] = 0, non-decreasing, offsets[N] = E)
///   when it built the Csr, so they are not read here; bad offsets are undefined behaviour.
///   ops::reference::segment_softmax checks them and throws graph_error.
/// - Deterministic for any thread count: one thread reduces a (node, head), edges in CSR order.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void segment_softmax(std::type_identity_t<TensorView<float const, 2, Space>> logits,       // [E, H]
                     std::type_identity_t<TensorView<std::int32_t const, 1, Space>> offsets,  // [N+1]
                     TensorView<float, 2, Space> alpha) {                                     // [E, H]
  if (offsets.extent(0) < 1) {
    throw shape_error(graphtx::detail::cat("segment_softmax: offsets has extent ", offsets.extent(0),
                                           " in dim 0, expected at least 1 (N+1)"));
  }
  check_extent("segment_softmax", "alpha", 0, alpha.extent(0), logits.extent(0));  // E
  check_extent("segment_softmax", "alpha", 1, alpha.extent(1), logits.extent(1));  // H
  detail::segment_softmax_impl<Space>::run(logits, offsets, alpha);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/segment_softmax.hpp>
