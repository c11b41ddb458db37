#pragma once
/// \file
/// \brief Thrust-backed scatter_add: out[index[e], :] += values[e, :] in edge order.
///
/// Deterministic without atomics: one work item per output column walks all edges in order and
/// adds those of its column. That is O(E * F) work spread over only F items, so it suits narrow
/// scatters; graphtx's own layers aggregate over CSR with segment_sum instead.

#include <cstdint>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct scatter_add_fn {
  float const* values;  // [E, F]
  std::int32_t const* index;
  float* out;  // [N, F]
  index_t edges, cols;
  GRAPHTX_HOST_DEVICE void operator()(index_t c) const {
    for (index_t e = 0; e < edges; ++e) out[static_cast<index_t>(index[e]) * cols + c] += values[e * cols + c];
  }
};
template <class Policy>
void scatter_add(Policy const& policy, float const* values, std::int32_t const* index, index_t edges, index_t cols,
                 float* out) {
  for_each_index(policy, cols, scatter_add_fn{values, index, out, edges, cols});
}

}  // namespace graphtx::ops::thrust_backend
