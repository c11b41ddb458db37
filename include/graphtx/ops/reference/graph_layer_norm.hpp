#pragma once
/// \file
/// \brief Textbook graph LayerNorm, the oracle for every backend of ops::graph_layer_norm and
/// ops::graph_layer_norm_unbatched: PyG's LayerNorm(mode="graph") formulas computed in double,
/// rounded once to T; ptr checked (graph_error).

#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/reference/segment_sum.hpp>  // detail::check_offsets

namespace graphtx::ops::reference {

namespace detail {
/// Normalises rows [begin, end) of x into y as one graph. eps_outside: (x - mean) / (std + eps)
/// (PyG with batch = None); otherwise (x - mean) / sqrt(var + eps).
template <class T>
void graph_layer_norm_block(TensorView<T const, 2> x, TensorView<T const, 1> weight, TensorView<T const, 1> bias,
                            double eps, bool eps_outside, index_t begin, index_t end, TensorView<T, 2> y) {
  index_t const cols = x.extent(1);
  if (end <= begin || cols == 0) return;
  std::vector<double> block;  // [n_g * C], a copy so that y may alias x
  for (index_t i = begin; i < end; ++i)
    for (index_t c = 0; c < cols; ++c) block.push_back(static_cast<double>(x(i, c)));
  double const norm = static_cast<double>(block.size());
  double mean = 0.0;
  for (double v : block) mean += v;
  mean /= norm;
  double var = 0.0;
  for (double v : block) var += (v - mean) * (v - mean);
  var /= norm;
  double const denom = eps_outside ? std::sqrt(var) + eps : std::sqrt(var + eps);
  bool const affine = weight.extent(0) != 0;
  for (index_t i = begin; i < end; ++i) {
    for (index_t c = 0; c < cols; ++c) {
      double const z = (block[static_cast<std::size_t>((i - begin) * cols + c)] - mean) / denom;
      y(i, c) = static_cast<T>(affine ? z * static_cast<double>(weight(c)) + static_cast<double>(bias(c)) : z);
    }
  }
}

template <class T>
void check_graph_layer_norm(char const* where, TensorView<T const, 2> x, TensorView<T const, 1> weight,
                            TensorView<T const, 1> bias, TensorView<T, 2> y) {
  check_extent(where, "bias (same as weight)", 0, bias.extent(0), weight.extent(0));
  if (weight.extent(0) != 0) check_extent(where, "weight (C)", 0, weight.extent(0), x.extent(1));
  check_extent(where, "y", 0, y.extent(0), x.extent(0));
  check_extent(where, "y", 1, y.extent(1), x.extent(1));
}
}  // namespace detail

/// Per graph g (rows ptr[g] .. ptr[g+1]-1): y = (x - mean_g) / sqrt(var_g + eps) * weight + bias,
/// mean and biased variance over the graph's n_g x C values. x, y: [N, C]; ptr: [G+1];
/// weight, bias: [C] or both empty (no affine). Empty graphs write nothing. y may be x.
template <class T>
void graph_layer_norm(std::type_identity_t<TensorView<T const, 2>> x, TensorView<std::int32_t const, 1> ptr,
                      std::type_identity_t<TensorView<T const, 1>> weight,
                      std::type_identity_t<TensorView<T const, 1>> bias, double eps, TensorView<T, 2> y) {
  detail::check_graph_layer_norm<T>("reference::graph_layer_norm", x, weight, bias, y);
  if (ptr.extent(0) < 1) throw shape_error("reference::graph_layer_norm: ptr has extent 0, expected G+1 >= 1");
  ops::reference::detail::check_offsets("reference::graph_layer_norm", "ptr", ptr, x.extent(0));
  for (index_t g = 0; g + 1 < ptr.extent(0); ++g) {
    detail::graph_layer_norm_block<T>(x, weight, bias, eps, false, ptr(g), ptr(g + 1), y);
  }
}

/// batch = None: y = (x - mean) / (std + eps) * weight + bias over all N x C values (biased std).
template <class T>
void graph_layer_norm_unbatched(std::type_identity_t<TensorView<T const, 2>> x,
                                std::type_identity_t<TensorView<T const, 1>> weight,
                                std::type_identity_t<TensorView<T const, 1>> bias, double eps, TensorView<T, 2> y) {
  detail::check_graph_layer_norm<T>("reference::graph_layer_norm_unbatched", x, weight, bias, y);
  detail::graph_layer_norm_block<T>(x, weight, bias, eps, true, 0, x.extent(0), y);
}

}  // namespace graphtx::ops::reference
