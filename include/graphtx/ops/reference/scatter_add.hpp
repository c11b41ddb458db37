#pragma once
/// \file
/// \brief Textbook scatter_add, the oracle for every backend of ops::scatter_add. Each output
/// element is accumulated in double, in edge order, starting from its old value; indices are
/// checked (graph_error).

#include <cstdint>
#include <type_traits>
#include <vector>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

/// out[index[e], :] += values[e, :]. values: [E, F], index: [E], out: [N, F].
template <class T>
void scatter_add(std::type_identity_t<TensorView<T const, 2>> values, TensorView<std::int32_t const, 1> index,
                 TensorView<T, 2> out) {
  check_extent("reference::scatter_add", "index", 0, index.extent(0), values.extent(0));
  check_extent("reference::scatter_add", "out", 1, out.extent(1), values.extent(1));
  for (index_t e = 0; e < index.extent(0); ++e) {
    if (index(e) < 0 || index(e) >= out.extent(0)) {
      throw graph_error(graphtx::detail::cat("reference::scatter_add: index[", e, "] is ", index(e),
                                             ", expected in [0, ", out.extent(0), ") (rows of out)"));
    }
  }
  std::vector<double> acc(static_cast<std::size_t>(out.size()));  // [N, F]
  for (index_t i = 0; i < out.size(); ++i) acc[static_cast<std::size_t>(i)] = static_cast<double>(out.data()[i]);
  index_t const f = out.extent(1);
  for (index_t e = 0; e < values.extent(0); ++e) {
    for (index_t c = 0; c < f; ++c) acc[static_cast<std::size_t>(index(e) * f + c)] += static_cast<double>(values(e, c));
  }
  for (index_t i = 0; i < out.size(); ++i) out.data()[i] = static_cast<T>(acc[static_cast<std::size_t>(i)]);
}

}  // namespace graphtx::ops::reference
