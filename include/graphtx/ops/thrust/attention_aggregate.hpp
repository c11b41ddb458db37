#pragma once
/// \file
/// \brief Thrust-backed attention aggregation: one work item per (destination, column) sums
/// (v[j, col] + e[p, col]) * alpha[p, h] over the destination's edges in order. Adjacent items are
/// adjacent columns of the same rows of v (coalesced on the GPU); no atomics.

#include <cstdint>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct attention_aggregate_fn {
  float const* alpha;      // [E, H]
  float const* v;          // [N_src, H*C]
  float const* edge_term;  // [E, H*C] or null
  std::int32_t const* offsets;
  std::int32_t const* sources;
  float* out;  // [N_dst, H*C]
  index_t heads, channels;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t const width = heads * channels;
    index_t i = t / width, col = t % width, h = col / channels;
    float s = 0.0f;
    for (index_t p = offsets[i]; p < offsets[i + 1]; ++p) {
      float val = v[static_cast<index_t>(sources[p]) * width + col];
      if (edge_term != nullptr) val = val + edge_term[p * width + col];
      s += val * alpha[p * heads + h];
    }
    out[t] = s;
  }
};
template <class Policy>
void attention_aggregate(Policy const& policy, float const* alpha, float const* v, float const* edge_term,
                         std::int32_t const* offsets, std::int32_t const* sources, index_t num_dst, index_t heads,
                         index_t channels, float* out) {
  for_each_index(policy, num_dst * heads * channels,
                 attention_aggregate_fn{alpha, v, edge_term, offsets, sources, out, heads, channels});
}

}  // namespace graphtx::ops::thrust_backend
