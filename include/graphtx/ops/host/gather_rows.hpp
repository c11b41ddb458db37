#pragma once
/// \file
/// \brief Host backend of ops::gather_rows: one memcpy per row, rows split across OpenMP threads.
/// Included by <graphtx/ops/gather_rows.hpp>; call ops::gather_rows, not this struct.

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct gather_rows_impl;

template <>
struct gather_rows_impl<host> {
  /// Below this many copied elements the gather runs on one thread (thread start-up costs more).
  static constexpr index_t parallel_min_elements = index_t{1} << 16;

  /// Shapes were checked by ops::gather_rows; indices are trusted (validated by graph/).
  static void run(TensorView<float const, 2, host> src,         // [M, F]
                  TensorView<std::int32_t const, 1, host> rows,  // [E]
                  TensorView<float, 2, host> dst) {              // [E, F]
    index_t const e_count = dst.extent(0);
    index_t const f = dst.extent(1);
    if (e_count == 0 || f == 0) return;
    std::size_t const row_bytes = static_cast<std::size_t>(f) * sizeof(float);
    std::int32_t const* idx = rows.data();
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (e_count * f >= parallel_min_elements)
#endif
    for (index_t e = 0; e < e_count; ++e) {
      std::memcpy(dst.row(e), src.row(idx[e]), row_bytes);
    }
  }
};

}  // namespace graphtx::ops::detail
