#pragma once
/// \file
/// \brief CUDA backend of ops::segment_sum: the Thrust-backed implementation in ops/thrust/segment_sum.hpp run on
/// the calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/segment_sum.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/segment_sum.hpp>

namespace graphtx::ops::detail {

template <>
struct segment_sum_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> values, TensorView<std::int32_t const, 1, cuda> offsets,
                  TensorView<float, 2, cuda> out) {
    thrust_backend::segment_sum(cuda_policy(), values.data(), offsets.data(), out.extent(0), out.extent(1),
                                out.data());
  }
};

}  // namespace graphtx::ops::detail
