#pragma once
/// \file
/// \brief Thrust-backed concat_columns: y[r, offset + c] = x[r, c], one work item per element of x
/// (adjacent items read adjacent columns of one row: coalesced on the GPU).

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct concat_columns_fn {
  float const* x;  // [R, F]
  float* y;        // [R, W]
  index_t cols;    // F
  index_t width;   // W
  index_t offset;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t r = t / cols, c = t % cols;
    y[r * width + offset + c] = x[t];
  }
};
/// y[r, offset + c] = x[r, c] for an [rows, cols] x into an [rows, width] y.
template <class Policy>
void concat_columns(Policy const& policy, float const* x, index_t rows, index_t cols, float* y, index_t width,
                    index_t offset) {
  for_each_index(policy, rows * cols, concat_columns_fn{x, y, cols, width, offset});
}

}  // namespace graphtx::ops::thrust_backend
