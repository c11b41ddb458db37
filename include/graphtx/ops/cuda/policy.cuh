#pragma once
/// \file
/// \brief The Thrust execution policy of the CUDA backend: the calling thread's stream, without
/// synchronising after each algorithm (graphtx synchronises only when data goes to the host).
/// Declaring graphtx::cuda a Thrust space gives it every Thrust-backed op of
/// ops/thrust/dispatch.hpp, run on that policy; the ops with their own CUDA code (linear,
/// head_linear: cuBLAS; layer_norm, folded_attention: kernels) are explicit specialisations in
/// their .cuh files, which take precedence. Included by <graphtx/cuda.hpp>.

#include <thrust/system/cuda/execution_policy.h>

#include <graphtx/core/cuda/context.cuh>
#include <graphtx/core/cuda/memory.cuh>
#include <graphtx/ops/thrust/dispatch.hpp>

namespace graphtx::ops::detail {

inline auto cuda_policy() { return ::thrust::cuda::par_nosync.on(CudaContext::this_thread().stream()); }

template <>
struct thrust_system<cuda> {
  static constexpr bool enabled = true;
  static auto policy() { return cuda_policy(); }
};

}  // namespace graphtx::ops::detail
