#pragma once
/// \file
/// \brief Host backend of ops::scatter_add, deterministic for any thread count. Included by
/// <graphtx/ops/scatter_add.hpp>; call ops::scatter_add, not this struct.

#include <algorithm>
#include <cstdint>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct scatter_add_impl;

template <>
struct scatter_add_impl<host> {
  /// Below this many added elements the scatter runs on one thread.
  static constexpr index_t parallel_min_elements = index_t{1} << 16;
  /// Columns per task come in multiples of 16 floats (one 64-byte line), which limits false sharing.
  static constexpr index_t column_quantum = 16;

  /// Shapes were checked by ops::scatter_add; indices are trusted (validated by graph/).
  ///
  /// Why this is deterministic: threads split the FEATURE COLUMNS, never the edges. Each thread
  /// walks all E edges in order and adds only its own column block, so out[i, c] receives
  /// values[e1, c], values[e2, c], ... (e1 < e2 < ...) in edge order on exactly one thread: the
  /// same additions in the same order as the sequential loop, whatever the thread count. Splitting
  /// edges instead would need atomics or per-thread partial sums, whose combination order changes
  /// the float result. The cost: with fewer than 2 * 16 columns there is nothing to split and the
  /// loop runs on one thread (callers with narrow features and many edges should prefer a CSR
  /// segment_sum, which parallelises over destination nodes).
  static void run(TensorView<float const, 2, host> values,        // [E, F]
                  TensorView<std::int32_t const, 1, host> index,  // [E]
                  TensorView<float, 2, host> out) {               // [N, F]
    index_t const e_count = values.extent(0);
    index_t const f = values.extent(1);
    if (e_count == 0 || f == 0) return;

    int threads = 1;
#if defined(_OPENMP)
    if (e_count * f >= parallel_min_elements) threads = omp_get_max_threads();
#endif
    // Widest block that still gives every thread one; the split never changes the result.
    index_t const per_thread = (f + threads - 1) / threads;
    index_t const block =
        std::max(column_quantum, (per_thread + column_quantum - 1) / column_quantum * column_quantum);
    index_t const blocks = (f + block - 1) / block;  // [F / block]

    std::int32_t const* idx = index.data();
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && blocks > 1)
#endif
    for (index_t k = 0; k < blocks; ++k) {
      index_t const c0 = k * block;
      index_t const c1 = std::min(f, c0 + block);
      for (index_t e = 0; e < e_count; ++e) {
        float const* v = values.row(e);  // [F]
        float* o = out.row(idx[e]);      // [F]
        for (index_t c = c0; c < c1; ++c) o[c] += v[c];
      }
    }
  }
};

}  // namespace graphtx::ops::detail
