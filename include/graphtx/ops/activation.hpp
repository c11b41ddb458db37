#pragma once
/// \file
/// \brief Elementwise activations with torch's semantics (eval/inference; NaN propagates):
/// ops::relu, ops::gelu (exact erf form or tanh approximation), ops::elu, ops::leaky_relu,
/// ops::silu, ops::sigmoid and ops::tanh. Each is one function mirroring torch.nn.functional.
///
/// **Example**:
/// \code
/// graphtx::ops::relu(x, x.view());                                            // in place, [N, F]
/// graphtx::ops::gelu(x, graphtx::ops::gelu_approximate::tanh, y.view());      // F.gelu(x, approximate="tanh")
/// graphtx::ops::elu(x, 1.0f, y.view());                                       // F.elu(x, alpha=1.0)
/// \endcode
///
/// Every function takes x, y: [N, F] (y may be x itself: in place; partial overlap is not
/// allowed) and throws shape_error naming the tensor, the dim and the expected and actual extents.
/// The float formulas are those of PyTorch's scalar CPU kernels (aten/src/ATen/native/cpu/
/// Activation.cpp, UnaryOpsKernel.cpp), written out on each function; PyTorch's vectorised
/// kernels use other exp/erf/tanh approximations, so results agree to a few ulp, not bitwise.

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

/// torch.nn.GELU(approximate=...): "none" (the exact erf form, torch's default) or "tanh".
enum class gelu_approximate { none, tanh };

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct relu_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::relu has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
template <class Space>
struct gelu_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::gelu has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
template <class Space>
struct elu_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::elu has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
template <class Space>
struct leaky_relu_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::leaky_relu has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
template <class Space>
struct silu_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::silu has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
template <class Space>
struct sigmoid_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::sigmoid has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
template <class Space>
struct tanh_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::tanh has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};

/// The shape check shared by every activation: y must be [N, F] like x.
template <class Space>
void check_activation_shapes(char const* where, TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y) {
  check_extent(where, "y", 0, y.extent(0), x.extent(0));  // N
  check_extent(where, "y", 1, y.extent(1), x.extent(1));  // F
}
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

/// y = gelu(x) (torch.nn.functional.gelu):
/// - gelu_approximate::none: y = x * 0.5 * (1 + erf(x * (1/sqrt(2))))
/// - gelu_approximate::tanh: y = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x*x*x)))
///
/// in float, in that order, as torch's CPU kernel. NaN propagates; gelu(-inf) is NaN (-inf * 0),
/// as in torch; for x below about -10 the result is -0.0.
///
/// - x, y: [N, F]; y may be x itself (in place).
template <class Space>
void gelu(std::type_identity_t<TensorView<float const, 2, Space>> x,  // [N, F]
          gelu_approximate approximate,
          TensorView<float, 2, Space> y) {  // [N, F]
  detail::check_activation_shapes<Space>("gelu", x, y);
  detail::gelu_impl<Space>::run(x, approximate, y);
}

/// y = elu(x, alpha) (torch.nn.functional.elu, torch's default alpha = 1): y = x <= 0 ?
/// expm1(x) * alpha : x, as torch's CPU kernel (scale = input_scale = 1). NaN propagates (the
/// comparison is false, NaN is returned), -0.0 stays -0.0 for alpha > 0.
///
/// - x, y: [N, F]; y may be x itself (in place).
template <class Space>
void elu(std::type_identity_t<TensorView<float const, 2, Space>> x,  // [N, F]
         float alpha,
         TensorView<float, 2, Space> y) {  // [N, F]
  detail::check_activation_shapes<Space>("elu", x, y);
  detail::elu_impl<Space>::run(x, alpha, y);
}

/// y = leaky_relu(x, negative_slope) (torch.nn.functional.leaky_relu, torch's default slope
/// 0.01): y = x > 0 ? x : x * negative_slope. NaN propagates (NaN * slope).
///
/// - x, y: [N, F]; y may be x itself (in place).
template <class Space>
void leaky_relu(std::type_identity_t<TensorView<float const, 2, Space>> x,  // [N, F]
                float negative_slope,
                TensorView<float, 2, Space> y) {  // [N, F]
  detail::check_activation_shapes<Space>("leaky_relu", x, y);
  detail::leaky_relu_impl<Space>::run(x, negative_slope, y);
}

/// y = silu(x) = x * sigmoid(x) (torch.nn.functional.silu), computed as torch's CPU kernel does:
/// y = x / (1 + exp(-x)). NaN propagates; silu(-inf) is NaN (-inf / inf), as in torch; for x
/// below about -88.7 exp(-x) overflows and y is -0.0.
///
/// - x, y: [N, F]; y may be x itself (in place).
template <class Space>
void silu(std::type_identity_t<TensorView<float const, 2, Space>> x,  // [N, F]
          TensorView<float, 2, Space> y) {                             // [N, F]
  detail::check_activation_shapes<Space>("silu", x, y);
  detail::silu_impl<Space>::run(x, y);
}

/// y = sigmoid(x) = 1 / (1 + exp(-x)) (torch.sigmoid). NaN propagates; sigmoid(-inf) = 0,
/// sigmoid(inf) = 1.
///
/// - x, y: [N, F]; y may be x itself (in place).
template <class Space>
void sigmoid(std::type_identity_t<TensorView<float const, 2, Space>> x,  // [N, F]
             TensorView<float, 2, Space> y) {                             // [N, F]
  detail::check_activation_shapes<Space>("sigmoid", x, y);
  detail::sigmoid_impl<Space>::run(x, y);
}

/// y = tanh(x) (torch.tanh), the C library's tanhf (CUDA's on the GPU). NaN propagates,
/// tanh(+-inf) = +-1, -0.0 stays -0.0.
///
/// - x, y: [N, F]; y may be x itself (in place).
///
/// Call it qualified (`ops::tanh`): inside namespace graphtx::ops an unqualified `tanh(v)` on a
/// float finds this template, not ::tanh.
template <class Space>
void tanh(std::type_identity_t<TensorView<float const, 2, Space>> x,  // [N, F]
          TensorView<float, 2, Space> y) {                             // [N, F]
  detail::check_activation_shapes<Space>("tanh", x, y);
  detail::tanh_impl<Space>::run(x, y);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/activation.hpp>
