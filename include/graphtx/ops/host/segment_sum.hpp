#pragma once
/// \file
/// \brief Host backend of ops::segment_sum: one segment per loop iteration, segments split across
/// OpenMP threads. Included by <graphtx/ops/segment_sum.hpp>; call ops::segment_sum.

#include <cstdint>
#include <cstring>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct segment_sum_impl;

template <>
struct segment_sum_impl<host> {
  /// Below this many touched elements (inputs + outputs) the loop runs on one thread.
  static constexpr index_t parallel_min_elements = index_t{1} << 16;

  /// Shapes were checked by ops::segment_sum; offsets are trusted (validated by graph/).
  ///
  /// Deterministic: a segment (one output row) is summed by one thread, rows in order, so the
  /// thread count only decides which thread does a row, never the order of its additions. Dynamic
  /// scheduling because segment lengths (in-degrees) vary a lot.
  static void run(TensorView<float const, 2, host> values,          // [E, F]
                  TensorView<std::int32_t const, 1, host> offsets,  // [N+1]
                  TensorView<float, 2, host> out) {                 // [N, F]
    index_t const n = out.extent(0);
    index_t const f = out.extent(1);
    if (n == 0 || f == 0) return;
    std::int32_t const* off = offsets.data();
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 16) if (values.size() + out.size() >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      float* o = out.row(i);  // [F]
      std::memset(o, 0, static_cast<std::size_t>(f) * sizeof(float));
      for (index_t e = off[i]; e < off[i + 1]; ++e) {
        float const* v = values.row(e);  // [F]
        for (index_t c = 0; c < f; ++c) o[c] += v[c];
      }
    }
  }
};

}  // namespace graphtx::ops::detail
