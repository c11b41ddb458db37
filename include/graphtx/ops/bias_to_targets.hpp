#pragma once
/// \file
/// \brief ops::add_bias_to_targets: out[i, :] += bias for every node i with at least one incoming
/// edge. In the folded TransformerConv the value bias passes through the softmax-weighted sum with
/// total weight S / (S + 1e-16), which is 1 in fp32 for a node with in-edges and exactly 0 for an
/// isolated node (docs/folded_attention.md, Isolated nodes), so it is added after the value GEMM,
/// to those rows only.

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
template <class Space>
struct add_bias_to_targets_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::add_bias_to_targets has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
}  // namespace detail

/// out: [N, D], bias: [D], offsets: [N+1] (trusted).
template <class Space>
void add_bias_to_targets(std::type_identity_t<TensorView<float const, 1, Space>> bias,          // [D]
                         std::type_identity_t<TensorView<std::int32_t const, 1, Space>> offsets,  // [N+1]
                         TensorView<float, 2, Space> out) {                                      // [N, D]
  check_extent("add_bias_to_targets", "bias", 0, bias.extent(0), out.extent(1));
  check_extent("add_bias_to_targets", "offsets (N+1)", 0, offsets.extent(0), out.extent(0) + 1);
  detail::add_bias_to_targets_impl<Space>::run(bias, offsets, out);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/bias_to_targets.hpp>
