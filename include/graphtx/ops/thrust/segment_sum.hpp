#pragma once
/// \file
/// \brief Thrust-backed segment_sum over CSR offsets: one work item per (segment, column), summing
/// its rows in order. Adjacent items are adjacent columns of the same rows, so GPU loads coalesce;
/// no atomics, so the result is bitwise identical run to run and equal to the host loop's order.

#include <cstdint>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct segment_sum_fn {
  float const* values;  // [E, F]
  std::int32_t const* offsets;  // [N+1]
  float* out;                   // [N, F]
  index_t cols;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t i = t / cols, c = t % cols;
    float s = 0.0f;
    for (index_t p = offsets[i]; p < offsets[i + 1]; ++p) s += values[p * cols + c];
    out[t] = s;
  }
};
template <class Policy>
void segment_sum(Policy const& policy, float const* values, std::int32_t const* offsets, index_t segments,
                 index_t cols, float* out) {
  for_each_index(policy, segments * cols, segment_sum_fn{values, offsets, out, cols});
}

}  // namespace graphtx::ops::thrust_backend
