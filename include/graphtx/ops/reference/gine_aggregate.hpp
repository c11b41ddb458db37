#pragma once
/// \file
/// \brief Textbook GINEConv aggregation, the oracle for every backend of ops::gine_aggregate:
/// each destination's messages relu(x_j + e_ji) summed in double in CSR order; offsets and
/// sources are checked (graph_error).

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/reference/segment_sum.hpp>  // detail::check_offsets

namespace graphtx::ops::reference {

/// out[i, :] = sum_{p in offsets[i]..offsets[i+1]-1} relu(x_src[sources[p], :] + edge_attr[p, :])
/// (+ (1 + eps) * x_dst[i, :] when x_dst is not empty). x_src: [N_src, C], edge_attr: [E, C],
/// offsets: [N_dst+1], sources: [E], x_dst: [N_dst, C] or [0, 0], out: [N_dst, C].
template <class T>
void gine_aggregate(std::type_identity_t<TensorView<T const, 2>> x_src,
                    std::type_identity_t<TensorView<T const, 2>> edge_attr, TensorView<std::int32_t const, 1> offsets,
                    TensorView<std::int32_t const, 1> sources, std::type_identity_t<TensorView<T const, 2>> x_dst,
                    double eps, TensorView<T, 2> out) {
  char const* where = "reference::gine_aggregate";
  check_extent(where, "offsets", 0, offsets.extent(0), out.extent(0) + 1);
  check_extent(where, "edge_attr", 0, edge_attr.extent(0), sources.extent(0));
  check_extent(where, "edge_attr", 1, edge_attr.extent(1), x_src.extent(1));
  check_extent(where, "out", 1, out.extent(1), x_src.extent(1));
  bool const root = x_dst.extent(0) != 0 || x_dst.extent(1) != 0;  // [0, 0]: no root term
  if (root) {
    check_extent(where, "x_dst", 0, x_dst.extent(0), out.extent(0));
    check_extent(where, "x_dst", 1, x_dst.extent(1), out.extent(1));
  }
  detail::check_offsets(where, "offsets", offsets, sources.extent(0));
  for (index_t p = 0; p < sources.extent(0); ++p) {
    if (sources(p) < 0 || sources(p) >= x_src.extent(0)) {
      throw graph_error(graphtx::detail::cat(where, ": sources[", p, "] is ", sources(p), ", expected in [0, ",
                                             x_src.extent(0), ")"));
    }
  }
  for (index_t i = 0; i < out.extent(0); ++i) {
    for (index_t c = 0; c < out.extent(1); ++c) {
      double acc = 0.0;
      for (index_t p = offsets(i); p < offsets(i + 1); ++p) {
        double const m = static_cast<double>(x_src(sources(p), c)) + static_cast<double>(edge_attr(p, c));
        acc += m < 0.0 ? 0.0 : m;
      }
      if (root) acc += (1.0 + eps) * static_cast<double>(x_dst(i, c));
      out(i, c) = static_cast<T>(acc);
    }
  }
}

/// Without the root term: x_dst empty.
template <class T>
void gine_aggregate(std::type_identity_t<TensorView<T const, 2>> x_src,
                    std::type_identity_t<TensorView<T const, 2>> edge_attr, TensorView<std::int32_t const, 1> offsets,
                    TensorView<std::int32_t const, 1> sources, TensorView<T, 2> out) {
  gine_aggregate<T>(x_src, edge_attr, offsets, sources, TensorView<T const, 2>(), 0.0, out);
}

}  // namespace graphtx::ops::reference
