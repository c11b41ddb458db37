#pragma once
/// \file
/// \brief Textbook attention logits, PyG's `(query_i * (key_j + edge_term)).sum(-1) / sqrt(C)`: the
/// oracle for every backend of ops::attention_scores. Plain loops in the element type `T`;
/// unlike the fast paths it checks the CSR arrays and throws graph_error on bad ones.

#include <cmath>
#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/reference/segment_softmax.hpp>

namespace graphtx::ops::reference {

/// logits[p, h] = (sum_c q[i, h*C + c] * (k[j, h*C + c] + edge_term[p, h*C + c])) / sqrt(C)
/// for CSR position p of destination i with source j = sources[p]; the sum runs over c in order.
///
/// - q: [N_dst, H*C]; k: [N_src, H*C]; edge_term: [E, H*C] or a [0, 0] view (none);
///   offsets: [N_dst+1]; sources: [E]; logits: [E, H].
/// - Throws shape_error on mismatched extents or heads, graph_error on bad offsets or sources.
template <class T>
void attention_scores(std::type_identity_t<TensorView<T const, 2>> q,          // [N_dst, H*C]
                      std::type_identity_t<TensorView<T const, 2>> k,          // [N_src, H*C]
                      std::type_identity_t<TensorView<T const, 2>> edge_term,  // [E, H*C] or [0, 0]
                      TensorView<std::int32_t const, 1> offsets,               // [N_dst+1]
                      TensorView<std::int32_t const, 1> sources,               // [E]
                      int heads, TensorView<T, 2> logits) {                    // [E, H]
  char const* where = "reference::attention_scores";
  index_t const width = q.extent(1);
  index_t const num_edges = logits.extent(0);
  if (heads <= 0 || width % heads != 0) {
    throw shape_error(graphtx::detail::cat(where, ": heads is ", heads, ", expected a positive divisor of q's ",
                                           width, " columns (H*C)"));
  }
  check_extent(where, "k", 1, k.extent(1), width);
  check_extent(where, "offsets", 0, offsets.extent(0), q.extent(0) + 1);
  check_extent(where, "logits", 1, logits.extent(1), heads);
  check_extent(where, "sources", 0, sources.extent(0), num_edges);
  bool const has_edge = edge_term.extent(0) != 0 || edge_term.extent(1) != 0;
  if (has_edge) {
    check_extent(where, "edge_term", 0, edge_term.extent(0), num_edges);
    check_extent(where, "edge_term", 1, edge_term.extent(1), width);
  }
  detail::csr::check_offsets(where, offsets, num_edges);
  detail::csr::check_sources(where, sources, k.extent(0));

  index_t const c_per_head = width / heads;
  T const divisor = std::sqrt(static_cast<T>(c_per_head));
  for (index_t i = 0; i + 1 < offsets.extent(0); ++i) {
    for (index_t p = offsets(i); p < offsets(i + 1); ++p) {
      index_t const j = sources(p);
      for (index_t h = 0; h < heads; ++h) {
        T s = 0;
        for (index_t c = h * c_per_head; c < (h + 1) * c_per_head; ++c) {
          T const key = has_edge ? k(j, c) + edge_term(p, c) : k(j, c);
          s += q(i, c) * key;
        }
        logits(p, h) = s / divisor;
      }
    }
  }
}

}  // namespace graphtx::ops::reference
