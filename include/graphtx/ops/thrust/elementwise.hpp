#pragma once
/// \file
/// \brief Thrust-backed add, head_mean and the linear bias fill (one work item per element).

#include <cstdint>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct add_fn {
  float const* a;
  float const* b;
  float* y;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const { y[t] = a[t] + b[t]; }
};
/// y = a + b elementwise over n values (y may alias a or b).
template <class Policy>
void add(Policy const& policy, float const* a, float const* b, float* y, index_t n) {
  for_each_index(policy, n, add_fn{a, b, y});
}

struct head_mean_fn {
  float const* x;  // [N, H*C]
  float* y;        // [N, C]
  index_t heads, channels;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t n = t / channels, c = t % channels;
    float const* row = x + n * heads * channels;
    float s = 0.0f;
    for (index_t h = 0; h < heads; ++h) s += row[h * channels + c];
    y[t] = s / static_cast<float>(heads);  // torch's mean: sum, then divide
  }
};
/// y[n, c] = (1/H) sum_h x[n, h*C + c], summed in head order then divided (torch's mean).
template <class Policy>
void head_mean(Policy const& policy, float const* x, index_t rows, index_t heads, index_t channels, float* y) {
  for_each_index(policy, rows * channels, head_mean_fn{x, y, heads, channels});
}

struct fill_rows_fn {
  float const* row;  // [cols]
  float* y;          // [rows, cols]
  index_t cols;
  bool accumulate;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    float b = row[t % cols];
    y[t] = accumulate ? y[t] + b : b;
  }
};
/// y[r, :] = row (or += row): the bias put into y before a GEMM with beta = 1.
template <class Policy>
void fill_rows(Policy const& policy, float const* row, index_t rows, index_t cols, float* y, bool accumulate) {
  for_each_index(policy, rows * cols, fill_rows_fn{row, y, cols, accumulate});
}

}  // namespace graphtx::ops::thrust_backend
