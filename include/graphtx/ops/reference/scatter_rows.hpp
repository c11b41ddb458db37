#pragma once
/// \file
/// \brief Textbook scatter_rows, the oracle for every backend of ops::scatter_rows. Unlike the
/// backends it checks every index (range and repeats) and throws graph_error naming it.

#include <cstdint>
#include <type_traits>
#include <vector>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

/// dst[rows[r], :] = src[r, :]. src: [M, F], rows: [M] distinct, dst: [N, F].
template <class T>
void scatter_rows(std::type_identity_t<TensorView<T const, 2>> src, TensorView<std::int32_t const, 1> rows,
                  TensorView<T, 2> dst) {
  check_extent("reference::scatter_rows", "src", 0, src.extent(0), rows.extent(0));
  check_extent("reference::scatter_rows", "dst", 1, dst.extent(1), src.extent(1));
  std::vector<index_t> first_use(static_cast<std::size_t>(dst.extent(0)), -1);
  for (index_t r = 0; r < rows.extent(0); ++r) {
    index_t const d = rows(r);
    if (d < 0 || d >= dst.extent(0)) {
      throw graph_error(graphtx::detail::cat("reference::scatter_rows: rows[", r, "] is ", d, ", expected in [0, ",
                                             dst.extent(0), ") (rows of dst)"));
    }
    if (first_use[static_cast<std::size_t>(d)] >= 0) {
      throw graph_error(graphtx::detail::cat("reference::scatter_rows: rows[", r, "] is ", d, ", already used by rows[",
                                             first_use[static_cast<std::size_t>(d)], "]; rows must be distinct"));
    }
    first_use[static_cast<std::size_t>(d)] = r;
    for (index_t c = 0; c < src.extent(1); ++c) dst(d, c) = src(r, c);
  }
}

}  // namespace graphtx::ops::reference
