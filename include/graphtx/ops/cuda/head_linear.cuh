#pragma once
/// \file
/// \brief CUDA backend of ops::head_linear: one strided-batched cuBLAS GEMM over the H head blocks
/// (no copies), strict FP32 unless the thread's CudaContext allows TF32.

#include <climits>

#include <cublas_v2.h>

#include <graphtx/core/cuda/check.cuh>
#include <graphtx/core/cuda/context.cuh>
#include <graphtx/ops/head_linear.hpp>

namespace graphtx::ops::detail {

template <>
struct head_linear_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> y, TensorView<float const, 2, cuda> w, int heads,
                  TensorView<float, 2, cuda> out) {
    index_t const n = y.extent(0), f = w.extent(1), c = w.extent(0) / heads;
    auto& ctx = CudaContext::this_thread();
    if (n == 0 || c == 0) return;
    if (f == 0) {
      GRAPHTX_CUDA_CHECK(cudaMemsetAsync(out.data(), 0, out.size_bytes(), ctx.stream()));
      return;
    }
    if (n > INT_MAX || y.extent(1) > INT_MAX || out.extent(1) > INT_MAX) {
      throw resource_error("head_linear: an extent is above INT_MAX, which cuBLAS cannot index");
    }
    float const one = 1.0f, zero = 0.0f;
    // Column-major per head h: out_h^T [C, N] (ldc = H*C) = W_h [C, F] (stored as [F, C], op T, lda = F)
    // x y_h^T [F, N] (ldb = H*F); head h starts at w + h*C*F, y + h*F, out + h*C.
    GRAPHTX_CUBLAS_CHECK(cublasSgemmStridedBatched(
        ctx.blas(), CUBLAS_OP_T, CUBLAS_OP_N, static_cast<int>(c), static_cast<int>(n), static_cast<int>(f), &one,
        w.data(), static_cast<int>(f), static_cast<long long>(c * f), y.data(), static_cast<int>(y.extent(1)),
        static_cast<long long>(f), &zero, out.data(), static_cast<int>(out.extent(1)), static_cast<long long>(c),
        heads));
  }
};

}  // namespace graphtx::ops::detail
