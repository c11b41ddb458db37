#pragma once
/// \file
/// \brief CUDA backend of ops::concat_columns: the Thrust-backed implementation in
/// ops/thrust/concat_columns.hpp run on the calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/concat_columns.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/concat_columns.hpp>

namespace graphtx::ops::detail {

template <>
struct concat_columns_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, index_t offset, TensorView<float, 2, cuda> y) {
    thrust_backend::concat_columns(cuda_policy(), x.data(), x.extent(0), x.extent(1), y.data(), y.extent(1), offset);
  }
};

}  // namespace graphtx::ops::detail
