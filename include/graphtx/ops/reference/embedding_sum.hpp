#pragma once
/// \file
/// \brief Textbook embedding sum, the oracle for every backend of ops::embedding_sum: checks every
/// index, then out[n, :] = sum over k of tables[k][x[n, k], :] summed in T in column order.

#include <cstdint>
#include <span>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/embedding_sum.hpp>  // detail::embedding_index_error

namespace graphtx::ops::reference {

/// x: [N, K] int64; tables: K views [rows_k, D]; out: [N, D]. Throws value_error
/// "reference::embedding_sum: x[n, k] = v is out of range for table k with R rows" for the first
/// bad index in row-major order, before writing anything.
template <class T>
void embedding_sum(TensorView<std::int64_t const, 2> x,                                     // [N, K]
                   std::type_identity_t<std::span<TensorView<T const, 2> const>> tables,  // K x [rows_k, D]
                   TensorView<T, 2> out) {                                                // [N, D]
  check_extent("reference::embedding_sum", "tables", 0, static_cast<index_t>(tables.size()), x.extent(1));
  check_extent("reference::embedding_sum", "out", 0, out.extent(0), x.extent(0));
  for (std::size_t k = 0; k < tables.size(); ++k)
    check_extent("reference::embedding_sum", "table", 1, tables[k].extent(1), out.extent(1));
  for (index_t n = 0; n < x.extent(0); ++n) {
    for (index_t k = 0; k < x.extent(1); ++k) {
      index_t const rows = tables[static_cast<std::size_t>(k)].extent(0);
      if (x(n, k) < 0 || x(n, k) >= rows)
        throw ops::detail::embedding_index_error("reference::embedding_sum", n, k, x(n, k), rows);
    }
  }
  for (index_t n = 0; n < x.extent(0); ++n) {
    for (index_t c = 0; c < out.extent(1); ++c) {
      T sum = T(0);
      for (index_t k = 0; k < x.extent(1); ++k) {
        T const e = tables[static_cast<std::size_t>(k)](static_cast<index_t>(x(n, k)), c);
        sum = k == 0 ? e : sum + e;  // starts from the first embedding, as ops::embedding_sum
      }
      out(n, c) = sum;
    }
  }
}

}  // namespace graphtx::ops::reference
