#pragma once
/// \file
/// \brief CUDA backend of ops::activation: the Thrust-backed implementation in ops/thrust/activation.hpp run on
/// the calling thread's stream. Included by <graphtx/cuda.hpp>.

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

}  // namespace graphtx::ops::detail
