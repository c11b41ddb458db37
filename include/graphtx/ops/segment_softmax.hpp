#pragma once
/// \file
/// \brief ops::segment_softmax: PyG's `torch_geometric.utils.softmax` over the incoming edges of
/// each destination node, per head (PYG_SPEC.md §1.3):
///
///     alpha[p, h] = exp(logits[p, h] - max_{q in seg(i)} logits[q, h]) / (sum_{q in seg(i)} exp(...) + 1e-16)
///
/// with the true per-(node, head) maximum subtracted and the epsilon added to the sum in fp32.
/// A logit of +inf gives NaN (inf - inf), as in PyG.

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
template <class Space>
struct segment_softmax_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::segment_softmax has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// Softmax of `logits` within each CSR segment, per column (head).
///
/// - logits: [E, H] in CSR order, offsets: [N+1] int32 (trusted: validated by graph/), alpha: [E, H].
/// - alpha may be logits (in place). Deterministic for any thread count.
template <class Space>
void segment_softmax(std::type_identity_t<TensorView<float const, 2, Space>> logits,       // [E, H]
                     std::type_identity_t<TensorView<std::int32_t const, 1, Space>> offsets,  // [N+1]
                     TensorView<float, 2, Space> alpha) {                                     // [E, H]
  if (offsets.extent(0) < 1) {
    throw shape_error("segment_softmax: offsets has extent 0 in dim 0, expected N+1 >= 1");
  }
  check_extent("segment_softmax", "alpha", 0, alpha.extent(0), logits.extent(0));  // E
  check_extent("segment_softmax", "alpha", 1, alpha.extent(1), logits.extent(1));  // H
  detail::segment_softmax_impl<Space>::run(logits, offsets, alpha);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/segment_softmax.hpp>
