#pragma once
/// \file
/// \brief Host backend of ops::graph_attention: one node per OpenMP iteration (dynamic schedule:
/// the work per node is proportional to its graph's size), all heads of that node; its graph is
/// found by binary search in ptr. Per head, torch's order of operations: q_i^h scaled by the
/// float factor sqrt(1/d), logits q_scaled . k_j for every node j of the graph (a [n_g] scratch),
/// the max, exp(l - max) and their sum in node order, then the weights p_j = e_j / sum and the
/// weighted sum of v_j in node order. No [n_g, n_g] matrix and no [N, N] mask exist.
/// Deterministic: each (node, head) is computed by one thread in a fixed order.
///
/// Measured with bench_graph_attention (2-vCPU VM shared with other builds, so +-15%; 2026-12-02),
/// seed batch G = 512, N = 7170, E = 256: H = 32 (d = 8) 31-36 ms here vs 30-35 ms for two
/// cblas_sgemm calls per (graph, head) block (graph_attention/sgemm_blocks/host); both are bound by
/// the sum_g n_g^2 H = 3.5 M exp calls. H = 4 (d = 64): 12.4 ms vs 12.2 ms, with the 8-lane dot
/// products below (19.5 ms with a single running sum). The GEMM version does not pay for these
/// graph sizes (n_g ~ 14), so the simple loop stays.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

/// Independent partial sums per q.k dot product: one AVX register (two SSE ones).
inline constexpr index_t graph_attention_dot_lanes = 8;

/// One (node, head): qh, out_h: [d]; k, v: rows begin .. end-1 of [N, E] (row stride e), already
/// offset to the head's first column; logits: [end - begin] scratch; qs: [d] scratch.
inline void graph_attention_node_head(float const* qh, float const* k, float const* v, index_t e, index_t d,
                                      index_t begin, index_t end, float scale, float* qs, float* logits,
                                      float* out_h) {
  for (index_t c = 0; c < d; ++c) qs[c] = qh[c] * scale;  // torch: q_scaled = q * sqrt(1/d)
  float mx = -INFINITY;
  for (index_t j = begin; j < end; ++j) {
    float const* kj = k + j * e;
    // graph_attention_dot_lanes partial sums (fixed order, so still deterministic): a single
    // running sum is a chain of d dependent adds that the compiler may not reorder or vectorise.
    constexpr index_t lanes = graph_attention_dot_lanes;
    float acc[lanes] = {};
    index_t c = 0;
    for (; c + lanes <= d; c += lanes) {
      for (index_t t = 0; t < lanes; ++t) acc[t] += qs[c + t] * kj[c + t];
    }
    for (index_t width = lanes / 2; width > 0; width /= 2) {
      for (index_t t = 0; t < width; ++t) acc[t] += acc[t + width];
    }
    float s = acc[0];
    for (; c < d; ++c) s += qs[c] * kj[c];
    logits[j - begin] = s;
    if (s > mx) mx = s;  // a NaN logit makes its weight, the sum and so every output NaN (torch too)
  }
  float sum = 0.0f;
  for (index_t j = begin; j < end; ++j) {
    float const ex = std::exp(logits[j - begin] - mx);
    logits[j - begin] = ex;
    sum += ex;
  }
  {
    float const p = logits[0] / sum;
    float const* vj = v + begin * e;
    for (index_t c = 0; c < d; ++c) out_h[c] = p * vj[c];  // the first key initialises the row
  }
  for (index_t j = begin + 1; j < end; ++j) {
    float const p = logits[j - begin] / sum;
    float const* vj = v + j * e;
    for (index_t c = 0; c < d; ++c) out_h[c] += p * vj[c];
  }
}

template <class Space>
struct graph_attention_impl;

template <>
struct graph_attention_impl<host> {
  /// Below this many multiply-adds (sum_g n_g^2 E, both products) the loop runs on one thread.
  static constexpr index_t parallel_min_work = index_t{1} << 16;

  static void run(TensorView<float const, 2, host> q, TensorView<float const, 2, host> k,
                  TensorView<float const, 2, host> v, TensorView<std::int32_t const, 1, host> ptr, int heads,
                  TensorView<float, 2, host> out) {
    index_t const e = q.extent(1);
    index_t const graphs = ptr.extent(0) - 1;
    if (graphs <= 0 || e == 0) return;
    index_t const d = e / heads;
    std::int32_t const* p = ptr.data();
    index_t const first = p[0], last = p[graphs];
    if (last <= first) return;
    index_t work = 0, max_len = 0;
    for (index_t g = 0; g < graphs; ++g) {
      index_t const len = p[g + 1] - p[g];
      work += len * len * e;
      max_len = std::max(max_len, len);
    }
    float const scale = static_cast<float>(std::sqrt(1.0 / static_cast<double>(d)));  // math.sqrt(1.0 / float(E))
#if defined(_OPENMP)
#pragma omp parallel if (work >= parallel_min_work)
#endif
    {
      std::vector<float> scratch(static_cast<std::size_t>(max_len + d));  // [n_g] logits + [d] scaled query
#if defined(_OPENMP)
#pragma omp for schedule(dynamic, 8)
#endif
      for (index_t i = first; i < last; ++i) {
        // The graph of node i: the last g with ptr[g] <= i (empty graphs have ptr[g] == ptr[g+1]).
        index_t const g = (std::upper_bound(p, p + graphs + 1, static_cast<std::int32_t>(i)) - p) - 1;
        index_t const begin = p[g], end = p[g + 1];
        for (int h = 0; h < heads; ++h) {
          index_t const col = static_cast<index_t>(h) * d;
          graph_attention_node_head(q.row(i) + col, k.data() + col, v.data() + col, e, d, begin, end, scale,
                                    scratch.data() + max_len, scratch.data(), out.row(i) + col);
        }
      }
    }
  }
};

}  // namespace graphtx::ops::detail
