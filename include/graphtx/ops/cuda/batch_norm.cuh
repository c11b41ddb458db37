#pragma once
/// \file
/// \brief CUDA backend of ops::batch_norm: the Thrust-backed implementation in
/// ops/thrust/batch_norm.hpp run on the calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/batch_norm.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/batch_norm.hpp>

namespace graphtx::ops::detail {

template <>
struct batch_norm_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, TensorView<float const, 1, cuda> running_mean,
                  TensorView<float const, 1, cuda> running_var, TensorView<float const, 1, cuda> weight,
                  TensorView<float const, 1, cuda> bias, float eps, TensorView<float, 2, cuda> y) {
    thrust_backend::batch_norm(cuda_policy(), x.data(), running_mean.data(), running_var.data(),
                               weight.empty() ? nullptr : weight.data(), bias.empty() ? nullptr : bias.data(), eps,
                               x.extent(0), x.extent(1), y.data());
  }
};

}  // namespace graphtx::ops::detail
