#pragma once
/// \file
/// \brief Host backend of ops::layer_norm: per row, two-pass mean and variance accumulated in
/// double, rows split across OpenMP threads. Included by <graphtx/ops/layer_norm.hpp>.

#include <cmath>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct layer_norm_impl;

template <>
struct layer_norm_impl<host> {
  /// Below this many elements the loop runs on one thread.
  static constexpr index_t parallel_min_elements = index_t{1} << 15;

  /// Shapes were checked by ops::layer_norm. y may alias x: row i is read completely (two passes)
  /// before it is written, and the write pass reads x[i, c] before writing y[i, c].
  ///
  /// Why double: measured on 2000 random rows of 256 (x ~ N(shift, 1), gamma ~ 1, beta ~ 0.1),
  /// against the double reference, in units of u * (|z gamma| + |beta|) with u = 2^-24:
  ///   float two-pass statistics:  378 (shift 0), 9.5e3 (shift 3), 3.8e5 (shift 100);
  ///   double statistics:          1.0 for every shift (only the final rounding to float).
  /// Float statistics lose digits in the mean (error ~ sqrt(F) u |x|), which then shows up in
  /// every small (x - mean). PyTorch's float kernels are not exact either, so being as close to
  /// the exact result as we can is what keeps us closest to any of them (CPU or CUDA). The cost is
  /// negligible: LayerNorm is O(N F) next to the O(N F^2) GEMMs around it.
  static void run(TensorView<float const, 2, host> x,      // [N, F]
                  TensorView<float const, 1, host> gamma,  // [F]
                  TensorView<float const, 1, host> beta,   // [F]
                  float eps,
                  TensorView<float, 2, host> y) {  // [N, F]
    index_t const n = x.extent(0);
    index_t const f = x.extent(1);
    if (n == 0 || f == 0) return;
    float const* g = gamma.data();
    float const* b = beta.data();
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (n * f >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      float const* xr = x.row(i);  // [F]
      float* yr = y.row(i);        // [F]
      double sum = 0.0;
      for (index_t c = 0; c < f; ++c) sum += static_cast<double>(xr[c]);
      double const mean = sum / static_cast<double>(f);
      double sq = 0.0;
      for (index_t c = 0; c < f; ++c) {
        double const d = static_cast<double>(xr[c]) - mean;
        sq += d * d;
      }
      double const var = sq / static_cast<double>(f);  // biased, as torch
      double const rstd = 1.0 / std::sqrt(var + static_cast<double>(eps));
      for (index_t c = 0; c < f; ++c) {
        double const z = (static_cast<double>(xr[c]) - mean) * rstd;
        yr[c] = static_cast<float>(z * static_cast<double>(g[c]) + static_cast<double>(b[c]));
      }
    }
  }
};

}  // namespace graphtx::ops::detail
