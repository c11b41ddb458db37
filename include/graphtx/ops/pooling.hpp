#pragma once
/// \file
/// \brief Graph readout over a batch of graphs stored back to back (PyG's Batch): global_mean_pool,
/// global_add_pool and global_max_pool, each taking the batch's `ptr` ([G+1], graph g owns nodes
/// ptr[g] .. ptr[g+1]-1) instead of PyG's per-node `batch` vector.
///
/// **Example**:
/// \code
/// graphtx::ops::global_mean_pool(x, batch_ptr, pooled.view());   // [N, F], [G+1] -> [G, F]
/// \endcode

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

/// Which reduction a pooling call performs.
enum class pool_reduce { sum, mean, max };

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct pool_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::pooling has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};

template <class Space>
void check_pool(char const* where, TensorView<float const, 2, Space> x, TensorView<std::int32_t const, 1, Space> ptr,
                TensorView<float, 2, Space> out) {
  if (ptr.extent(0) != out.extent(0) + 1) {
    throw shape_error(graphtx::detail::cat(where, ": ptr has extent ", ptr.extent(0), " in dim 0, expected ",
                                           out.extent(0) + 1, " (G+1, G from out)"));
  }
  check_extent(where, "out", 1, out.extent(1), x.extent(1));  // F
}
}  // namespace detail

/// out[g, :] = mean of x[ptr[g] .. ptr[g+1]-1, :] (PyG global_mean_pool): the rows are summed in
/// order, then divided by the node count; a graph with no nodes gives 0 (PyG clamps the count to 1).
///
/// - x: [N, F], ptr: [G+1] int32, out: [G, F] (overwritten).
/// - `ptr` values are trusted (validated by graph/ when the batch is built): non-decreasing, in
///   [0, N]. ops::reference::global_mean_pool checks them.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void global_mean_pool(std::type_identity_t<TensorView<float const, 2, Space>> x,          // [N, F]
                      std::type_identity_t<TensorView<std::int32_t const, 1, Space>> ptr,  // [G+1]
                      TensorView<float, 2, Space> out) {                                   // [G, F]
  detail::check_pool<Space>("global_mean_pool", x, ptr, out);
  detail::pool_impl<Space>::run(pool_reduce::mean, x, ptr, out);
}

/// out[g, :] = sum of x[ptr[g] .. ptr[g+1]-1, :] in row order (PyG global_add_pool); empty graph -> 0.
/// Shapes and trust as global_mean_pool.
template <class Space>
void global_add_pool(std::type_identity_t<TensorView<float const, 2, Space>> x,          // [N, F]
                     std::type_identity_t<TensorView<std::int32_t const, 1, Space>> ptr,  // [G+1]
                     TensorView<float, 2, Space> out) {                                   // [G, F]
  detail::check_pool<Space>("global_add_pool", x, ptr, out);
  detail::pool_impl<Space>::run(pool_reduce::sum, x, ptr, out);
}

/// out[g, :] = elementwise max of x[ptr[g] .. ptr[g+1]-1, :] (PyG global_max_pool); an empty graph
/// gives 0 (PyG's scatter "max" starts from zeros with include_self=False), and NaN propagates
/// (torch's amax). Shapes and trust as global_mean_pool.
template <class Space>
void global_max_pool(std::type_identity_t<TensorView<float const, 2, Space>> x,          // [N, F]
                     std::type_identity_t<TensorView<std::int32_t const, 1, Space>> ptr,  // [G+1]
                     TensorView<float, 2, Space> out) {                                   // [G, F]
  detail::check_pool<Space>("global_max_pool", x, ptr, out);
  detail::pool_impl<Space>::run(pool_reduce::max, x, ptr, out);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/pooling.hpp>
