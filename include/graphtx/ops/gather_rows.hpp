#pragma once
/// \file
/// \brief ops::gather_rows: dst[e, :] = src[rows[e], :] (torch.index_select along dim 0), the
/// gather that lifts node features onto edges (PyG's `x.index_select(0, edge_index[j])`).
///
/// **Example**:
/// \code
/// graphtx::ops::gather_rows(x, src_of_edge, x_j.view());   // [N, F], [E] -> [E, F]
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
struct gather_rows_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::gather_rows has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// dst[e, :] = src[rows[e], :] for e in [0, E).
///
/// - src: [M, F], rows: [E] int32, dst: [E, F]; dst must not overlap src.
/// - The values of `rows` are NOT checked here: ops trust indices that graph/ has validated
///   (Coo/Csr construction checks every index against the node count), because reading them would
///   cost a pass over device memory on every call. An index outside [0, M) is undefined behaviour.
///   ops::reference::gather_rows checks them and throws graph_error.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void gather_rows(std::type_identity_t<TensorView<float const, 2, Space>> src,         // [M, F]
                 std::type_identity_t<TensorView<std::int32_t const, 1, Space>> rows,  // [E]
                 TensorView<float, 2, Space> dst) {                                    // [E, F]
  check_extent("gather_rows", "dst", 0, dst.extent(0), rows.extent(0));  // E
  check_extent("gather_rows", "dst", 1, dst.extent(1), src.extent(1));   // F
  detail::gather_rows_impl<Space>::run(src, rows, dst);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/gather_rows.hpp>
