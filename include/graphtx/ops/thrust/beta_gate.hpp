#pragma once
/// \file
/// \brief Thrust-backed beta gate: one work item per node (the gate is one dot product per node).

#include <cmath>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct beta_gate_fn {
  float const* out;  // [N, D]
  float const* x_r;  // [N, D]
  float const* w;    // [3D]
  float* y;          // [N, D], may alias out or x_r
  index_t cols;
  GRAPHTX_HOST_DEVICE void operator()(index_t i) const {
    float const* m = out + i * cols;
    float const* r = x_r + i * cols;
    float z = 0.0f;
    for (index_t c = 0; c < cols; ++c) z += w[c] * m[c] + w[cols + c] * r[c] + w[2 * cols + c] * (m[c] - r[c]);
    float const b = 1.0f / (1.0f + expf(-z));
    float* yi = y + i * cols;
    for (index_t c = 0; c < cols; ++c) yi[c] = b * r[c] + (1.0f - b) * m[c];
  }
};
template <class Policy>
void beta_gate(Policy const& policy, float const* out, float const* x_r, float const* w, index_t rows, index_t cols,
               float* y) {
  for_each_index(policy, rows, beta_gate_fn{out, x_r, w, y, cols});
}

}  // namespace graphtx::ops::thrust_backend
