#pragma once
/// \file
/// \brief Thrust-backed segment_softmax (PyG semantics): one work item per (destination, head):
/// the segment's maximum, then exp and sum in edge order, then the division by (sum + 1e-16).
/// Same operation order as the host backend.

#include <cmath>
#include <cstdint>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct segment_softmax_fn {
  float const* logits;  // [E, H]
  std::int32_t const* offsets;  // [N+1]
  float* alpha;                 // [E, H], may alias logits
  index_t heads;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t i = t / heads, h = t % heads;
    index_t const begin = offsets[i], end = offsets[i + 1];
    if (begin == end) return;
    float mx = -INFINITY;
    bool nan = false;
    for (index_t p = begin; p < end; ++p) {
      float v = logits[p * heads + h];
      nan = nan || (v != v);
      mx = fmaxf(mx, v);
    }
    if (nan) mx = NAN;  // PyG's scatter 'amax' propagates NaN
    float sum = 0.0f;
    for (index_t p = begin; p < end; ++p) {
      float e = expf(logits[p * heads + h] - mx);
      alpha[p * heads + h] = e;
      sum += e;
    }
    float const denom = sum + 1e-16f;
    for (index_t p = begin; p < end; ++p) alpha[p * heads + h] = alpha[p * heads + h] / denom;
  }
};
template <class Policy>
void segment_softmax(Policy const& policy, float const* logits, std::int32_t const* offsets, index_t segments,
                     index_t heads, float* alpha) {
  for_each_index(policy, segments * heads, segment_softmax_fn{logits, offsets, alpha, heads});
}

}  // namespace graphtx::ops::thrust_backend
