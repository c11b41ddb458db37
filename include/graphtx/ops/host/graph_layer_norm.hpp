#pragma once
/// \file
/// \brief Host backend of ops::graph_layer_norm: one graph per loop iteration, graphs split across
/// OpenMP threads (dynamic: graph sizes vary). Per graph two passes over its n_g x C block
/// (sum, then squared deviations from the mean), accumulated in double, rows then channels in
/// order, then one pass that writes y. Deterministic: a graph is handled by one thread. Included
/// by <graphtx/ops/graph_layer_norm.hpp>; call ops::graph_layer_norm.

#include <cmath>
#include <cstdint>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/graph_layer_norm.hpp>  // graph_norm_eps; safe both ways round thanks to #pragma once

namespace graphtx::ops::detail {

template <class Space>
struct graph_layer_norm_impl;

template <>
struct graph_layer_norm_impl<host> {
  /// Below this many elements the loop runs on one thread.
  static constexpr index_t parallel_min_elements = index_t{1} << 15;

  /// Shapes were checked by the front door; ptr is trusted. An empty ptr view: one graph of all N
  /// rows (batch = None). y may alias x: a graph's block is read completely (two passes) before
  /// it is written, and the write pass reads x[i, c] before writing y[i, c].
  static void run(TensorView<float const, 2, host> x,            // [N, C]
                  TensorView<std::int32_t const, 1, host> ptr,    // [G+1] or [0]
                  TensorView<float const, 1, host> weight,        // [C] or [0]
                  TensorView<float const, 1, host> bias,          // [C] or [0]
                  float eps, graph_norm_eps where, TensorView<float, 2, host> y) {  // [N, C]
    index_t const cols = x.extent(1);
    bool const batched = ptr.extent(0) != 0;
    index_t const g_count = batched ? ptr.extent(0) - 1 : 1;
    if (cols == 0 || x.extent(0) == 0) return;
    std::int32_t const* p = ptr.data();
    float const* w = weight.extent(0) != 0 ? weight.data() : nullptr;
    float const* b = bias.extent(0) != 0 ? bias.data() : nullptr;
    index_t const n_all = x.extent(0);
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 4) if (g_count > 1 && x.size() >= parallel_min_elements)
#endif
    for (index_t g = 0; g < g_count; ++g) {
      index_t const begin = batched ? p[g] : 0;
      index_t const end = batched ? p[g + 1] : n_all;
      if (end <= begin) continue;  // an empty graph writes nothing
      // norm = n_g * C (PyG: degree(batch).clamp(min=1) * x.size(-1)).
      double const norm = static_cast<double>(end - begin) * static_cast<double>(cols);
      double sum = 0.0;
      for (index_t i = begin; i < end; ++i) {
        float const* xr = x.row(i);  // [C]
        for (index_t c = 0; c < cols; ++c) sum += static_cast<double>(xr[c]);
      }
      double const mean = sum / norm;
      double sq = 0.0;
      for (index_t i = begin; i < end; ++i) {
        float const* xr = x.row(i);  // [C]
        for (index_t c = 0; c < cols; ++c) {
          double const d = static_cast<double>(xr[c]) - mean;
          sq += d * d;
        }
      }
      double const var = sq / norm;  // biased
      double const denom = where == graph_norm_eps::inside_sqrt ? std::sqrt(var + static_cast<double>(eps))
                                                                : std::sqrt(var) + static_cast<double>(eps);
      for (index_t i = begin; i < end; ++i) {
        float const* xr = x.row(i);  // [C]
        float* yr = y.row(i);        // [C]
        if (w != nullptr) {
          for (index_t c = 0; c < cols; ++c) {
            double const z = (static_cast<double>(xr[c]) - mean) / denom;  // divide, as PyG
            yr[c] = static_cast<float>(z * static_cast<double>(w[c]) + static_cast<double>(b[c]));
          }
        } else {
          for (index_t c = 0; c < cols; ++c) yr[c] = static_cast<float>((static_cast<double>(xr[c]) - mean) / denom);
        }
      }
    }
  }
};

}  // namespace graphtx::ops::detail
