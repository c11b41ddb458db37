#pragma once
/// \file
/// \brief ops::layer_norm over the last dimension, torch.nn.LayerNorm semantics
/// (docs/pyg_semantics.md, LayerNorm, ReLU and Dropout):
/// y = (x - mean) / sqrt(var + eps) * gamma + beta, biased variance (divide by F), eps inside the sqrt.
///
/// **Example**:
/// \code
/// graphtx::ops::layer_norm(x, gamma, beta, 1e-5f, x.view());   // in place, [N, F]
/// \endcode

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct layer_norm_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::layer_norm has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// Row-wise LayerNorm with affine weights (torch.nn.LayerNorm(F, eps, elementwise_affine=True)).
///
/// - x: [N, F], gamma: [F], beta: [F], y: [N, F]. y may be x itself (in place); partial overlap is
///   not allowed.
/// - Batch statistics only (LayerNorm has no running stats): same result in train and eval.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void layer_norm(std::type_identity_t<TensorView<float const, 2, Space>> x,      // [N, F]
                std::type_identity_t<TensorView<float const, 1, Space>> gamma,  // [F]
                std::type_identity_t<TensorView<float const, 1, Space>> beta,   // [F]
                float eps,
                TensorView<float, 2, Space> y) {  // [N, F]
  check_extent("layer_norm", "gamma", 0, gamma.extent(0), x.extent(1));  // F
  check_extent("layer_norm", "beta", 0, beta.extent(0), x.extent(1));    // F
  check_extent("layer_norm", "y", 0, y.extent(0), x.extent(0));          // N
  check_extent("layer_norm", "y", 1, y.extent(1), x.extent(1));          // F
  detail::layer_norm_impl<Space>::run(x, gamma, beta, eps, y);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/layer_norm.hpp>
