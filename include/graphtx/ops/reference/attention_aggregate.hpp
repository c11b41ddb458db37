#pragma once
/// \file
/// \brief Textbook attention aggregation (sum of alpha-weighted values plus edge terms), templated
/// on the element type: the oracle.

#include <cstdint>
#include <type_traits>

#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/reference/segment_sum.hpp>

namespace graphtx::ops::reference {

template <class T>
void attention_aggregate(std::type_identity_t<TensorView<T const, 2>> alpha, std::type_identity_t<TensorView<T const, 2>> v,
                         std::type_identity_t<TensorView<T const, 2>> edge_term,
                         TensorView<std::int32_t const, 1> offsets, TensorView<std::int32_t const, 1> sources, int heads,
                         TensorView<T, 2> out) {
  check_extent("reference::attention_aggregate", "offsets", 0, offsets.extent(0), out.extent(0) + 1);
  detail::check_offsets("reference::attention_aggregate", "offsets", offsets, sources.extent(0));
  index_t const c_per_head = out.extent(1) / heads;
  bool const has_edge = edge_term.size() > 0;
  for (index_t i = 0; i < out.extent(0); ++i) {
    for (index_t col = 0; col < out.extent(1); ++col) {
      index_t const h = col / c_per_head;
      double acc = 0.0;
      for (index_t p = offsets(i); p < offsets(i + 1); ++p) {
        index_t const j = sources(p);
        if (j < 0 || j >= v.extent(0)) {
          throw graph_error(graphtx::detail::cat("reference::attention_aggregate: sources[", p, "] = ", j,
                                                 " is outside [0, ", v.extent(0), ")"));
        }
        double val = static_cast<double>(v(j, col)) + (has_edge ? static_cast<double>(edge_term(p, col)) : 0.0);
        acc += val * static_cast<double>(alpha(p, h));
      }
      out(i, col) = static_cast<T>(acc);
    }
  }
}

}  // namespace graphtx::ops::reference
