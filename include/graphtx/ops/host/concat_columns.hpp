#pragma once
/// \file
/// \brief Host backend of ops::concat_columns: one memcpy per row, rows split across OpenMP threads
/// when large. Included by <graphtx/ops/concat_columns.hpp>; call ops::concat_columns, not this struct.

#include <cstddef>
#include <cstring>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct concat_columns_impl;

template <>
struct concat_columns_impl<host> {
  /// Below this many copied elements the copy runs on one thread (thread start-up costs more).
  static constexpr index_t parallel_min_elements = index_t{1} << 16;

  /// Shapes were checked by ops::concat_columns (R > 0, F > 0, the block fits).
  static void run(TensorView<float const, 2, host> x,  // [R, F]
                  index_t offset,
                  TensorView<float, 2, host> y) {  // [R, W]
    index_t const rows = x.extent(0);
    std::size_t const row_bytes = static_cast<std::size_t>(x.extent(1)) * sizeof(float);
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (x.size() >= parallel_min_elements)
#endif
    for (index_t r = 0; r < rows; ++r) std::memcpy(y.row(r) + offset, x.row(r), row_bytes);
  }
};

}  // namespace graphtx::ops::detail
