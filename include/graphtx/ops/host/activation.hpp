#pragma once
/// \file
/// \brief Host backend of ops::relu, ops::gelu, ops::elu, ops::leaky_relu, ops::silu,
/// ops::sigmoid and ops::tanh: one loop over the elements, split across OpenMP threads when large.
/// Included by <graphtx/ops/activation.hpp>; call the ops:: functions.

#include <cmath>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct relu_impl;
template <class Space>
struct gelu_impl;
template <class Space>
struct elu_impl;
template <class Space>
struct leaky_relu_impl;
template <class Space>
struct silu_impl;
template <class Space>
struct sigmoid_impl;
template <class Space>
struct tanh_impl;

template <>
struct relu_impl<host> {
  /// Below this many elements the loop runs on one thread (it is memory-bound and short).
  static constexpr index_t parallel_min_elements = index_t{1} << 17;

  /// Shapes were checked by ops::relu. y may alias x (element i is read before it is written).
  static void run(TensorView<float const, 2, host> x,  // [N, F]
                  TensorView<float, 2, host> y) {      // [N, F]
    index_t const n = x.size();
    float const* xp = x.data();
    float* yp = y.data();
    // `v < 0 ? 0 : v`: NaN compares false, so NaN passes through unchanged (torch's clamp_min).
#if defined(_OPENMP)
#pragma omp parallel for simd schedule(static) if (n >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      float const v = xp[i];
      yp[i] = v < 0.0f ? 0.0f : v;
    }
  }
};

/// y[i] = f(x[i]) for the transcendental activations. Shapes were checked by the front door; y
/// may alias x (element i is read before it is written). Each element costs a libm call
/// (~10-20 ns), so threads pay off from a few thousand elements on.
template <class F>
void host_activation_map(TensorView<float const, 2, host> x, TensorView<float, 2, host> y, F f) {
  index_t const n = x.size();
  float const* xp = x.data();
  float* yp = y.data();
#if defined(_OPENMP)
  constexpr index_t parallel_min_elements = index_t{1} << 14;
#pragma omp parallel for schedule(static) if (n >= parallel_min_elements)
#endif
  for (index_t i = 0; i < n; ++i) yp[i] = f(xp[i]);
}

template <>
struct gelu_impl<host> {
  static void run(TensorView<float const, 2, host> x, gelu_approximate approximate, TensorView<float, 2, host> y) {
    if (approximate == gelu_approximate::none) {
      // torch: x * 0.5 * (1 + erf(x * M_SQRT1_2)), every constant and operation in float.
      constexpr float k_alpha = static_cast<float>(0.707106781186547524400844362104849039);  // M_SQRT1_2
      host_activation_map(x, y, [](float v) { return v * 0.5f * (1.0f + std::erf(v * k_alpha)); });
    } else {
      // torch: kBeta = M_SQRT2 * M_2_SQRTPI * 0.5 = sqrt(2 / pi), kKappa = 0.044715, in float.
      constexpr float k_beta = static_cast<float>(0.797884560802865355879892119868763737);
      constexpr float k_kappa = 0.044715f;
      host_activation_map(x, y, [](float v) {
        float const cube = v * v * v;
        float const inner = k_beta * (v + k_kappa * cube);
        return 0.5f * v * (1.0f + std::tanh(inner));
      });
    }
  }
};

template <>
struct elu_impl<host> {
  static void run(TensorView<float const, 2, host> x, float alpha, TensorView<float, 2, host> y) {
    // torch: x <= 0 ? expm1(x * input_scale) * alpha * scale : x * scale, with both scales 1.
    host_activation_map(x, y, [alpha](float v) { return v <= 0.0f ? std::expm1(v) * alpha : v; });
  }
};

template <>
struct leaky_relu_impl<host> {
  static void run(TensorView<float const, 2, host> x, float negative_slope, TensorView<float, 2, host> y) {
    // torch: x > 0 ? x : x * negval. A compare and a multiply: memory-bound like relu.
    index_t const n = x.size();
    float const* xp = x.data();
    float* yp = y.data();
#if defined(_OPENMP)
#pragma omp parallel for simd schedule(static) if (n >= relu_impl<host>::parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      float const v = xp[i];
      yp[i] = v > 0.0f ? v : v * negative_slope;
    }
  }
};

template <>
struct silu_impl<host> {
  static void run(TensorView<float const, 2, host> x, TensorView<float, 2, host> y) {
    host_activation_map(x, y, [](float v) { return v / (1.0f + std::exp(-v)); });  // torch's form
  }
};

template <>
struct sigmoid_impl<host> {
  static void run(TensorView<float const, 2, host> x, TensorView<float, 2, host> y) {
    host_activation_map(x, y, [](float v) { return 1.0f / (1.0f + std::exp(-v)); });  // torch's form
  }
};

template <>
struct tanh_impl<host> {
  static void run(TensorView<float const, 2, host> x, TensorView<float, 2, host> y) {
    host_activation_map(x, y, [](float v) { return std::tanh(v); });
  }
};

}  // namespace graphtx::ops::detail
