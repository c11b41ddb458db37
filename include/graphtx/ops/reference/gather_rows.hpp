#pragma once
/// \file
/// \brief Textbook gather_rows, the oracle for every backend of ops::gather_rows. Unlike the
/// backends it checks every index and throws graph_error naming it.

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

/// dst[e, :] = src[rows[e], :]. src: [M, F], rows: [E], dst: [E, F].
template <class T>
void gather_rows(std::type_identity_t<TensorView<T const, 2>> src, TensorView<std::int32_t const, 1> rows,
                 TensorView<T, 2> dst) {
  check_extent("reference::gather_rows", "dst", 0, dst.extent(0), rows.extent(0));
  check_extent("reference::gather_rows", "dst", 1, dst.extent(1), src.extent(1));
  for (index_t e = 0; e < rows.extent(0); ++e) {
    index_t const r = rows(e);
    if (r < 0 || r >= src.extent(0)) {
      throw graph_error(graphtx::detail::cat("reference::gather_rows: rows[", e, "] is ", r, ", expected in [0, ",
                                             src.extent(0), ") (rows of src)"));
    }
    for (index_t c = 0; c < src.extent(1); ++c) dst(e, c) = src(r, c);
  }
}

}  // namespace graphtx::ops::reference
