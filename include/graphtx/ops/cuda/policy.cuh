#pragma once
/// \file
/// \brief The Thrust execution policy of the CUDA backend: the calling thread's stream, without
/// synchronising after each algorithm (graphtx synchronises only when data goes to the host).

#include <thrust/system/cuda/execution_policy.h>

#include <graphtx/core/cuda/context.cuh>

namespace graphtx::ops::detail {

inline auto cuda_policy() { return ::thrust::cuda::par_nosync.on(CudaContext::this_thread().stream()); }

}  // namespace graphtx::ops::detail
