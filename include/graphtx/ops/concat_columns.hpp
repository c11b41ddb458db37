#pragma once
/// \file
/// \brief ops::concat_columns: y[:, offset : offset + F] = x, one block of `torch.cat([a, b, ...],
/// dim=-1)` (feature concatenation, e.g. `torch.cat([global_mean_pool(x), global_max_pool(x)], -1)`).
/// Called once per block with the running column offset, it writes the whole concatenation.
///
/// **Example**:
/// \code
/// graphtx::ops::concat_columns(a, 0, y.view());             // [R, 3] into columns 0..2 of [R, 7]
/// graphtx::ops::concat_columns(b, 3, y.view());             // [R, 4] into columns 3..6
/// \endcode

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct concat_columns_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::concat_columns has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// y[r, offset + c] = x[r, c] for r in [0, R), c in [0, F); the other columns of y are untouched.
///
/// - x: [R, F], y: [R, W] with 0 <= offset and offset + F <= W; y must not overlap x. A copy: the
///   values are bitwise those of x (NaN payloads, -0.0 and infinities kept).
///
/// Throws shape_error when the rows differ or the block does not fit, naming both extents.
template <class Space>
void concat_columns(std::type_identity_t<TensorView<float const, 2, Space>> x,  // [R, F]
                    index_t offset,
                    TensorView<float, 2, Space> y) {  // [R, W]
  check_extent("concat_columns", "y (rows of x)", 0, y.extent(0), x.extent(0));
  if (offset < 0 || offset + x.extent(1) > y.extent(1)) {
    throw shape_error(graphtx::detail::cat("concat_columns: columns [", offset, ", ", offset + x.extent(1),
                                           ") of x (F = ", x.extent(1), " at offset ", offset,
                                           ") do not fit in y of ", y.extent(1), " columns"));
  }
  if (x.extent(0) == 0 || x.extent(1) == 0) return;
  detail::concat_columns_impl<Space>::run(x, offset, y);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/concat_columns.hpp>
