#pragma once
/// \file
/// \brief Host backend of ops::scatter_rows: one memcpy per row, rows split across OpenMP threads
/// (distinct destination rows, so threads never write the same bytes).
/// Included by <graphtx/ops/scatter_rows.hpp>; call ops::scatter_rows, not this struct.

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct scatter_rows_impl;

template <>
struct scatter_rows_impl<host> {
  /// Below this many copied elements the scatter runs on one thread (thread start-up costs more).
  static constexpr index_t parallel_min_elements = index_t{1} << 16;

  /// Shapes were checked by ops::scatter_rows; indices are trusted.
  static void run(TensorView<float const, 2, host> src,         // [M, F]
                  TensorView<std::int32_t const, 1, host> rows,  // [M]
                  TensorView<float, 2, host> dst) {              // [N, F]
    index_t const m = src.extent(0);
    index_t const f = src.extent(1);
    if (m == 0 || f == 0) return;
    std::size_t const row_bytes = static_cast<std::size_t>(f) * sizeof(float);
    std::int32_t const* idx = rows.data();
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (m * f >= parallel_min_elements)
#endif
    for (index_t r = 0; r < m; ++r) {
      std::memcpy(dst.row(idx[r]), src.row(r), row_bytes);
    }
  }
};

}  // namespace graphtx::ops::detail
