#pragma once
/// \file
/// \brief Textbook attention aggregation, PyG's `scatter_add` of `(value_j + edge_term) * alpha`:
/// the oracle for every backend of ops::attention_aggregate. Plain loops in the element type `T`;
/// unlike the fast paths it checks the CSR arrays and throws graph_error on bad ones.

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/reference/segment_softmax.hpp>

namespace graphtx::ops::reference {

/// out[i, h*C + c] = sum_{p in seg(i)} (v[j, h*C + c] + edge_term[p, h*C + c]) * alpha[p, h],
/// j = sources[p], summed in CSR order from 0; 0 for a node without in-edges.
///
/// - alpha: [E, H]; v: [N_src, H*C]; edge_term: [E, H*C] or a [0, 0] view (none);
///   offsets: [N_dst+1]; sources: [E]; out: [N_dst, H*C].
/// - Throws shape_error on mismatched extents or heads, graph_error on bad offsets or sources.
template <class T>
void attention_aggregate(std::type_identity_t<TensorView<T const, 2>> alpha,      // [E, H]
                         std::type_identity_t<TensorView<T const, 2>> v,          // [N_src, H*C]
                         std::type_identity_t<TensorView<T const, 2>> edge_term,  // [E, H*C] or [0, 0]
                         TensorView<std::int32_t const, 1> offsets,               // [N_dst+1]
                         TensorView<std::int32_t const, 1> sources,               // [E]
                         int heads, TensorView<T, 2> out) {                       // [N_dst, H*C]
  char const* where = "reference::attention_aggregate";
  index_t const width = out.extent(1);
  index_t const num_edges = alpha.extent(0);
  if (heads <= 0 || width % heads != 0) {
    throw shape_error(graphtx::detail::cat(where, ": heads is ", heads, ", expected a positive divisor of out's ",
                                           width, " columns (H*C)"));
  }
  check_extent(where, "v", 1, v.extent(1), width);
  check_extent(where, "offsets", 0, offsets.extent(0), out.extent(0) + 1);
  check_extent(where, "alpha", 1, alpha.extent(1), heads);
  check_extent(where, "sources", 0, sources.extent(0), num_edges);
  bool const has_edge = edge_term.extent(0) != 0 || edge_term.extent(1) != 0;
  if (has_edge) {
    check_extent(where, "edge_term", 0, edge_term.extent(0), num_edges);
    check_extent(where, "edge_term", 1, edge_term.extent(1), width);
  }
  detail::csr::check_offsets(where, offsets, num_edges);
  detail::csr::check_sources(where, sources, v.extent(0));

  index_t const c_per_head = width / heads;
  for (index_t i = 0; i < out.extent(0); ++i) {
    for (index_t col = 0; col < width; ++col) {
      index_t const h = col / c_per_head;
      T acc = 0;
      for (index_t p = offsets(i); p < offsets(i + 1); ++p) {
        index_t const j = sources(p);
        T const value = has_edge ? v(j, col) + edge_term(p, col) : v(j, col);
        acc += value * alpha(p, h);
      }
      out(i, col) = acc;
    }
  }
}

}  // namespace graphtx::ops::reference
