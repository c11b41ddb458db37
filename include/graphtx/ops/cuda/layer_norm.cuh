#pragma once
/// \file
/// \brief CUDA backend of ops::layer_norm: one warp per row, statistics in double like the host
/// backend (see ops/host/layer_norm.hpp for why), reduced with a fixed xor-shuffle tree so results
/// are bitwise reproducible. A warp per row makes every load a coalesced 32-lane access; the
/// Thrust version (ops/thrust/layer_norm.hpp, one thread per row) is what graphtx::thrust_omp
/// runs; this explicit specialisation takes precedence over ops/thrust/dispatch.hpp's for cuda.

#include <cuda_runtime.h>

#include <graphtx/core/cuda/check.cuh>
#include <graphtx/core/cuda/context.cuh>
#include <graphtx/ops/layer_norm.hpp>

namespace graphtx::ops::detail {

namespace layer_norm_kernel {

__device__ inline double warp_sum(double v) {
  for (int o = 16; o > 0; o /= 2) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

template <int threads>
__global__ void __launch_bounds__(threads) run(float const* __restrict__ x, float const* __restrict__ gamma,
                                               float const* __restrict__ beta, float* y, index_t rows, int cols,
                                               float eps) {
  index_t const row = (static_cast<index_t>(blockIdx.x) * threads + threadIdx.x) / 32;
  int const lane = threadIdx.x % 32;
  if (row >= rows) return;
  float const* xr = x + row * cols;
  double s = 0.0;
  for (int c = lane; c < cols; c += 32) s += static_cast<double>(xr[c]);
  double const mean = warp_sum(s) / cols;
  double q = 0.0;
  for (int c = lane; c < cols; c += 32) {
    double const d = static_cast<double>(xr[c]) - mean;
    q += d * d;
  }
  double const rstd = 1.0 / sqrt(warp_sum(q) / cols + static_cast<double>(eps));
  float* yr = y + row * cols;  // may alias x: each element is read before it is written
  for (int c = lane; c < cols; c += 32) {
    double const z = (static_cast<double>(xr[c]) - mean) * rstd;
    yr[c] = static_cast<float>(z * static_cast<double>(gamma[c]) + static_cast<double>(beta[c]));
  }
}

}  // namespace layer_norm_kernel

template <>
struct layer_norm_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, TensorView<float const, 1, cuda> gamma,
                  TensorView<float const, 1, cuda> beta, float eps, TensorView<float, 2, cuda> y) {
    index_t const rows = x.extent(0);
    if (rows == 0 || x.extent(1) == 0) return;
    constexpr int threads = 256;
    index_t const blocks = (rows * 32 + threads - 1) / threads;
    layer_norm_kernel::run<threads><<<static_cast<unsigned>(blocks), threads, 0, CudaContext::this_thread().stream()>>>(
        x.data(), gamma.data(), beta.data(), y.data(), rows, static_cast<int>(x.extent(1)), eps);
    GRAPHTX_CUDA_CHECK_LAUNCH();
  }
};

}  // namespace graphtx::ops::detail
