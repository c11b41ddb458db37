#pragma once
/// \file
/// \brief ops::segment_sum: out[i, :] = sum of values[offsets[i] .. offsets[i+1]-1, :], the CSR form
/// of PyG's sum aggregation (torch_scatter.segment_csr(reduce="sum")).
///
/// **Example**:
/// \code
/// // Messages sorted by destination (CSR), offsets = row pointer of the Csr.
/// graphtx::ops::segment_sum(messages, csr_offsets, agg.view());   // [E, F], [N+1] -> [N, F]
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
struct segment_sum_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::segment_sum has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// out[i, :] = values[offsets[i], :] + values[offsets[i]+1, :] + ... (rows in order); an empty
/// segment gives 0. `out` is overwritten.
///
/// - values: [E, F] in CSR order, offsets: [N+1] int32, out: [N, F].
/// - Deterministic: each segment is summed in row order by one thread, so the result does not
///   depend on the thread count.
/// - The values of `offsets` are NOT checked: ops trust offsets validated by graph/ (non-decreasing,
///   within [0, E]). Anything else is undefined behaviour; ops::reference::segment_sum checks and
///   throws graph_error.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void segment_sum(std::type_identity_t<TensorView<float const, 2, Space>> values,          // [E, F]
                 std::type_identity_t<TensorView<std::int32_t const, 1, Space>> offsets,  // [N+1]
                 TensorView<float, 2, Space> out) {                                       // [N, F]
  if (offsets.extent(0) != out.extent(0) + 1) {
    throw shape_error(graphtx::detail::cat("segment_sum: offsets has extent ", offsets.extent(0),
                                           " in dim 0, expected ", out.extent(0) + 1, " (N+1, N from out)"));
  }
  check_extent("segment_sum", "out", 1, out.extent(1), values.extent(1));  // F
  detail::segment_sum_impl<Space>::run(values, offsets, out);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/segment_sum.hpp>
