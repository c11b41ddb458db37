#pragma once
/// \file
/// \brief ops::scatter_rows: dst[rows[r], :] = src[r, :], the inverse of gather_rows for distinct
/// indices (torch's `dst.index_copy_(0, rows, src)`). TransformerConv's host folded path computes
/// the rows of one in-degree class compactly and puts them back into the [N_dst, out] output.
///
/// **Example**:
/// \code
/// graphtx::ops::scatter_rows(out_multi, multi_rows, out.view());   // [M, F], [M] -> rows of [N, F]
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
struct scatter_rows_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::scatter_rows has no implementation for this Space (host only so far)");
};
}  // namespace detail

/// dst[rows[r], :] = src[r, :] for r in [0, M); the other rows of dst keep their values.
///
/// - src: [M, F], rows: [M] int32, distinct, in [0, N); dst: [N, F]; dst must not overlap src.
/// - The values of `rows` are NOT checked here (the caller builds them from a validated graph);
///   an index outside [0, N) is undefined behaviour, and with a repeated index the row that lands
///   is unspecified. ops::reference::scatter_rows checks both and throws graph_error.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void scatter_rows(std::type_identity_t<TensorView<float const, 2, Space>> src,         // [M, F]
                  std::type_identity_t<TensorView<std::int32_t const, 1, Space>> rows,  // [M]
                  TensorView<float, 2, Space> dst) {                                    // [N, F]
  check_extent("scatter_rows", "src", 0, src.extent(0), rows.extent(0));  // M
  check_extent("scatter_rows", "dst", 1, dst.extent(1), src.extent(1));   // F
  detail::scatter_rows_impl<Space>::run(src, rows, dst);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/scatter_rows.hpp>
