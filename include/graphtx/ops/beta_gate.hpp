#pragma once
/// \file
/// \brief ops::beta_gate: TransformerConv's gated skip connection (beta=True, root_weight=True):
///
///     b = sigmoid(w_beta . [out, x_r, out - x_r])         one scalar per node (lin_beta, no bias)
///     y = b * x_r + (1 - b) * out
///
/// The concatenation order is PyG's code, [out, x_r, out - x_r] (its docstring says otherwise;
/// PYG_SPEC.md §1.2).

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
template <class Space>
struct beta_gate_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::beta_gate has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// out, x_r, y: [N, D]; w_beta: [1, 3D] (lin_beta.weight). y may alias out or x_r.
template <class Space>
void beta_gate(std::type_identity_t<TensorView<float const, 2, Space>> out,     // [N, D] aggregated messages
               std::type_identity_t<TensorView<float const, 2, Space>> x_r,     // [N, D] lin_skip(x_dst)
               std::type_identity_t<TensorView<float const, 2, Space>> w_beta,  // [1, 3D]
               TensorView<float, 2, Space> y) {                                 // [N, D]
  check_extent("beta_gate", "x_r", 0, x_r.extent(0), out.extent(0));
  check_extent("beta_gate", "x_r", 1, x_r.extent(1), out.extent(1));
  check_extent("beta_gate", "w_beta", 0, w_beta.extent(0), 1);
  check_extent("beta_gate", "w_beta", 1, w_beta.extent(1), 3 * out.extent(1));
  check_extent("beta_gate", "y", 0, y.extent(0), out.extent(0));
  check_extent("beta_gate", "y", 1, y.extent(1), out.extent(1));
  detail::beta_gate_impl<Space>::run(out, x_r, w_beta, y);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/beta_gate.hpp>
