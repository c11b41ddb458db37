#pragma once
/// \file
/// \brief Thrust-backed batch_norm (eval mode): one work item per element, each recomputing its
/// channel's alpha and beta (a sqrt and a divide: free next to the memory traffic on a GPU) with
/// the host backend's float operations in the same order. On the GPU every operation is an
/// explicitly rounded intrinsic (__fadd_rn, __fmul_rn, __fsqrt_rn, __fdiv_rn), so nvcc can neither
/// fuse x * alpha + beta into an FMA nor use approximate sqrt/divide: the result is bitwise the
/// host backend's (and PyTorch CPU's, see ops/batch_norm.hpp).

#include <math.h>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

namespace batch_norm_rn {
// IEEE round-to-nearest float operations, never contracted or approximated by nvcc.
GRAPHTX_HOST_DEVICE inline float add(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fadd_rn(a, b);
#else
  return a + b;
#endif
}
GRAPHTX_HOST_DEVICE inline float sub(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fsub_rn(a, b);
#else
  return a - b;
#endif
}
GRAPHTX_HOST_DEVICE inline float mul(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fmul_rn(a, b);
#else
  return a * b;
#endif
}
GRAPHTX_HOST_DEVICE inline float inv_sqrt(float v) {
#if defined(__CUDA_ARCH__)
  return __fdiv_rn(1.0f, __fsqrt_rn(v));
#else
  return 1.0f / ::sqrtf(v);
#endif
}
}  // namespace batch_norm_rn

struct batch_norm_fn {
  float const* x;     // [N, C]
  float const* mean;  // [C]
  float const* var;   // [C]
  float const* weight;  // [C] or nullptr (1)
  float const* bias;    // [C] or nullptr (0)
  float* y;             // [N, C], may alias x
  index_t channels;
  float eps;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t const c = t % channels;
    float const invstd = batch_norm_rn::inv_sqrt(batch_norm_rn::add(var[c], eps));
    float const w = weight != nullptr ? weight[c] : 1.0f;
    float const b = bias != nullptr ? bias[c] : 0.0f;
    float const alpha = batch_norm_rn::mul(invstd, w);
    float const beta = batch_norm_rn::sub(b, batch_norm_rn::mul(mean[c], alpha));
    y[t] = batch_norm_rn::add(batch_norm_rn::mul(x[t], alpha), beta);
  }
};

/// y = batch_norm(x) over rows x channels elements; weight and bias may be nullptr (absent).
template <class Policy>
void batch_norm(Policy const& policy, float const* x, float const* running_mean, float const* running_var,
                float const* weight, float const* bias, float eps, index_t rows, index_t channels, float* y) {
  if (channels <= 0) return;
  for_each_index(policy, rows * channels,
                 batch_norm_fn{x, running_mean, running_var, weight, bias, y, channels, eps});
}

}  // namespace graphtx::ops::thrust_backend
