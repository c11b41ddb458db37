#pragma once
/// \file
/// \brief Textbook attention logits (PyG's (q_i * (k_j + e_ji)).sum(-1) / sqrt(C)), templated on
/// the element type: the oracle.

#include <cmath>
#include <cstdint>
#include <type_traits>

#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/reference/segment_sum.hpp>

namespace graphtx::ops::reference {

template <class T>
void attention_scores(std::type_identity_t<TensorView<T const, 2>> q, std::type_identity_t<TensorView<T const, 2>> k,
                      std::type_identity_t<TensorView<T const, 2>> edge_term, TensorView<std::int32_t const, 1> offsets,
                      TensorView<std::int32_t const, 1> sources, int heads, TensorView<T, 2> logits) {
  check_extent("reference::attention_scores", "offsets", 0, offsets.extent(0), q.extent(0) + 1);
  detail::check_offsets("reference::attention_scores", "offsets", offsets, sources.extent(0));
  index_t const c_per_head = q.extent(1) / heads;
  bool const has_edge = edge_term.size() > 0;
  for (index_t i = 0; i < q.extent(0); ++i) {
    for (index_t p = offsets(i); p < offsets(i + 1); ++p) {
      index_t const j = sources(p);
      if (j < 0 || j >= k.extent(0)) {
        throw graph_error(graphtx::detail::cat("reference::attention_scores: sources[", p, "] = ", j,
                                               " is outside [0, ", k.extent(0), ")"));
      }
      for (int h = 0; h < heads; ++h) {
        double s = 0.0;
        for (index_t c = h * c_per_head; c < (h + 1) * c_per_head; ++c) {
          double key = static_cast<double>(k(j, c)) + (has_edge ? static_cast<double>(edge_term(p, c)) : 0.0);
          s += static_cast<double>(q(i, c)) * key;
        }
        logits(p, h) = static_cast<T>(s / std::sqrt(static_cast<double>(c_per_head)));
      }
    }
  }
}

}  // namespace graphtx::ops::reference
