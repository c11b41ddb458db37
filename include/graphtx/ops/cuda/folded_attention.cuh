#pragma once
/// \file
/// \brief CUDA backend of ops::folded_attention: the fused edge phase of a folded TransformerConv.
///
/// One warp per (destination i, head h): the lanes split the F features, so every read of the
/// folded query Qt_i^h and of a neighbour's row x_j is one coalesced 32-lane load, and dot products
/// are reduced with a fixed xor-shuffle tree. Two passes over the incoming edges in CSR order:
/// the first finds the maximum logit, the second accumulates exp(l - max) x_j in registers and the
/// sum of weights; Y_i^h = acc / (sum + 1e-16). Nothing per edge is written to memory, there are no
/// atomics, and the order of every sum is fixed, so the result is bitwise reproducible.

#include <cuda_runtime.h>

#include <cstdint>

#include <graphtx/core/cuda/check.cuh>
#include <graphtx/core/cuda/context.cuh>
#include <graphtx/ops/folded_attention.hpp>

namespace graphtx::ops::detail {

namespace folded_kernel {

inline constexpr int warp = 32;
inline constexpr int default_max_per_lane = 8;  // F <= 256 keeps the accumulator in registers

__device__ inline float warp_sum(float v) {
  for (int o = warp / 2; o > 0; o /= 2) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

// Dot product of (Qt_i^h + u_h) with x_j, the same value on every lane.
__device__ inline float dot(float const* q, float const* u, float const* xj, int f, int lane) {
  float s = 0.0f;
  if (u != nullptr) {
    for (int c = lane; c < f; c += warp) s += (q[c] + u[c]) * xj[c];
  } else {
    for (int c = lane; c < f; c += warp) s += q[c] * xj[c];
  }
  return warp_sum(s);
}

// A template, so that the kernel can live in a header included by several .cu files.
template <int max_per_lane>
__global__ void __launch_bounds__(256) run(float const* __restrict__ qt, float const* __restrict__ qt_bias,
                                           float const* __restrict__ x,
                                           std::int32_t const* __restrict__ offsets,
                                           std::int32_t const* __restrict__ sources, float* __restrict__ y,
                                           index_t num_dst, int heads, int f, float divisor) {
  index_t const item = (static_cast<index_t>(blockIdx.x) * blockDim.x + threadIdx.x) / warp;
  int const lane = threadIdx.x % warp;
  if (item >= num_dst * heads) return;
  index_t const i = item / heads;
  int const h = static_cast<int>(item % heads);
  index_t const width = static_cast<index_t>(heads) * f;
  float const* q = qt + i * width + static_cast<index_t>(h) * f;
  float const* u = qt_bias != nullptr ? qt_bias + static_cast<index_t>(h) * f : nullptr;
  float* out = y + i * width + static_cast<index_t>(h) * f;
  index_t const begin = offsets[i], end = offsets[i + 1];

  if (f <= warp * max_per_lane) {
    // The query (plus its bias) and each neighbour row live in registers: lane l holds features
    // l, l + 32, ...; every global load is a coalesced 32-lane access and q is read once.
    float qr[max_per_lane], xr[max_per_lane], acc[max_per_lane];
#pragma unroll
    for (int k = 0; k < max_per_lane; ++k) {
      int const c = lane + k * warp;
      qr[k] = c < f ? q[c] + (u != nullptr ? u[c] : 0.0f) : 0.0f;
      acc[k] = 0.0f;
    }
    auto load_and_dot = [&](index_t p) {
      float const* xj = x + static_cast<index_t>(sources[p]) * f;
      float s = 0.0f;
#pragma unroll
      for (int k = 0; k < max_per_lane; ++k) {
        int const c = lane + k * warp;
        xr[k] = c < f ? xj[c] : 0.0f;
        s += qr[k] * xr[k];
      }
      return warp_sum(s) / divisor;
    };
    float mx = -INFINITY;
    bool nan = false;
    for (index_t p = begin; p < end; ++p) {
      float const l = load_and_dot(p);
      nan = nan || (l != l);
      mx = fmaxf(mx, l);
    }
    if (nan) mx = NAN;  // PyG's scatter-max propagates NaN
    float sum = 0.0f;
    for (index_t p = begin; p < end; ++p) {
      float const e = expf(load_and_dot(p) - mx);
      sum += e;
#pragma unroll
      for (int k = 0; k < max_per_lane; ++k) acc[k] += e * xr[k];
    }
    float const denom = sum + 1e-16f;
#pragma unroll
    for (int k = 0; k < max_per_lane; ++k) {
      int const c = lane + k * warp;
      if (c < f) out[c] = acc[k] / denom;
    }
  } else {  // wide inputs: accumulate in the (warp-owned) output row itself
    float mx = -INFINITY;
    bool nan = false;
    for (index_t p = begin; p < end; ++p) {
      float const l = dot(q, u, x + static_cast<index_t>(sources[p]) * f, f, lane) / divisor;
      nan = nan || (l != l);
      mx = fmaxf(mx, l);
    }
    if (nan) mx = NAN;
    for (int c = lane; c < f; c += warp) out[c] = 0.0f;
    float sum = 0.0f;
    for (index_t p = begin; p < end; ++p) {
      float const* xj = x + static_cast<index_t>(sources[p]) * f;
      float const e = expf(dot(q, u, xj, f, lane) / divisor - mx);
      sum += e;
      for (int c = lane; c < f; c += warp) out[c] += e * xj[c];
    }
    float const denom = sum + 1e-16f;
    for (int c = lane; c < f; c += warp) out[c] /= denom;
  }
}

}  // namespace folded_kernel

template <>
struct folded_attention_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> qt, TensorView<float const, 1, cuda> qt_bias,
                  TensorView<float const, 2, cuda> x_src,
                  TensorView<std::int32_t const, 1, cuda> offsets, TensorView<std::int32_t const, 1, cuda> sources,
                  int heads, float divisor, TensorView<float, 2, cuda> y) {
    index_t const items = qt.extent(0) * heads;
    if (items == 0) return;
    constexpr int threads = 256;
    index_t const blocks = (items * folded_kernel::warp + threads - 1) / threads;
    if (blocks > 0x7fffffff) throw resource_error("folded_attention: too many (node, head) pairs for one launch");
    folded_kernel::run<folded_kernel::default_max_per_lane><<<static_cast<unsigned>(blocks), threads, 0, CudaContext::this_thread().stream()>>>(
        qt.data(), qt_bias.extent(0) != 0 ? qt_bias.data() : nullptr, x_src.data(), offsets.data(), sources.data(), y.data(), qt.extent(0), heads,
        static_cast<int>(x_src.extent(1)), divisor);
    GRAPHTX_CUDA_CHECK_LAUNCH();
  }
};

}  // namespace graphtx::ops::detail
