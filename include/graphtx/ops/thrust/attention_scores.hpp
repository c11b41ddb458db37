#pragma once
/// \file
/// \brief Thrust-backed attention logits: one work item per (destination, head) walks the
/// destination's edges, so q_i^h is read once per edge from cache and each logit is written once.
/// Same operation order as the host backend: (k + e) first, products summed over c in fp32, then
/// divided by sqrt(C).

#include <cmath>
#include <cstdint>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct attention_scores_fn {
  float const* q;          // [N_dst, H*C]
  float const* k;          // [N_src, H*C]
  float const* edge_term;  // [E, H*C] or null
  std::int32_t const* offsets;
  std::int32_t const* sources;
  float* logits;  // [E, H]
  index_t heads, channels;
  float divisor;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t i = t / heads, h = t % heads;
    index_t const width = heads * channels;
    float const* qi = q + i * width + h * channels;
    for (index_t p = offsets[i]; p < offsets[i + 1]; ++p) {
      float const* kj = k + static_cast<index_t>(sources[p]) * width + h * channels;
      float s = 0.0f;
      if (edge_term != nullptr) {
        float const* ep = edge_term + p * width + h * channels;
        for (index_t c = 0; c < channels; ++c) s += qi[c] * (kj[c] + ep[c]);
      } else {
        for (index_t c = 0; c < channels; ++c) s += qi[c] * kj[c];
      }
      logits[p * heads + h] = s / divisor;
    }
  }
};
template <class Policy>
void attention_scores(Policy const& policy, float const* q, float const* k, float const* edge_term,
                      std::int32_t const* offsets, std::int32_t const* sources, index_t num_dst, index_t heads,
                      index_t channels, float* logits) {
  float const divisor = std::sqrt(static_cast<float>(channels));
  for_each_index(policy, num_dst * heads,
                 attention_scores_fn{q, k, edge_term, offsets, sources, logits, heads, channels, divisor});
}

}  // namespace graphtx::ops::thrust_backend
