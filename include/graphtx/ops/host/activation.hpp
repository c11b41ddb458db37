#pragma once
/// \file
/// \brief Host backend of ops::relu: one vectorisable loop, split across OpenMP threads when large.
/// Included by <graphtx/ops/activation.hpp>; call ops::relu.

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct relu_impl;

template <>
struct relu_impl<host> {
  /// Below this many elements the loop runs on one thread (it is memory-bound and short).
  static constexpr index_t parallel_min_elements = index_t{1} << 17;

  /// Shapes were checked by ops::relu. y may alias x (element i is read before it is written).
  static void run(TensorView<float const, 2, host> x,  // [N, F]
                  TensorView<float, 2, host> y) {      // [N, F]
    index_t const n = x.size();
    float const* xp = x.data();
    float* yp = y.data();
    // `v < 0 ? 0 : v`: NaN compares false, so NaN passes through unchanged (torch's clamp_min).
#if defined(_OPENMP)
#pragma omp parallel for simd schedule(static) if (n >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      float const v = xp[i];
      yp[i] = v < 0.0f ? 0.0f : v;
    }
  }
};

}  // namespace graphtx::ops::detail
