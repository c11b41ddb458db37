#pragma once
/// \file
/// \brief CUDA backend of ops::layer_norm: the Thrust-backed implementation in ops/thrust/layer_norm.hpp run on
/// the calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/layer_norm.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/layer_norm.hpp>

namespace graphtx::ops::detail {

template <>
struct layer_norm_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, TensorView<float const, 1, cuda> gamma,
                  TensorView<float const, 1, cuda> beta, float eps, TensorView<float, 2, cuda> y) {
    thrust_backend::layer_norm(cuda_policy(), x.data(), gamma.data(), beta.data(), eps, x.extent(0), x.extent(1),
                               y.data());
  }
};

}  // namespace graphtx::ops::detail
