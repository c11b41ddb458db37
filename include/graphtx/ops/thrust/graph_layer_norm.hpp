#pragma once
/// \file
/// \brief Thrust-backed graph_layer_norm (PyG LayerNorm, mode="graph") in two passes:
///   1. one work item per graph: mean and denominator of its n_g x C block, in double, rows then
///      channels in order (exactly the host backend's loops), into `stats` [G, 2] (mean, denom);
///   2. one work item per element (i, c): finds i's graph by binary search in ptr and writes
///      y[i, c] = (x[i, c] - mean) / denom * weight[c] + bias[c] in double, rounded once.
/// Each item writes only its own outputs: no atomics, bitwise reproducible. y may alias x (pass 2
/// reads x[i, c] before writing y[i, c], and pass 1 is complete before pass 2 starts).

#include <cmath>
#include <cstdint>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct graph_norm_stats_fn {
  float const* x;           // [N, C]
  std::int32_t const* ptr;  // [G+1], or nullptr: one graph of all `rows` rows
  double* stats;            // [G, 2]: mean, denominator
  index_t rows, cols;
  float eps;
  bool eps_outside;  // batch = None: sqrt(var) + eps; otherwise sqrt(var + eps)
  GRAPHTX_HOST_DEVICE void operator()(index_t g) const {
    index_t const begin = ptr != nullptr ? ptr[g] : 0;
    index_t const end = ptr != nullptr ? ptr[g + 1] : rows;
    double mean = 0.0, denom = 1.0;
    if (end > begin) {
      double const norm = static_cast<double>(end - begin) * static_cast<double>(cols);
      double sum = 0.0;
      for (index_t t = begin * cols; t < end * cols; ++t) sum += static_cast<double>(x[t]);
      mean = sum / norm;
      double sq = 0.0;
      for (index_t t = begin * cols; t < end * cols; ++t) {
        double const d = static_cast<double>(x[t]) - mean;
        sq += d * d;
      }
      double const var = sq / norm;
      denom = eps_outside ? sqrt(var) + static_cast<double>(eps) : sqrt(var + static_cast<double>(eps));
    }
    stats[2 * g] = mean;
    stats[2 * g + 1] = denom;
  }
};

struct graph_norm_apply_fn {
  float const* x;           // [N, C]
  std::int32_t const* ptr;  // [G+1] or nullptr
  double const* stats;      // [G, 2]
  float const* weight;      // [C] or nullptr
  float const* bias;        // [C] or nullptr
  float* y;                 // [N, C]
  index_t graphs, cols;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t const i = t / cols, c = t % cols;
    index_t g = 0;
    if (ptr != nullptr) {
      // Last g with ptr[g] <= i (the graph that owns row i; empty graphs are skipped over).
      index_t lo = 0, hi = graphs;  // invariant: ptr[lo] <= i, and i < ptr[hi] unless hi == graphs
      if (i < ptr[0] || i >= ptr[graphs]) return;  // row outside every graph: not written
      while (hi - lo > 1) {
        index_t const mid = lo + (hi - lo) / 2;
        if (ptr[mid] <= i) lo = mid; else hi = mid;
      }
      g = lo;
    }
    double const z = (static_cast<double>(x[t]) - stats[2 * g]) / stats[2 * g + 1];
    y[t] = static_cast<float>(weight != nullptr ? z * static_cast<double>(weight[c]) + static_cast<double>(bias[c]) : z);
  }
};

/// x, y: [rows, cols]; ptr: [graphs+1] or nullptr (batch = None: graphs must be 1); weight, bias:
/// [cols] or nullptr; stats: [graphs, 2] doubles of scratch.
template <class Policy>
void graph_layer_norm(Policy const& policy, float const* x, std::int32_t const* ptr, index_t graphs, index_t rows,
                      index_t cols, float const* weight, float const* bias, float eps, bool eps_outside,
                      double* stats, float* y) {
  if (rows == 0 || cols == 0 || graphs == 0) return;
  for_each_index(policy, graphs, graph_norm_stats_fn{x, ptr, stats, rows, cols, eps, eps_outside});
  for_each_index(policy, rows * cols, graph_norm_apply_fn{x, ptr, stats, weight, bias, y, graphs, cols});
}

}  // namespace graphtx::ops::thrust_backend
