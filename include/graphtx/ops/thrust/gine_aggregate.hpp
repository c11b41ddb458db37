#pragma once
/// \file
/// \brief Thrust-backed gine_aggregate (GINEConv's message + sum, optionally + (1 + eps) x_i): one
/// work item per (destination, channel), summing relu(x_j + e_ji) over the destination's CSR range
/// in order. Adjacent items are adjacent channels of the same rows, so GPU loads coalesce; each
/// item writes only its own output, so there are no atomics and results are bitwise reproducible
/// and equal to the host loop's (same operations in the same order).

#include <cstdint>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

/// a * b rounded to float, never fused with a following add (nvcc contracts a * b + c into an FMA
/// by default; PyG computes the product and the sum as two tensor ops, each rounded).
GRAPHTX_HOST_DEVICE inline float gine_mul_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fmul_rn(a, b);
#else
  return a * b;
#endif
}

struct gine_aggregate_fn {
  float const* x_src;           // [N_src, C]
  float const* edge_attr;       // [E, C] in CSR order
  std::int32_t const* offsets;  // [N_dst+1]
  std::int32_t const* sources;  // [E]
  float const* x_dst;           // [N_dst, C] or nullptr (no root term)
  float* out;                   // [N_dst, C]
  index_t cols;
  float scale;  // 1 + eps, in float (PyG: (1 + self.eps) is a float32 tensor)
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t const i = t / cols, c = t % cols;
    float s = 0.0f;
    for (index_t p = offsets[i]; p < offsets[i + 1]; ++p) {
      float const m = x_src[static_cast<index_t>(sources[p]) * cols + c] + edge_attr[p * cols + c];
      s += m < 0.0f ? 0.0f : m;  // relu; NaN stays NaN
    }
    if (x_dst != nullptr) s = s + gine_mul_rn(scale, x_dst[t]);
    out[t] = s;
  }
};

/// x_src: [N_src, cols], edge_attr: [E, cols], offsets: [n_dst+1], sources: [E], x_dst: [n_dst, cols]
/// or nullptr, out: [n_dst, cols].
template <class Policy>
void gine_aggregate(Policy const& policy, float const* x_src, float const* edge_attr, std::int32_t const* offsets,
                    std::int32_t const* sources, float const* x_dst, float eps, index_t n_dst, index_t cols,
                    float* out) {
  for_each_index(policy, n_dst * cols,
                 gine_aggregate_fn{x_src, edge_attr, offsets, sources, x_dst, out, cols, 1.0f + eps});
}

}  // namespace graphtx::ops::thrust_backend
