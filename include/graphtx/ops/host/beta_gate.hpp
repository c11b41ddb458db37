#pragma once
/// \file
/// \brief Host backend of ops::beta_gate: one node per loop iteration, nodes across OpenMP threads.

#include <cmath>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct beta_gate_impl;

template <>
struct beta_gate_impl<host> {
  static constexpr index_t parallel_min_elements = index_t{1} << 14;

  static void run(TensorView<float const, 2, host> out, TensorView<float const, 2, host> x_r,
                  TensorView<float const, 2, host> w_beta, TensorView<float, 2, host> y) {
    index_t const n = out.extent(0), d = out.extent(1);
    float const* w = w_beta.data();  // [3D]: weights of out, of x_r, of out - x_r
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (n * d >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      float const* m = out.row(i);
      float const* r = x_r.row(i);
      float z = 0.0f;
      for (index_t c = 0; c < d; ++c) z += w[c] * m[c] + w[d + c] * r[c] + w[2 * d + c] * (m[c] - r[c]);
      float const b = 1.0f / (1.0f + std::exp(-z));  // torch.sigmoid
      float* yi = y.row(i);
      for (index_t c = 0; c < d; ++c) yi[c] = b * r[c] + (1.0f - b) * m[c];
    }
  }
};

}  // namespace graphtx::ops::detail
