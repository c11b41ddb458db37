#pragma once
/// \file
/// \brief ops::graph_layer_norm: PyG's `torch_geometric.nn.LayerNorm(C, eps, affine, mode="graph")`,
/// which normalises each graph of a batch as one example, over all its nodes AND channels:
///
///     with batch:    mean_g = sum_{i in g, c} x[i, c] / (n_g C)
///                    var_g  = sum_{i in g, c} (x[i, c] - mean_g)^2 / (n_g C)        (biased)
///                    y[i, c] = (x[i, c] - mean_g) / sqrt(var_g + eps) * weight[c] + bias[c]
///     batch = None:  y = (x - x.mean()) / (x.std(unbiased=False) + eps) * weight + bias
///                    (eps added to the standard deviation, OUTSIDE the sqrt: PyG's other branch)
///
/// Graphs are given by the batch's `ptr` ([G+1], graph g owns nodes ptr[g] .. ptr[g+1]-1) instead of
/// PyG's per-node `batch` vector; ops::graph_layer_norm_unbatched is the batch = None branch.
///
/// **Example**:
/// \code
/// graphtx::ops::graph_layer_norm(x, batch_ptr, weight, bias, 1e-5f, x.view());   // in place, [N, C]
/// \endcode

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

/// Where eps enters the denominator (the two branches of PyG's LayerNorm(mode="graph")).
enum class graph_norm_eps {
  inside_sqrt,   ///< batch given:  (x - mean) / sqrt(var + eps)
  added_to_std,  ///< batch = None: (x - mean) / (sqrt(var) + eps)
};

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct graph_layer_norm_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::graph_layer_norm has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};

template <class Space>
void check_graph_layer_norm(char const* where, TensorView<float const, 2, Space> x,
                            TensorView<float const, 1, Space> weight, TensorView<float const, 1, Space> bias,
                            TensorView<float, 2, Space> y) {
  if ((weight.extent(0) == 0) != (bias.extent(0) == 0)) {
    throw shape_error(graphtx::detail::cat(where, ": weight has extent ", weight.extent(0), " and bias ",
                                           bias.extent(0), "; give both (affine=True, [C]) or neither (affine=False)"));
  }
  if (weight.extent(0) != 0) {
    check_extent(where, "weight (C)", 0, weight.extent(0), x.extent(1));
    check_extent(where, "bias (C)", 0, bias.extent(0), x.extent(1));
  }
  check_extent(where, "y", 0, y.extent(0), x.extent(0));  // N
  check_extent(where, "y", 1, y.extent(1), x.extent(1));  // C
}
}  // namespace detail

/// PyG's LayerNorm(C, eps, affine, mode="graph") with a batch: every graph normalised over its
/// n_g x C values, in PyG's formula order (mean, then the mean of the squared deviations from it,
/// then divide by sqrt(var + eps), then * weight + bias).
///
/// - x: [N, C], ptr: [G+1] int32, weight, bias: [C] (affine=True) or both empty views
///   (affine=False), y: [N, C]. y may be x itself (in place); partial overlap is not allowed.
/// - A graph with no nodes writes nothing. Rows outside every graph (ptr[G] < N) are not written.
/// - Statistics are accumulated in double and the output is computed in double and rounded once
///   (as ops::layer_norm; see ops/host/layer_norm.hpp for why): PyG's float result lies within its
///   own rounding error of ours. Deterministic for any thread count.
/// - `ptr` values are trusted (validated by graph/): non-decreasing, in [0, N].
///   ops::reference::graph_layer_norm checks them.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void graph_layer_norm(std::type_identity_t<TensorView<float const, 2, Space>> x,          // [N, C]
                      std::type_identity_t<TensorView<std::int32_t const, 1, Space>> ptr,  // [G+1]
                      std::type_identity_t<TensorView<float const, 1, Space>> weight,      // [C] or [0]
                      std::type_identity_t<TensorView<float const, 1, Space>> bias,        // [C] or [0]
                      float eps, TensorView<float, 2, Space> y) {                          // [N, C]
  if (ptr.extent(0) < 1) {
    throw shape_error("graph_layer_norm: ptr has extent 0 in dim 0, expected G+1 >= 1");
  }
  detail::check_graph_layer_norm<Space>("graph_layer_norm", x, weight, bias, y);
  detail::graph_layer_norm_impl<Space>::run(x, ptr, weight, bias, eps, graph_norm_eps::inside_sqrt, y);
}

/// PyG's LayerNorm(C, eps, affine, mode="graph") called with batch = None: all N rows are one graph
/// and eps is added to the (biased) standard deviation: y = (x - mean) / (std + eps) * weight + bias.
/// N = 0 writes nothing. Shapes, aliasing and precision as graph_layer_norm.
template <class Space>
void graph_layer_norm_unbatched(std::type_identity_t<TensorView<float const, 2, Space>> x,      // [N, C]
                                std::type_identity_t<TensorView<float const, 1, Space>> weight,  // [C] or [0]
                                std::type_identity_t<TensorView<float const, 1, Space>> bias,    // [C] or [0]
                                float eps, TensorView<float, 2, Space> y) {                      // [N, C]
  detail::check_graph_layer_norm<Space>("graph_layer_norm_unbatched", x, weight, bias, y);
  // An empty ptr view means "one graph of all N rows".
  detail::graph_layer_norm_impl<Space>::run(x, TensorView<std::int32_t const, 1, Space>(), weight, bias, eps,
                                            graph_norm_eps::added_to_std, y);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/graph_layer_norm.hpp>
