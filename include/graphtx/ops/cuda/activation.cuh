#pragma once
/// \file
/// \brief CUDA backend of ops::relu, ops::gelu, ops::elu, ops::leaky_relu, ops::silu, ops::sigmoid
/// and ops::tanh: the Thrust-backed implementations in ops/thrust/activation.hpp run on the
/// calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/activation.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/activation.hpp>

namespace graphtx::ops::detail {

template <>
struct relu_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, TensorView<float, 2, cuda> y) {
    thrust_backend::relu(cuda_policy(), x.data(), y.data(), x.size());
  }
};

template <>
struct gelu_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, gelu_approximate approximate, TensorView<float, 2, cuda> y) {
    thrust_backend::gelu(cuda_policy(), x.data(), y.data(), x.size(), approximate == gelu_approximate::tanh);
  }
};

template <>
struct elu_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, float alpha, TensorView<float, 2, cuda> y) {
    thrust_backend::elu(cuda_policy(), x.data(), y.data(), x.size(), alpha);
  }
};

template <>
struct leaky_relu_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, float negative_slope, TensorView<float, 2, cuda> y) {
    thrust_backend::leaky_relu(cuda_policy(), x.data(), y.data(), x.size(), negative_slope);
  }
};

template <>
struct silu_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, TensorView<float, 2, cuda> y) {
    thrust_backend::silu(cuda_policy(), x.data(), y.data(), x.size());
  }
};

template <>
struct sigmoid_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, TensorView<float, 2, cuda> y) {
    thrust_backend::sigmoid(cuda_policy(), x.data(), y.data(), x.size());
  }
};

template <>
struct tanh_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, TensorView<float, 2, cuda> y) {
    thrust_backend::tanh_activation(cuda_policy(), x.data(), y.data(), x.size());
  }
};

}  // namespace graphtx::ops::detail
