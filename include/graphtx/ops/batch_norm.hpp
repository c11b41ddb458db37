#pragma once
/// \file
/// \brief ops::batch_norm: torch.nn.BatchNorm1d over [N, C] in eval mode (running statistics):
/// y = (x - running_mean) / sqrt(running_var + eps) * weight + bias, with PyTorch CPU's arithmetic.
///
/// **Example**:
/// \code
/// graphtx::ops::batch_norm(x, mean, var, weight, bias, 1e-5f, x.view());   // in place, [N, C]
/// graphtx::ops::batch_norm(x, mean, var, {}, {}, 1e-5f, y.view());         // affine=False
/// \endcode

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct batch_norm_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::batch_norm has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};

/// An optional per-channel parameter is either empty (absent) or [C].
inline void check_optional_channel_param(char const* what, index_t extent, index_t channels) {
  if (extent != 0 && extent != channels) {
    throw shape_error(graphtx::detail::cat("batch_norm: ", what, " has extent ", extent, " in dim 0, expected ",
                                           channels, " (x's C), or an empty view for affine=False"));
  }
}
}  // namespace detail

/// BatchNorm1d(C, eps, affine, track_running_stats=True).eval() on x: [N, C]:
///
///     invstd[c] = 1 / sqrt(running_var[c] + eps)
///     alpha[c]  = invstd[c] * weight[c]                  (weight 1 when absent)
///     beta[c]   = bias[c] - running_mean[c] * alpha[c]   (bias 0 when absent)
///     y[n, c]   = x[n, c] * alpha[c] + beta[c]
///
/// which is what PyTorch's CPU kernel computes, in float, in this order
/// (batch_norm_cpu_collect_linear_and_constant_terms and batch_norm_cpu_contiguous_impl in
/// aten/src/ATen/native/cpu/batch_norm_kernel.cpp; torch casts its double eps to float before the
/// add, so pass float(eps)). The host backend reproduces it bitwise when the multiply and add are
/// not fused (graphtx's host build targets the x86-64 baseline, which has no FMA); the CUDA
/// backend uses round-to-nearest intrinsics so that nvcc cannot fuse them either, and matches the
/// host bitwise. (PyTorch's own CUDA kernel computes (x - mean) * invstd * weight + bias instead,
/// so it differs from its CPU result by a few ulp.)
///
/// - x: [N, C], running_mean: [C], running_var: [C], y: [N, C]. y may be x itself (in place);
///   partial overlap is not allowed.
/// - weight, bias: [C] each, or an empty view (extent 0, e.g. `{}`) when absent (affine=False;
///   torch allows either one alone too).
/// - Nothing is checked about the values: a negative running_var gives NaN, as in torch.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void batch_norm(std::type_identity_t<TensorView<float const, 2, Space>> x,             // [N, C]
                std::type_identity_t<TensorView<float const, 1, Space>> running_mean,  // [C]
                std::type_identity_t<TensorView<float const, 1, Space>> running_var,   // [C]
                std::type_identity_t<TensorView<float const, 1, Space>> weight,        // [C] or empty
                std::type_identity_t<TensorView<float const, 1, Space>> bias,          // [C] or empty
                float eps,
                TensorView<float, 2, Space> y) {  // [N, C]
  index_t const c = x.extent(1);
  check_extent("batch_norm", "running_mean", 0, running_mean.extent(0), c);
  check_extent("batch_norm", "running_var", 0, running_var.extent(0), c);
  detail::check_optional_channel_param("weight", weight.extent(0), c);
  detail::check_optional_channel_param("bias", bias.extent(0), c);
  check_extent("batch_norm", "y", 0, y.extent(0), x.extent(0));  // N
  check_extent("batch_norm", "y", 1, y.extent(1), c);            // C
  detail::batch_norm_impl<Space>::run(x, running_mean, running_var, weight, bias, eps, y);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/batch_norm.hpp>
