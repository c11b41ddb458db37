#pragma once
/// \file
/// \brief CUDA backend of ops::gather_rows: the Thrust-backed implementation in ops/thrust/gather_rows.hpp run on
/// the calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/gather_rows.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/gather_rows.hpp>

namespace graphtx::ops::detail {

template <>
struct gather_rows_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> src, TensorView<std::int32_t const, 1, cuda> rows,
                  TensorView<float, 2, cuda> dst) {
    thrust_backend::gather_rows(cuda_policy(), src.data(), rows.data(), rows.extent(0), dst.extent(1), dst.data());
  }
};

}  // namespace graphtx::ops::detail
