#pragma once
/// \file
/// \brief Thrust-backed gather_rows: dst[e, :] = src[rows[e], :], one work item per element
/// (adjacent items read adjacent columns of one row: coalesced on the GPU).

#include <cstdint>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct gather_rows_fn {
  float const* src;
  std::int32_t const* rows;
  float* dst;
  index_t cols;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t e = t / cols, c = t % cols;
    dst[t] = src[static_cast<index_t>(rows[e]) * cols + c];
  }
};
template <class Policy>
void gather_rows(Policy const& policy, float const* src, std::int32_t const* rows, index_t num_rows, index_t cols,
                 float* dst) {
  for_each_index(policy, num_rows * cols, gather_rows_fn{src, rows, dst, cols});
}

}  // namespace graphtx::ops::thrust_backend
