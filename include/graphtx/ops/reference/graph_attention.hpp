#pragma once
/// \file
/// \brief Textbook per-graph multi-head attention, the oracle for every backend of
/// ops::graph_attention: logits (q_i^h . k_j^h) / sqrt(d), max-subtracted softmax over the nodes of
/// i's graph, weighted sum of v_j^h, all in double, rounded once to T; ptr checked (graph_error).

#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/reference/segment_sum.hpp>  // detail::check_offsets

namespace graphtx::ops::reference {

/// q, k, v, out: [N, E] (E = heads * d); ptr: [G+1]. Rows outside every graph are not written.
template <class T>
void graph_attention(std::type_identity_t<TensorView<T const, 2>> q, std::type_identity_t<TensorView<T const, 2>> k,
                     std::type_identity_t<TensorView<T const, 2>> v, TensorView<std::int32_t const, 1> ptr, int heads,
                     TensorView<T, 2> out) {
  char const* where = "reference::graph_attention";
  if (heads <= 0 || q.extent(1) % heads != 0) {
    throw shape_error(graphtx::detail::cat(where, ": E = ", q.extent(1), " is not a positive multiple of heads = ", heads));
  }
  for (auto const* t : {&k, &v}) {
    check_extent(where, "k/v", 0, t->extent(0), q.extent(0));
    check_extent(where, "k/v", 1, t->extent(1), q.extent(1));
  }
  check_extent(where, "out", 0, out.extent(0), q.extent(0));
  check_extent(where, "out", 1, out.extent(1), q.extent(1));
  if (ptr.extent(0) < 1) throw shape_error(graphtx::detail::cat(where, ": ptr has extent 0, expected G+1 >= 1"));
  detail::check_offsets(where, "ptr", ptr, q.extent(0));
  index_t const d = q.extent(1) / heads;
  double const divisor = std::sqrt(static_cast<double>(d));
  std::vector<double> w;
  for (index_t g = 0; g + 1 < ptr.extent(0); ++g) {
    index_t const begin = ptr(g), end = ptr(g + 1);
    w.resize(static_cast<std::size_t>(end - begin));
    for (index_t i = begin; i < end; ++i) {
      for (index_t h = 0; h < heads; ++h) {
        double mx = -INFINITY;
        for (index_t j = begin; j < end; ++j) {
          double s = 0.0;
          for (index_t c = h * d; c < (h + 1) * d; ++c) s += static_cast<double>(q(i, c)) * static_cast<double>(k(j, c));
          w[static_cast<std::size_t>(j - begin)] = s / divisor;
          mx = std::max(mx, s / divisor);
        }
        double sum = 0.0;
        for (double& x : w) sum += (x = std::exp(x - mx));
        for (index_t c = h * d; c < (h + 1) * d; ++c) {
          double acc = 0.0;
          for (index_t j = begin; j < end; ++j) acc += w[static_cast<std::size_t>(j - begin)] / sum * static_cast<double>(v(j, c));
          out(i, c) = static_cast<T>(acc);
        }
      }
    }
  }
}

}  // namespace graphtx::ops::reference
