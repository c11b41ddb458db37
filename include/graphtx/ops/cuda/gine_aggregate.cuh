#pragma once
/// \file
/// \brief CUDA backend of ops::gine_aggregate: the Thrust-backed implementation in
/// ops/thrust/gine_aggregate.hpp (one thread per (destination, channel), products rounded with
/// __fmul_rn so that nvcc does not fuse the root term into an FMA) run on the calling thread's
/// stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/gine_aggregate.hpp>
#include <graphtx/ops/thrust/gine_aggregate.hpp>

namespace graphtx::ops::detail {

template <>
struct gine_aggregate_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x_src, TensorView<float const, 2, cuda> edge_attr,
                  TensorView<std::int32_t const, 1, cuda> offsets, TensorView<std::int32_t const, 1, cuda> sources,
                  TensorView<float const, 2, cuda> x_dst, float eps, TensorView<float, 2, cuda> out) {
    thrust_backend::gine_aggregate(cuda_policy(), x_src.data(), edge_attr.data(), offsets.data(), sources.data(),
                                   x_dst.data(), eps, out.extent(0), out.extent(1), out.data());
  }
};

}  // namespace graphtx::ops::detail
