#pragma once
/// \file
/// \brief Host backend of the global pools: one graph per loop iteration, graphs split across
/// OpenMP threads (deterministic: each graph is reduced in row order by one thread). Included by
/// <graphtx/ops/pooling.hpp>; call ops::global_mean_pool and friends.

#include <cmath>
#include <cstdint>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/pooling.hpp>  // pool_reduce; safe both ways round thanks to #pragma once


namespace graphtx::ops::detail {

template <class Space>
struct pool_impl;

template <>
struct pool_impl<host> {
  /// Below this many touched elements the loop runs on one thread.
  static constexpr index_t parallel_min_elements = index_t{1} << 16;

  /// Shapes were checked by the front door; ptr is trusted (validated by graph/).
  static void run(pool_reduce reduce,
                  TensorView<float const, 2, host> x,          // [N, F]
                  TensorView<std::int32_t const, 1, host> ptr,  // [G+1]
                  TensorView<float, 2, host> out) {            // [G, F]
    index_t const g_count = out.extent(0);
    index_t const f = out.extent(1);
    if (g_count == 0 || f == 0) return;
    std::int32_t const* p = ptr.data();
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 8) if (x.size() + out.size() >= parallel_min_elements)
#endif
    for (index_t g = 0; g < g_count; ++g) {
      float* o = out.row(g);  // [F]
      index_t const begin = p[g];
      index_t const end = p[g + 1];
      for (index_t c = 0; c < f; ++c) o[c] = 0.0f;
      if (end <= begin) continue;  // empty graph: 0 for every reduction (PyG)
      if (reduce == pool_reduce::max) {
        for (index_t c = 0; c < f; ++c) o[c] = x(begin, c);
        for (index_t n = begin + 1; n < end; ++n) {
          float const* xr = x.row(n);  // [F]
          for (index_t c = 0; c < f; ++c) {
            // Keep a NaN once seen (torch's amax propagates NaN); otherwise the larger value.
            if (!(xr[c] <= o[c]) && !std::isnan(o[c])) o[c] = xr[c];
          }
        }
        continue;
      }
      for (index_t n = begin; n < end; ++n) {
        float const* xr = x.row(n);  // [F]
        for (index_t c = 0; c < f; ++c) o[c] += xr[c];
      }
      if (reduce == pool_reduce::mean) {
        // Divide (not multiply by a reciprocal): PyG computes sum / count.
        float const count = static_cast<float>(end - begin);
        for (index_t c = 0; c < f; ++c) o[c] /= count;
      }
    }
  }
};

}  // namespace graphtx::ops::detail
