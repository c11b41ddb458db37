#pragma once
/// \file
/// \brief Thrust-backed relu (one work item per element).

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct relu_fn {
  float const* x;
  float* y;
  // NaN stays NaN (x > 0 is false, x != x keeps it) and -0.0 stays -0.0, as torch's clamp_min.
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    float v = x[t];
    y[t] = (v < 0.0f) ? 0.0f : v;
  }
};
template <class Policy>
void relu(Policy const& policy, float const* x, float* y, index_t n) {
  for_each_index(policy, n, relu_fn{x, y});
}

}  // namespace graphtx::ops::thrust_backend
