#pragma once
/// \file
/// \brief ops::linear: y = x W^T + b (torch.nn.functional.linear), the one GEMM every layer uses.
///
/// Front door: checks shapes on the host and forwards to `detail::linear_impl<Space>`. The host
/// implementation (OpenBLAS sgemm) is included at the end of this header; the textbook oracle is
/// <graphtx/ops/reference/linear.hpp>.
///
/// **Example**:
/// \code
/// graphtx::Tensor<float, 2> x({7170, 9}), w({256, 9}), y({7170, 256});
/// graphtx::Tensor<float, 1> b({256});
/// graphtx::ops::linear(x, w, b, y.view());           // y = x w^T + b               [N, out]
/// graphtx::ops::linear(x, w, {}, y.view(), true);    // y += x w^T (no bias)        [N, out]
/// \endcode

#include <functional>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct linear_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::linear has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};

/// True when the byte ranges of two views intersect (pointer comparison only: no dereference, so it
/// is valid for views of any space).
template <class A, class B>
bool views_overlap(A const& a, B const& b) {
  if (a.empty() || b.empty()) return false;
  auto const* a0 = reinterpret_cast<unsigned char const*>(a.data());
  auto const* b0 = reinterpret_cast<unsigned char const*>(b.data());
  std::less<unsigned char const*> lt;
  return lt(a0, b0 + b.size_bytes()) && lt(b0, a0 + a.size_bytes());
}
}  // namespace detail

/// y = x w^T + b, or y += x w^T + b when `accumulate` (torch.nn.functional.linear, weight in torch's
/// [out, in] layout).
///
/// - x: [N, in], w: [out, in], b: [out] or an empty view (no bias), y: [N, out].
/// - N == 0 and in == 0 are valid (in == 0 gives y = b, or y += b).
/// - y must not overlap x, w or b (GEMM writes y while it still reads them).
///
/// The inputs are non-deduced: Tensors and non-const views convert; `Space` comes from `y`.
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void linear(std::type_identity_t<TensorView<float const, 2, Space>> x,  // [N, in]
            std::type_identity_t<TensorView<float const, 2, Space>> w,  // [out, in]
            std::type_identity_t<TensorView<float const, 1, Space>> b,  // [out] or [0]
            TensorView<float, 2, Space> y,                               // [N, out]
            bool accumulate = false) {
  check_extent("linear", "w", 1, w.extent(1), x.extent(1));  // w: [out, in] with in from x
  if (b.extent(0) != 0 && b.extent(0) != w.extent(0)) {
    throw shape_error(graphtx::detail::cat("linear: b has extent ", b.extent(0), " in dim 0, expected ",
                                           w.extent(0), " (out, from w) or 0 (no bias)"));
  }
  check_extent("linear", "y", 0, y.extent(0), x.extent(0));  // N
  check_extent("linear", "y", 1, y.extent(1), w.extent(0));  // out
  if (detail::views_overlap(y, x) || detail::views_overlap(y, w) || detail::views_overlap(y, b)) {
    throw shape_error("linear: y overlaps an input (x, w or b); the output must be a separate tensor");
  }
  detail::linear_impl<Space>::run(x, w, b, y, accumulate);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/linear.hpp>
