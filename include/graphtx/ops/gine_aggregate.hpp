#pragma once
/// \file
/// \brief ops::gine_aggregate: the message and sum aggregation of PyG's GINEConv, in CSR form,
///
///     agg[i, :] = sum over in-edges p = (j -> i) of relu(x_src[j, :] + edge_attr[p, :])
///
/// and, fused, GINEConv's root term before its `nn`:  out = agg + (1 + eps) * x_dst[i, :].
/// (GINEConv with edge_dim projects edge_attr with `lin` first: that is a plain linear layer the
/// caller runs on the edge features; `nn` is the caller's MLP after this op.)
///
/// Edge order: PyG sums on CPU by scatter-add in edge_index order. graph::to_csr sorts the edges by
/// destination with a STABLE sort, so within one destination the CSR positions keep the user's
/// edge order, and summing a destination's CSR range in order adds the same terms in the same
/// order as PyG (starting from 0, as PyG's zero-initialised scatter). edge_attr must be given in
/// CSR order: row p is the feature of the edge at CSR position p (gather the user's [E, C] rows
/// with graph::Csr::edge_ids, e.g. ops::gather_rows).
///
/// **Example**:
/// \code
/// graphtx::ops::gather_rows(edge_attr, csr.edge_ids, edge_attr_csr.view());     // [E, C] in CSR order
/// graphtx::ops::gine_aggregate(x, edge_attr_csr, csr.offsets, csr.sources, x, eps, h.view());  // [N, C]
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
struct gine_aggregate_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::gine_aggregate has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};

template <class Space>
void check_gine(TensorView<float const, 2, Space> x_src, TensorView<float const, 2, Space> edge_attr,
                TensorView<std::int32_t const, 1, Space> offsets, TensorView<std::int32_t const, 1, Space> sources,
                TensorView<float, 2, Space> out) {
  if (offsets.extent(0) != out.extent(0) + 1) {
    throw shape_error(graphtx::detail::cat("gine_aggregate: offsets has extent ", offsets.extent(0),
                                           " in dim 0, expected ", out.extent(0) + 1, " (N_dst+1, N_dst from out)"));
  }
  check_extent("gine_aggregate", "edge_attr (E, from sources)", 0, edge_attr.extent(0), sources.extent(0));
  check_extent("gine_aggregate", "edge_attr (C, from x_src)", 1, edge_attr.extent(1), x_src.extent(1));
  check_extent("gine_aggregate", "out (C, from x_src)", 1, out.extent(1), x_src.extent(1));
}
}  // namespace detail

/// agg[i, :] = sum of relu(x_src[sources[p], :] + edge_attr[p, :]) for p = offsets[i] .. offsets[i+1]-1,
/// in CSR order; a node without in-edges gets 0. `out` is overwritten.
///
/// - x_src: [N_src, C], edge_attr: [E, C] in CSR order, offsets: [N_dst+1] int32, sources: [E] int32,
///   out: [N_dst, C]; out must not overlap the inputs.
/// - relu(NaN) is NaN (torch's relu), so a NaN feature reaches the sum.
/// - Deterministic for any thread count: each (i, c) is summed by one thread, edges in order.
/// - offsets and sources are trusted (validated by graph/); ops::reference::gine_aggregate checks them.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents.
template <class Space>
void gine_aggregate(std::type_identity_t<TensorView<float const, 2, Space>> x_src,           // [N_src, C]
                    std::type_identity_t<TensorView<float const, 2, Space>> edge_attr,       // [E, C]
                    std::type_identity_t<TensorView<std::int32_t const, 1, Space>> offsets,  // [N_dst+1]
                    std::type_identity_t<TensorView<std::int32_t const, 1, Space>> sources,  // [E]
                    TensorView<float, 2, Space> out) {                                      // [N_dst, C]
  detail::check_gine<Space>(x_src, edge_attr, offsets, sources, out);
  detail::gine_aggregate_impl<Space>::run(x_src, edge_attr, offsets, sources, TensorView<float const, 2, Space>(),
                                          0.0f, out);
}

/// GINEConv's propagate plus root term, fused: out[i, :] = agg[i, :] + (1 + eps) * x_dst[i, :], in
/// PyG's order of operations (gin_conv.py: `out = out + (1 + self.eps) * x_r`): the float factor
/// 1 + eps first, then its product with x_dst, then the sum with the aggregate, each rounded (no
/// fused multiply-add on the GPU). For a homogeneous graph pass x as both x_src and x_dst.
///
/// - x_dst: [N_dst, C]; eps: GINEConv's eps (the value of its `eps` buffer or parameter).
/// - Otherwise as the plain overload.
template <class Space>
void gine_aggregate(std::type_identity_t<TensorView<float const, 2, Space>> x_src,           // [N_src, C]
                    std::type_identity_t<TensorView<float const, 2, Space>> edge_attr,       // [E, C]
                    std::type_identity_t<TensorView<std::int32_t const, 1, Space>> offsets,  // [N_dst+1]
                    std::type_identity_t<TensorView<std::int32_t const, 1, Space>> sources,  // [E]
                    std::type_identity_t<TensorView<float const, 2, Space>> x_dst,           // [N_dst, C]
                    float eps, TensorView<float, 2, Space> out) {                           // [N_dst, C]
  detail::check_gine<Space>(x_src, edge_attr, offsets, sources, out);
  check_extent("gine_aggregate", "x_dst (N_dst, from out)", 0, x_dst.extent(0), out.extent(0));
  check_extent("gine_aggregate", "x_dst (C, from x_src)", 1, x_dst.extent(1), x_src.extent(1));
  if (out.extent(0) != 0 && out.extent(1) != 0 && x_dst.data() == nullptr) {
    throw shape_error("gine_aggregate: x_dst has no data");
  }
  detail::gine_aggregate_impl<Space>::run(x_src, edge_attr, offsets, sources, x_dst, eps, out);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/gine_aggregate.hpp>
