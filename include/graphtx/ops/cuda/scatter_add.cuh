#pragma once
/// \file
/// \brief CUDA backend of ops::scatter_add: the Thrust-backed implementation in ops/thrust/scatter_add.hpp run on
/// the calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/scatter_add.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/scatter_add.hpp>

namespace graphtx::ops::detail {

template <>
struct scatter_add_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> values, TensorView<std::int32_t const, 1, cuda> index,
                  TensorView<float, 2, cuda> out) {
    thrust_backend::scatter_add(cuda_policy(), values.data(), index.data(), values.extent(0), out.extent(1),
                                out.data());
  }
};

}  // namespace graphtx::ops::detail
