#pragma once
/// \file
/// \brief ops::beta_gate: TransformerConv's gated skip connection (beta=True with root_weight=True,
/// docs/pyg_semantics.md, TransformerConv: beta gate):
///
///     b[i] = sigmoid(w_beta . cat([out[i], x_r[i], out[i] - x_r[i]]))   one scalar per node (lin_beta, no bias)
///     y[i] = b[i] * x_r[i] + (1 - b[i]) * out[i]
///
/// The concatenation order is PyG's code, [out, x_r, out - x_r]: columns [0, D) of lin_beta.weight
/// weigh out, [D, 2D) weigh x_r and [2D, 3D) weigh out - x_r (the docstring says otherwise). The
/// sigmoid is torch's, 1 / (1 + exp(-z)); out - x_r and 1 - b are rounded to fp32 before use, as
/// the tensor expressions in PyG round them.
///
/// **Example**:
/// \code
/// graphtx::ops::beta_gate(out.cview(), x_r.cview(), lin_beta.weight.cview(), out.view());  // [N, D], in place
/// \endcode

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct beta_gate_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::beta_gate has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};

/// "beta_gate: <tensor> has extent A in dim d, expected B (<meaning>)".
inline void beta_gate_check_dim(char const* tensor, int dim, index_t actual, index_t expected, char const* meaning) {
  if (actual != expected) {
    throw shape_error(graphtx::detail::cat("beta_gate: ", tensor, " has extent ", actual, " in dim ", dim,
                                           ", expected ", expected, " (", meaning, ")"));
  }
}
}  // namespace detail

/// Mixes the aggregated messages with the skip projection through a learned per-node gate.
///
/// - out: [N, D] aggregated messages (after concat or the head mean); x_r: [N, D] lin_skip(x_dst);
///   w_beta: [1, 3D] lin_beta.weight (lin_beta has no bias); y: [N, D] (overwritten).
/// - y may be the same memory as out or as x_r (in place); partial overlap is not allowed.
/// - Deterministic for any thread count: one thread computes a node, in a fixed order.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void beta_gate(std::type_identity_t<TensorView<float const, 2, Space>> out,     // [N, D]
               std::type_identity_t<TensorView<float const, 2, Space>> x_r,     // [N, D]
               std::type_identity_t<TensorView<float const, 2, Space>> w_beta,  // [1, 3D]
               TensorView<float, 2, Space> y) {                                 // [N, D]
  detail::beta_gate_check_dim("x_r", 0, x_r.extent(0), out.extent(0), "N, as out");
  detail::beta_gate_check_dim("x_r", 1, x_r.extent(1), out.extent(1), "D, as out");
  detail::beta_gate_check_dim("w_beta", 0, w_beta.extent(0), 1, "lin_beta has one output");
  detail::beta_gate_check_dim("w_beta", 1, w_beta.extent(1), 3 * out.extent(1), "3*D, for [out, x_r, out - x_r]");
  detail::beta_gate_check_dim("y", 0, y.extent(0), out.extent(0), "N, as out");
  detail::beta_gate_check_dim("y", 1, y.extent(1), out.extent(1), "D, as out");
  detail::beta_gate_impl<Space>::run(out, x_r, w_beta, y);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/beta_gate.hpp>
