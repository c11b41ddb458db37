#pragma once
/// \file
/// \brief Host backend of ops::beta_gate. Included by <graphtx/ops/beta_gate.hpp>; call ops::beta_gate.
///
/// One node per loop iteration, nodes split across OpenMP threads. The gate's 3D-long dot product
/// is accumulated in 8 fp32 lanes (lane l sums the columns c = l mod 8, then a fixed pairwise
/// combine) so it vectorises without -ffast-math and rounds the same on every thread count;
/// PyTorch's GEMM sums in its own blocked order, and any order stays within the dot product's
/// error bound. The mix is elementwise and vectorises as written.

#include <cmath>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct beta_gate_impl;

template <>
struct beta_gate_impl<host> {
  /// Below this many elements (N * D) the loop runs on one thread.
  static constexpr index_t parallel_min_elements = index_t{1} << 14;
  static constexpr int lanes = 8;

  /// Shapes were checked by ops::beta_gate. y may alias out or x_r: row i of y is written only
  /// after row i's gate is known, and element c is read before it is written.
  static void run(TensorView<float const, 2, host> out,     // [N, D]
                  TensorView<float const, 2, host> x_r,     // [N, D]
                  TensorView<float const, 2, host> w_beta,  // [1, 3D]
                  TensorView<float, 2, host> y) {           // [N, D]
    index_t const n = out.extent(0), d = out.extent(1);
    float const* w_out = w_beta.data();  // [D] weighs out
    float const* w_xr = w_out + d;       // [D] weighs x_r
    float const* w_diff = w_xr + d;      // [D] weighs out - x_r
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (n * d >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      float const* m = out.row(i);  // [D]
      float const* r = x_r.row(i);  // [D]
      float acc[lanes] = {};
      index_t c = 0;
      for (; c + lanes <= d; c += lanes) {
        for (int l = 0; l < lanes; ++l) {
          index_t const cc = c + l;
          acc[l] += w_out[cc] * m[cc] + w_xr[cc] * r[cc] + w_diff[cc] * (m[cc] - r[cc]);
        }
      }
      float z = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
      for (; c < d; ++c) z += w_out[c] * m[c] + w_xr[c] * r[c] + w_diff[c] * (m[c] - r[c]);
      float const b = 1.0f / (1.0f + std::exp(-z));  // torch.sigmoid; exp overflow gives b = 0, not NaN
      float const one_minus_b = 1.0f - b;
      float* yi = y.row(i);  // [D]
      for (index_t cc = 0; cc < d; ++cc) yi[cc] = b * r[cc] + one_minus_b * m[cc];
    }
  }
};

}  // namespace graphtx::ops::detail
