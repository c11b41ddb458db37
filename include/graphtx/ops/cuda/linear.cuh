#pragma once
/// \file
/// \brief CUDA backend of ops::linear: the bias written into y, then one cublasSgemm with beta = 1
/// (the same bias-first order as the host path and torch's addmm). Strict FP32 unless the thread's
/// CudaContext asks for TF32. Included by <graphtx/cuda.hpp>.

#include <climits>

#include <cublas_v2.h>

#include <graphtx/core/cuda/check.cuh>
#include <graphtx/core/cuda/context.cuh>
#include <graphtx/ops/linear.hpp>

namespace graphtx::ops::detail {

namespace linear_kernel {
// y[r, :] = b (or += b). 2-D grid: columns across threads (coalesced), rows across blocks, 32-bit
// index arithmetic only (the generic element-wise functor's 64-bit division cost more than the
// stores here).
template <bool accumulate>
__global__ void fill_bias(float const* __restrict__ b, float* __restrict__ y, index_t rows, int cols) {
  int const c = blockIdx.x * blockDim.x + threadIdx.x;
  if (c >= cols) return;
  float const v = b[c];
  for (index_t r = blockIdx.y; r < rows; r += gridDim.y) {
    float* p = y + r * cols + c;
    *p = accumulate ? *p + v : v;
  }
}
}  // namespace linear_kernel

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
      dim3 const grid(static_cast<unsigned>((out + 255) / 256), static_cast<unsigned>(n < 65535 ? n : 65535));
      auto s = CudaContext::this_thread().stream();
      if (accumulate) {
        linear_kernel::fill_bias<true><<<grid, 256, 0, s>>>(b.data(), y.data(), n, static_cast<int>(out));
      } else {
        linear_kernel::fill_bias<false><<<grid, 256, 0, s>>>(b.data(), y.data(), n, static_cast<int>(out));
      }
      GRAPHTX_CUDA_CHECK_LAUNCH();
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
