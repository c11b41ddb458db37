#pragma once
/// \file
/// \brief Textbook segment_sum, the oracle for every backend of ops::segment_sum: each segment
/// summed in double, rows in order; offsets are checked (graph_error).

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

namespace detail {
/// Throws graph_error unless offsets is non-decreasing and within [0, rows]. `where` names the op.
inline void check_offsets(char const* where, char const* what, TensorView<std::int32_t const, 1> offsets,
                          index_t rows) {
  for (index_t i = 0; i < offsets.extent(0); ++i) {
    if (offsets(i) < 0 || offsets(i) > rows) {
      throw graph_error(graphtx::detail::cat(where, ": ", what, "[", i, "] is ", offsets(i), ", expected in [0, ",
                                             rows, "]"));
    }
    if (i > 0 && offsets(i) < offsets(i - 1)) {
      throw graph_error(graphtx::detail::cat(where, ": ", what, "[", i, "] is ", offsets(i), ", less than ", what,
                                             "[", i - 1, "] = ", offsets(i - 1), " (must be non-decreasing)"));
    }
  }
}
}  // namespace detail

/// out[i, :] = sum of values[offsets[i] .. offsets[i+1]-1, :]; empty segment -> 0.
/// values: [E, F], offsets: [N+1], out: [N, F].
template <class T>
void segment_sum(std::type_identity_t<TensorView<T const, 2>> values, TensorView<std::int32_t const, 1> offsets,
                 TensorView<T, 2> out) {
  check_extent("reference::segment_sum", "offsets", 0, offsets.extent(0), out.extent(0) + 1);
  check_extent("reference::segment_sum", "out", 1, out.extent(1), values.extent(1));
  detail::check_offsets("reference::segment_sum", "offsets", offsets, values.extent(0));
  for (index_t i = 0; i < out.extent(0); ++i) {
    for (index_t c = 0; c < out.extent(1); ++c) {
      double acc = 0.0;
      for (index_t e = offsets(i); e < offsets(i + 1); ++e) acc += static_cast<double>(values(e, c));
      out(i, c) = static_cast<T>(acc);
    }
  }
}

}  // namespace graphtx::ops::reference
