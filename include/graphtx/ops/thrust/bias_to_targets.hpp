#pragma once
/// \file
/// \brief Thrust-backed add_bias_to_targets: one work item per element of out.

#include <cstdint>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct bias_to_targets_fn {
  float const* bias;
  std::int32_t const* offsets;
  float* out;
  index_t cols;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t i = t / cols;
    if (offsets[i + 1] > offsets[i]) out[t] += bias[t % cols];
  }
};
template <class Policy>
void add_bias_to_targets(Policy const& policy, float const* bias, std::int32_t const* offsets, index_t rows, index_t cols,
                         float* out) {
  for_each_index(policy, rows * cols, bias_to_targets_fn{bias, offsets, out, cols});
}

}  // namespace graphtx::ops::thrust_backend
