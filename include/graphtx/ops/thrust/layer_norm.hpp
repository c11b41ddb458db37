#pragma once
/// \file
/// \brief Thrust-backed layer_norm: one work item per row, statistics in double exactly as the host
/// backend computes them (see ops/host/layer_norm.hpp for why double), so both backends agree to
/// the last rounding of the output.

#include <cmath>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct layer_norm_fn {
  float const* x;  // [N, F]
  float const* gamma;
  float const* beta;
  float* y;  // [N, F], may alias x
  index_t cols;
  float eps;
  GRAPHTX_HOST_DEVICE void operator()(index_t i) const {
    float const* xr = x + i * cols;
    float* yr = y + i * cols;
    double sum = 0.0;
    for (index_t c = 0; c < cols; ++c) sum += static_cast<double>(xr[c]);
    double const mean = sum / static_cast<double>(cols);
    double sq = 0.0;
    for (index_t c = 0; c < cols; ++c) {
      double const d = static_cast<double>(xr[c]) - mean;
      sq += d * d;
    }
    double const rstd = 1.0 / sqrt(sq / static_cast<double>(cols) + static_cast<double>(eps));
    for (index_t c = 0; c < cols; ++c) {
      double const z = (static_cast<double>(xr[c]) - mean) * rstd;
      yr[c] = static_cast<float>(z * static_cast<double>(gamma[c]) + static_cast<double>(beta[c]));
    }
  }
};
template <class Policy>
void layer_norm(Policy const& policy, float const* x, float const* gamma, float const* beta, float eps, index_t rows,
                index_t cols, float* y) {
  for_each_index(policy, rows, layer_norm_fn{x, gamma, beta, y, cols, eps});
}

}  // namespace graphtx::ops::thrust_backend
