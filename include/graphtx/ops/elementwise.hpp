#pragma once
/// \file
/// \brief Elementwise helpers of TransformerConv: ops::add (the root-weight skip term,
/// out += lin_skip(x)) and ops::head_mean (concat=False: the mean over heads).
///
/// **Example**:
/// \code
/// graphtx::ops::head_mean(agg, 32, out.view());          // [N, 32*256] -> [N, 256]
/// graphtx::ops::add(out, skip, out.view());              // out = out + skip, in place
/// \endcode

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct add_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::add has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct head_mean_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::head_mean has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// y = a + b elementwise. a, b, y: [N, F]; y may be a or b (in place).
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void add(std::type_identity_t<TensorView<float const, 2, Space>> a,  // [N, F]
         std::type_identity_t<TensorView<float const, 2, Space>> b,  // [N, F]
         TensorView<float, 2, Space> y) {                             // [N, F]
  check_extent("add", "b", 0, b.extent(0), a.extent(0));
  check_extent("add", "b", 1, b.extent(1), a.extent(1));
  check_extent("add", "y", 0, y.extent(0), a.extent(0));
  check_extent("add", "y", 1, y.extent(1), a.extent(1));
  detail::add_impl<Space>::run(a, b, y);
}

/// Mean over heads (PyG TransformerConv with concat=False: `out.mean(dim=1)` on [N, H, C]):
/// y[n, c] = (x[n, 0*C + c] + x[n, 1*C + c] + ... + x[n, (H-1)*C + c]) / H, summed in head order.
///
/// - x: [N, H*C] (heads major, as PyG's view(-1, H, C)), heads = H > 0, y: [N, C].
///
/// Throws shape_error when heads <= 0 or an extent is wrong, naming the tensor and both values.
template <class Space>
void head_mean(std::type_identity_t<TensorView<float const, 2, Space>> x,  // [N, H*C]
               int heads,
               TensorView<float, 2, Space> y) {  // [N, C]
  if (heads <= 0) {
    throw shape_error(graphtx::detail::cat("head_mean: heads is ", heads, ", expected a positive count"));
  }
  check_extent("head_mean", "y", 0, y.extent(0), x.extent(0));  // N
  if (x.extent(1) != index_t{heads} * y.extent(1)) {
    throw shape_error(graphtx::detail::cat("head_mean: x has extent ", x.extent(1), " in dim 1, expected ",
                                           index_t{heads} * y.extent(1), " (heads ", heads, " x C ", y.extent(1),
                                           ", C from y)"));
  }
  detail::head_mean_impl<Space>::run(x, heads, y);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/elementwise.hpp>
