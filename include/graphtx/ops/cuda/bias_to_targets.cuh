#pragma once
/// \file
/// \brief CUDA backend of ops::add_bias_to_targets (Thrust-backed, on the thread's stream).

#include <graphtx/ops/bias_to_targets.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/bias_to_targets.hpp>

namespace graphtx::ops::detail {

template <>
struct add_bias_to_targets_impl<cuda> {
  static void run(TensorView<float const, 1, cuda> bias, TensorView<std::int32_t const, 1, cuda> offsets,
                  TensorView<float, 2, cuda> out) {
    thrust_backend::add_bias_to_targets(cuda_policy(), bias.data(), offsets.data(), out.extent(0), out.extent(1),
                                        out.data());
  }
};

}  // namespace graphtx::ops::detail
