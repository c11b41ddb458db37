#pragma once
/// \file
/// \brief Textbook concat_columns, the oracle for every backend of ops::concat_columns.

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

/// y[r, offset + c] = x[r, c]. x: [R, F], y: [R, W], offset + F <= W.
template <class T>
void concat_columns(std::type_identity_t<TensorView<T const, 2>> x, index_t offset, TensorView<T, 2> y) {
  check_extent("reference::concat_columns", "y (rows of x)", 0, y.extent(0), x.extent(0));
  if (offset < 0 || offset + x.extent(1) > y.extent(1)) {
    throw shape_error(graphtx::detail::cat("reference::concat_columns: columns [", offset, ", ", offset + x.extent(1),
                                           ") do not fit in y of ", y.extent(1), " columns"));
  }
  for (index_t r = 0; r < x.extent(0); ++r)
    for (index_t c = 0; c < x.extent(1); ++c) y(r, offset + c) = x(r, c);
}

}  // namespace graphtx::ops::reference
