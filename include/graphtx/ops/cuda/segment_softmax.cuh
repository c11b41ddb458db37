#pragma once
/// \file
/// \brief CUDA backend of ops::segment_softmax: the Thrust-backed implementation in ops/thrust/segment_softmax.hpp run on
/// the calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/segment_softmax.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/segment_softmax.hpp>

namespace graphtx::ops::detail {

template <>
struct segment_softmax_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> logits, TensorView<std::int32_t const, 1, cuda> offsets,
                  TensorView<float, 2, cuda> alpha) {
    thrust_backend::segment_softmax(cuda_policy(), logits.data(), offsets.data(), offsets.extent(0) - 1,
                                    logits.extent(1), alpha.data());
  }
};

}  // namespace graphtx::ops::detail
