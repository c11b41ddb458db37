#pragma once
/// \file
/// \brief CUDA backend of ops::linear: the bias written into y, then one cublasSgemm with beta = 1
/// (the same bias-first order as the host path and torch's addmm). Strict FP32 unless the thread's
/// CudaContext asks for TF32. Included by <graphtx/cuda.hpp>.

#include <climits>

#include <cublas_v2.h>

#include <graphtx/core/cuda/check.cuh>
#include <graphtx/core/cuda/context.cuh>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/linear.hpp>
#include <graphtx/ops/thrust/elementwise.hpp>

namespace graphtx::ops::detail {

template <>
struct linear_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x,  // [N, in]
                  TensorView<float const, 2, cuda> w,  // [out, in]
                  TensorView<float const, 1, cuda> b,  // [out] or [0]
                  TensorView<float, 2, cuda> y,        // [N, out]
                  bool accumulate) {
    index_t const n = x.extent(0), in = x.extent(1), out = w.extent(0);
    if (n == 0 || out == 0) return;
    if (n > INT_MAX || in > INT_MAX || out > INT_MAX) {
      throw resource_error(graphtx::detail::cat("linear: shape [", n, ", ", in, "] x [", out, ", ", in,
                                                "] has an extent above INT_MAX, which cuBLAS cannot index"));
    }
    float beta = accumulate ? 1.0f : 0.0f;
    if (b.extent(0) != 0) {
      thrust_backend::fill_rows(cuda_policy(), b.data(), n, out, y.data(), accumulate);
      beta = 1.0f;
    }
    auto& ctx = CudaContext::this_thread();
    if (in == 0) {  // x w^T is zero
      if (beta == 0.0f) GRAPHTX_CUDA_CHECK(cudaMemsetAsync(y.data(), 0, y.size_bytes(), ctx.stream()));
      return;
    }
    float const one = 1.0f;
    // Column-major view: y^T [out, N] = W [out, in] (stored as W^T [in, out], lda = in) x x^T [in, N].
    GRAPHTX_CUBLAS_CHECK(cublasSgemm(ctx.blas(), CUBLAS_OP_T, CUBLAS_OP_N, static_cast<int>(out),
                                     static_cast<int>(n), static_cast<int>(in), &one, w.data(), static_cast<int>(in),
                                     x.data(), static_cast<int>(in), &beta, y.data(), static_cast<int>(out)));
  }
};

}  // namespace graphtx::ops::detail
