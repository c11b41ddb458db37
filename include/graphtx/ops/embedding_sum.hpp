#pragma once
/// \file
/// \brief ops::embedding_sum: out[n, :] = sum over k of tables[k][x[n, k], :], the forward of
/// OGB's AtomEncoder / BondEncoder (one torch.nn.Embedding per column of x, summed) and, with one
/// column, of torch.nn.Embedding itself.
///
/// **Example** (an AtomEncoder over OGB's 9 atom features, D = 256):
/// \code
/// std::array<graphtx::TensorView<float const, 2>, 9> tables{};   // atom_embedding_list.k.weight: [rows_k, 256]
/// for (int k = 0; k < 9; ++k) tables[k] = weights[k].cview();
/// graphtx::ops::embedding_sum(x_int, tables, h.view());          // [N, 9] int64 -> [N, 256]
/// \endcode

#include <cstdint>
#include <span>
#include <string>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct embedding_sum_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::embedding_sum has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};

/// The value_error every backend throws for an index outside its table:
/// "embedding_sum: x[3, 1] = 7 is out of range for table 1 with 5 rows".
inline value_error embedding_index_error(char const* where, index_t row, index_t column, std::int64_t value,
                                         index_t table_rows) {
  return value_error(graphtx::detail::cat(where, ": x[", row, ", ", column, "] = ", value,
                                          " is out of range for table ", column, " with ", table_rows, " rows"));
}
}  // namespace detail

/// out[n, :] = ((tables[0][x[n, 0], :] + tables[1][x[n, 1], :]) + tables[2][x[n, 2], :]) + ...
///
/// summed in float in column order k = 0, 1, ..., K-1, starting from the first embedding: the
/// order of OGB's `x_embedding += self.atom_embedding_list[i](x[:, i])` loop, so the result is
/// bitwise PyTorch's (OGB starts from the Python int 0, so it would turn an all -0.0 sum into
/// +0.0; that is the one difference). K = 1 is torch.nn.Embedding (a pure gather; padding_idx
/// changes nothing in eval; max_norm is not supported). K = 0 writes zeros.
///
/// - x: [N, K] int64 (OGB's `x` / `edge_attr`), in Space.
/// - tables: K views, table k being [rows_k, D] in Space (the embeddings' `.weight`s). The span
///   itself is a host-side array; the views it holds point into Space's memory.
/// - out: [N, D]; must not overlap x or any table.
///
/// Every index is checked before anything is written (torch checks them too): an x[n, k] < 0 or
/// >= rows_k throws value_error naming the first bad one in row-major order, e.g.
/// "embedding_sum: x[3, 1] = 7 is out of range for table 1 with 5 rows". On CUDA this costs one
/// reduction over x and a copy of its result to the host (a synchronisation), then the gather.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void embedding_sum(std::type_identity_t<TensorView<std::int64_t const, 2, Space>> x,          // [N, K]
                   std::type_identity_t<std::span<TensorView<float const, 2, Space> const>> tables,  // K x [rows_k, D]
                   TensorView<float, 2, Space> out) {                                          // [N, D]
  if (static_cast<index_t>(tables.size()) != x.extent(1)) {
    throw shape_error(graphtx::detail::cat("embedding_sum: ", tables.size(), " tables given, expected ", x.extent(1),
                                           " (one per column of x, which is ",
                                           graphtx::detail::shape_string(x.extents()), ")"));
  }
  check_extent("embedding_sum", "out", 0, out.extent(0), x.extent(0));  // N
  for (std::size_t k = 0; k < tables.size(); ++k) {
    if (tables[k].extent(1) != out.extent(1)) {
      throw shape_error(graphtx::detail::cat("embedding_sum: table ", k, " has extent ", tables[k].extent(1),
                                             " in dim 1, expected ", out.extent(1), " (out's D)"));
    }
  }
  detail::embedding_sum_impl<Space>::run(x, tables, out);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/embedding_sum.hpp>
