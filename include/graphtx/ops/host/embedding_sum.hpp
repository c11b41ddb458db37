#pragma once
/// \file
/// \brief Host backend of ops::embedding_sum: one serial pass that checks every index, then rows
/// split across OpenMP threads, each row the first table's row copied and the others added in
/// column order. Included by <graphtx/ops/embedding_sum.hpp>.

#include <cstdint>
#include <cstring>
#include <span>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct embedding_sum_impl;

template <>
struct embedding_sum_impl<host> {
  /// Below this many output elements the gather runs on one thread.
  static constexpr index_t parallel_min_elements = index_t{1} << 15;

  /// Shapes were checked by ops::embedding_sum. Throws value_error (embedding_index_error) for
  /// the first index out of its table, row-major, before writing anything to out.
  static void run(TensorView<std::int64_t const, 2, host> x,                  // [N, K]
                  std::span<TensorView<float const, 2, host> const> tables,  // K x [rows_k, D]
                  TensorView<float, 2, host> out) {                          // [N, D]
    index_t const n = x.extent(0);
    index_t const k = x.extent(1);
    index_t const d = out.extent(1);
    for (index_t i = 0; i < n; ++i) {
      std::int64_t const* xr = x.row(i);  // [K]
      for (index_t j = 0; j < k; ++j) {
        index_t const rows = tables[static_cast<std::size_t>(j)].extent(0);
        if (xr[j] < 0 || xr[j] >= rows) throw embedding_index_error("embedding_sum", i, j, xr[j], rows);
      }
    }
    if (n == 0 || d == 0) return;
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (n * d >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      std::int64_t const* xr = x.row(i);  // [K]
      float* yr = out.row(i);             // [D]
      if (k == 0) {
        for (index_t c = 0; c < d; ++c) yr[c] = 0.0f;
        continue;
      }
      std::memcpy(yr, tables[0].row(static_cast<index_t>(xr[0])), static_cast<std::size_t>(d) * sizeof(float));
      for (index_t j = 1; j < k; ++j) {
        float const* er = tables[static_cast<std::size_t>(j)].row(static_cast<index_t>(xr[j]));  // [D]
        for (index_t c = 0; c < d; ++c) yr[c] += er[c];
      }
    }
  }
};

}  // namespace graphtx::ops::detail
