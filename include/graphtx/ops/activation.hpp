#pragma once
/// \file
/// \brief ops::relu: y = max(x, 0) with NaN propagated, as torch.relu (clamp_min) does.
///
/// **Example**:
/// \code
/// graphtx::ops::relu(x, x.view());   // in place, [N, F]
/// \endcode

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct relu_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::relu has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// y = relu(x) elementwise: negative values become 0, NaN stays NaN (torch semantics; a plain
/// `std::max(x, 0)` or `maxss` would turn NaN into 0 or keep it depending on operand order).
///
/// - x, y: [N, F]; y may be x itself (in place).
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void relu(std::type_identity_t<TensorView<float const, 2, Space>> x,  // [N, F]
          TensorView<float, 2, Space> y) {                             // [N, F]
  check_extent("relu", "y", 0, y.extent(0), x.extent(0));
  check_extent("relu", "y", 1, y.extent(1), x.extent(1));
  detail::relu_impl<Space>::run(x, y);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/activation.hpp>
