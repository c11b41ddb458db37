#pragma once
/// \file
/// \brief ops::head_linear: a separate linear map per head, the value projection of the folded
/// TransformerConv with concat=True:
///
///     out[n, h*C + c] = sum_f y[n, h*F + f] * w[h*C + c, f]        (w is lin_value.weight, [H*C, F])
///
/// i.e. H GEMMs [N, F] x [F, C] over strided column blocks, without copying the blocks out.

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
template <class Space>
struct head_linear_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::head_linear has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// y: [N, H*F], w: [H*C, F], out: [N, H*C] (overwritten). out must not overlap y or w.
template <class Space>
void head_linear(std::type_identity_t<TensorView<float const, 2, Space>> y,  // [N, H*F]
                 std::type_identity_t<TensorView<float const, 2, Space>> w,  // [H*C, F]
                 int heads, TensorView<float, 2, Space> out) {               // [N, H*C]
  if (heads <= 0 || w.extent(0) % heads != 0) {
    throw shape_error(graphtx::detail::cat("head_linear: heads = ", heads, " must be positive and divide w's ",
                                           w.extent(0), " rows (H*C)"));
  }
  check_extent("head_linear", "y (H*F, F from w)", 1, y.extent(1), heads * w.extent(1));
  check_extent("head_linear", "out", 0, out.extent(0), y.extent(0));
  check_extent("head_linear", "out (H*C, from w)", 1, out.extent(1), w.extent(0));
  detail::head_linear_impl<Space>::run(y, w, heads, out);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/head_linear.hpp>
