#pragma once
/// \file
/// \brief CUDA backend of ops::pooling: the Thrust-backed implementation in ops/thrust/pooling.hpp run on
/// the calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/pooling.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/pooling.hpp>

namespace graphtx::ops::detail {

template <>
struct pool_impl<cuda> {
  static void run(pool_reduce reduce, TensorView<float const, 2, cuda> x, TensorView<std::int32_t const, 1, cuda> ptr,
                  TensorView<float, 2, cuda> out) {
    int const r = reduce == pool_reduce::sum ? 0 : reduce == pool_reduce::mean ? 1 : 2;
    thrust_backend::pool(cuda_policy(), r, x.data(), ptr.data(), out.extent(0), out.extent(1), out.data());
  }
};

}  // namespace graphtx::ops::detail
