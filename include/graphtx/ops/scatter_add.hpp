#pragma once
/// \file
/// \brief ops::scatter_add: out[index[e], :] += values[e, :] in edge order (torch's
/// `out.index_add_(0, index, values)` / PyG's sum aggregation over COO edges).
///
/// **Example**:
/// \code
/// auto agg = graphtx::Tensor<float, 2>::zeros({N, F});
/// graphtx::ops::scatter_add(messages, dst_of_edge, agg.view());   // [E, F], [E] -> [N, F]
/// \endcode

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct scatter_add_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::scatter_add has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// out[index[e], :] += values[e, :] for e = 0, 1, ..., E-1, in that order.
///
/// - values: [E, F], index: [E] int32, out: [N, F]. `out` is added to, not overwritten: zero it
///   first for PyG's sum aggregation (nodes with no edge then stay 0).
/// - The host backend is deterministic: every out element receives its terms in edge order, so the
///   result is bitwise the same for any number of threads (and equals the sequential loop).
/// - The values of `index` are NOT checked: ops trust indices validated by graph/. An index outside
///   [0, N) is undefined behaviour; ops::reference::scatter_add checks and throws graph_error.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void scatter_add(std::type_identity_t<TensorView<float const, 2, Space>> values,        // [E, F]
                 std::type_identity_t<TensorView<std::int32_t const, 1, Space>> index,  // [E]
                 TensorView<float, 2, Space> out) {                                     // [N, F]
  check_extent("scatter_add", "index", 0, index.extent(0), values.extent(0));  // E
  check_extent("scatter_add", "out", 1, out.extent(1), values.extent(1));      // F
  detail::scatter_add_impl<Space>::run(values, index, out);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/scatter_add.hpp>
