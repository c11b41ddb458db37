#pragma once
/// \file
/// \brief CUDA backend of ops::elementwise: the Thrust-backed implementation in ops/thrust/elementwise.hpp run on
/// the calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/elementwise.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/elementwise.hpp>

namespace graphtx::ops::detail {

template <>
struct add_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> a, TensorView<float const, 2, cuda> b, TensorView<float, 2, cuda> y) {
    thrust_backend::add(cuda_policy(), a.data(), b.data(), y.data(), y.size());
  }
};

template <>
struct head_mean_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, int heads, TensorView<float, 2, cuda> y) {
    thrust_backend::head_mean(cuda_policy(), x.data(), y.extent(0), heads, y.extent(1), y.data());
  }
};

}  // namespace graphtx::ops::detail
