#pragma once
/// \file
/// \brief Textbook activations, the oracle for every backend of ops::relu, ops::gelu, ops::elu,
/// ops::leaky_relu, ops::silu, ops::sigmoid and ops::tanh: the defining formula evaluated in T
/// (tests use T = double) with the C++ library's functions. NaN propagates as in torch.

#include <cmath>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/activation.hpp>  // gelu_approximate

namespace graphtx::ops::reference {

namespace detail {
/// y(i, c) = f(x(i, c)) over x, y: [N, F], after the shape check; y may be x.
template <class T, class F>
void map_elementwise(char const* where, TensorView<T const, 2> x, TensorView<T, 2> y, F f) {
  check_extent(where, "y", 0, y.extent(0), x.extent(0));
  check_extent(where, "y", 1, y.extent(1), x.extent(1));
  for (index_t i = 0; i < x.extent(0); ++i) {
    for (index_t c = 0; c < x.extent(1); ++c) y(i, c) = f(x(i, c));
  }
}
}  // namespace detail

/// y = 0 where x < 0, else x (so NaN and -0.0 pass through unchanged, as torch's clamp_min on
/// the CPU does). x, y: [N, F]; y may be x.
template <class T>
void relu(std::type_identity_t<TensorView<T const, 2>> x, TensorView<T, 2> y) {
  check_extent("reference::relu", "y", 0, y.extent(0), x.extent(0));
  check_extent("reference::relu", "y", 1, y.extent(1), x.extent(1));
  for (index_t i = 0; i < x.extent(0); ++i) {
    for (index_t c = 0; c < x.extent(1); ++c) {
      T const v = x(i, c);
      y(i, c) = v < T(0) ? T(0) : v;  // NaN < 0 is false: NaN propagates
    }
  }
}

/// GELU: none: x * Phi(x) = x / 2 * (1 + erf(x / sqrt(2)));
/// tanh: x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3))). x, y: [N, F]; y may be x.
template <class T>
void gelu(std::type_identity_t<TensorView<T const, 2>> x, gelu_approximate approximate, TensorView<T, 2> y) {
  if (approximate == gelu_approximate::none) {
    detail::map_elementwise<T>("reference::gelu", x, y, [](T v) {
      return v / T(2) * (T(1) + std::erf(v / std::sqrt(T(2))));
    });
  } else {
    T const pi = T(3.14159265358979323846264338327950288L);
    detail::map_elementwise<T>("reference::gelu", x, y, [pi](T v) {
      return v / T(2) * (T(1) + std::tanh(std::sqrt(T(2) / pi) * (v + T(0.044715) * v * v * v)));
    });
  }
}

/// ELU: x > 0 ? x : alpha (exp(x) - 1), with exp(x) - 1 as expm1(x). x, y: [N, F]; y may be x.
template <class T>
void elu(std::type_identity_t<TensorView<T const, 2>> x, T alpha, TensorView<T, 2> y) {
  detail::map_elementwise<T>("reference::elu", x, y, [alpha](T v) { return v > T(0) ? v : alpha * std::expm1(v); });
}

/// Leaky ReLU: x > 0 ? x : negative_slope x (NaN gives NaN). x, y: [N, F]; y may be x.
template <class T>
void leaky_relu(std::type_identity_t<TensorView<T const, 2>> x, T negative_slope, TensorView<T, 2> y) {
  detail::map_elementwise<T>("reference::leaky_relu", x, y,
                             [negative_slope](T v) { return v > T(0) ? v : negative_slope * v; });
}

/// SiLU: x sigmoid(x) = x / (1 + exp(-x)). x, y: [N, F]; y may be x.
template <class T>
void silu(std::type_identity_t<TensorView<T const, 2>> x, TensorView<T, 2> y) {
  detail::map_elementwise<T>("reference::silu", x, y, [](T v) { return v / (T(1) + std::exp(-v)); });
}

/// Logistic sigmoid: 1 / (1 + exp(-x)). x, y: [N, F]; y may be x.
template <class T>
void sigmoid(std::type_identity_t<TensorView<T const, 2>> x, TensorView<T, 2> y) {
  detail::map_elementwise<T>("reference::sigmoid", x, y, [](T v) { return T(1) / (T(1) + std::exp(-v)); });
}

/// Hyperbolic tangent. x, y: [N, F]; y may be x.
template <class T>
void tanh(std::type_identity_t<TensorView<T const, 2>> x, TensorView<T, 2> y) {
  detail::map_elementwise<T>("reference::tanh", x, y, [](T v) { return std::tanh(v); });
}

}  // namespace graphtx::ops::reference
