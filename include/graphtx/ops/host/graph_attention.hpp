#pragma once
/// \file
/// \brief Host backend of ops::graph_attention, per (graph, block of up to 64 queries), all heads:
/// for head h the block's graph's keys are first copied transposed, k^T [d, n_g] (rows padded to
/// a multiple of 16 with zeros), so that the logits of one query against all n_g keys are a loop
/// over contiguous keys that the compiler vectorises; then per query, in torch's order of
/// operations: q_i^h scaled by the float factor sqrt(1/d), the logits l_j = q_scaled . k_j (one
/// running sum per key over the d columns), their max, e_j = exp(l_j - max) with the vectorised
/// exp of ops/host/detail/exp_array.hpp and their sum, then out_i^h = sum_j (e_j / sum) v_j.
/// No [n_g, n_g] matrix and no [N, N] mask exist: the scratch is [d, n_g] + [n_g] per thread.
/// Deterministic: each output row is computed by one thread in a fixed order, whatever the
/// thread count. A NaN logit makes its weight, the sum and so every output of that row NaN (torch
/// too).
///
/// Measured with bench_graph_attention, one thread, 2-vCPU Sapphire Rapids VM, baseline x86-64
/// flags (SSE2), 2026-12-02, the molecule batch G = 512 (N = 7170, sum_g n_g^2 = 112 k):
/// E = 64, H = 4 (d = 16, the GPS molecule model): 3842 us for the previous per-(node, head)
/// loop with std::exp and a horizontal sum per key, 2417 us for two cblas_sgemm calls per (graph,
/// head) block; see bench/README.md for this version's figures.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/host/detail/exp_array.hpp>

namespace graphtx::ops::detail {

/// Keys per vector block of the logits loop; the transposed keys' rows are padded to it.
inline constexpr index_t graph_attention_key_block = 16;
/// Queries per work item: a graph larger than this is split so that the threads share it.
inline constexpr index_t graph_attention_query_block = 64;

/// kt [d, n_pad] <- the head's columns col .. col+d-1 of rows begin .. begin+n-1 of k [., e],
/// transposed; columns n .. n_pad-1 are zero (their logits are computed and ignored).
inline void graph_attention_pack_keys(float const* k, index_t e, index_t col, index_t d, index_t begin, index_t n,
                                      index_t n_pad, float* kt) {
  for (index_t c = 0; c < d; ++c) {
    float* row = kt + c * n_pad;
    for (index_t j = 0; j < n; ++j) row[j] = k[(begin + j) * e + col + c];
    for (index_t j = n; j < n_pad; ++j) row[j] = 0.0f;
  }
}

/// logits [n_pad] <- qs [d] . kt[:, j] for every (padded) key j, one running sum per key in
/// column order. Blocks of 16 keys whose 16 sums stay in registers over the d columns (a loop
/// accumulating into the logits array in memory would be bound by store-to-load latency).
inline void graph_attention_logits(float const* __restrict qs, float const* __restrict kt, index_t d, index_t n_pad,
                                   float* __restrict logits) {
  constexpr index_t block = graph_attention_key_block;
  for (index_t jb = 0; jb < n_pad; jb += block) {
    float acc[block] = {};
    for (index_t c = 0; c < d; ++c) {
      float const qc = qs[c];
      float const* __restrict kr = kt + c * n_pad + jb;
      for (index_t t = 0; t < block; ++t) acc[t] += qc * kr[t];
    }
    for (index_t t = 0; t < block; ++t) logits[jb + t] = acc[t];
  }
}

/// The largest of x[0 .. n-1], n a multiple of the key block. Compared as integers after the
/// usual order-preserving map of float bits (negative floats' magnitude bits flipped), which
/// the compiler vectorises without branches; a float comparison is a data-dependent branch
/// under GCC's default -ftrapping-math, mispredicted on every new maximum. A NaN maps above
/// +inf, so a row with a NaN logit gets a NaN max and NaN weights (torch's row is NaN too).
inline float graph_attention_max(float const* __restrict x, index_t n) {
  auto const ordered = [](float f) {
    std::int32_t const b = std::bit_cast<std::int32_t>(f);
    return b ^ ((b >> 31) & 0x7FFFFFFF);
  };
  std::int32_t m = ordered(-INFINITY);
  for (index_t j = 0; j < n; ++j) m = std::max(m, ordered(x[j]));
  return std::bit_cast<float>(m ^ ((m >> 31) & 0x7FFFFFFF));
}

/// out_h [d] <- sum_j (weights[j] / sum) v_j (as weights[j] * (1 / sum)) for keys j < n, v rows
/// of stride e starting at vh, keys in order; blocks of 16 columns whose sums stay in registers.
inline void graph_attention_weighted_sum(float const* __restrict weights, float sum, float const* __restrict vh,
                                         index_t e, index_t d, index_t n, float* __restrict out_h) {
  float const inv_sum = 1.0f / sum;  // torch's CPU softmax multiplies by 1 / sum too
  constexpr index_t block = 16;
  index_t cb = 0;
  for (; cb + block <= d; cb += block) {
    float acc[block] = {};
    for (index_t j = 0; j < n; ++j) {
      float const pj = weights[j] * inv_sum;
      float const* __restrict vr = vh + j * e + cb;
      for (index_t t = 0; t < block; ++t) acc[t] += pj * vr[t];
    }
    for (index_t t = 0; t < block; ++t) out_h[cb + t] = acc[t];
  }
  if (cb < d) {  // the last d mod 16 columns (d = 8 for the seed's width and heads)
    float acc[block] = {};
    index_t const rest = d - cb;
    for (index_t j = 0; j < n; ++j) {
      float const pj = weights[j] * inv_sum;
      float const* __restrict vr = vh + j * e + cb;
      for (index_t t = 0; t < rest; ++t) acc[t] += pj * vr[t];
    }
    for (index_t t = 0; t < rest; ++t) out_h[cb + t] = acc[t];
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
    constexpr index_t qblock = graph_attention_query_block;
    // Work items (graph, first query): one per block of up to qblock queries of a graph.
    std::vector<index_t> item_graph, item_first;
    index_t work = 0, max_len = 0;
    for (index_t g = 0; g < graphs; ++g) {
      index_t const len = p[g + 1] - p[g];
      work += len * len * e;
      max_len = std::max(max_len, len);
      for (index_t i = 0; i < len; i += qblock) {
        item_graph.push_back(g);
        item_first.push_back(p[g] + i);
      }
    }
    if (item_graph.empty()) return;
    index_t const items = static_cast<index_t>(item_graph.size());
    constexpr index_t kblock = graph_attention_key_block;
    index_t const max_pad = (max_len + kblock - 1) / kblock * kblock;
    float const scale = static_cast<float>(std::sqrt(1.0 / static_cast<double>(d)));  // math.sqrt(1.0 / float(E))
#if defined(_OPENMP)
#pragma omp parallel if (work >= parallel_min_work)
#endif
    {
      // [d, max_pad] transposed keys, [max_pad] logits, [d] scaled query
      std::vector<float> scratch(static_cast<std::size_t>(d * max_pad + max_pad + d));
      float* const kt = scratch.data();
      float* const logits = kt + d * max_pad;
      float* const qs = logits + max_pad;
#if defined(_OPENMP)
#pragma omp for schedule(dynamic, 4)
#endif
      for (index_t it = 0; it < items; ++it) {
        index_t const g = item_graph[static_cast<std::size_t>(it)];
        index_t const begin = p[g], n = p[g + 1] - p[g];
        index_t const n_pad = (n + kblock - 1) / kblock * kblock;
        index_t const first = item_first[static_cast<std::size_t>(it)];
        index_t const last = std::min(first + qblock, begin + n);
        for (int h = 0; h < heads; ++h) {
          index_t const col = static_cast<index_t>(h) * d;
          graph_attention_pack_keys(k.data(), e, col, d, begin, n, n_pad, kt);
          for (index_t i = first; i < last; ++i) {
            float const* qh = q.row(i) + col;
            for (index_t c = 0; c < d; ++c) qs[c] = qh[c] * scale;  // torch: q_scaled = q * sqrt(1/d)
            graph_attention_logits(qs, kt, d, n_pad, logits);
            for (index_t j = n; j < n_pad; ++j) logits[j] = -INFINITY;  // padding: weight 0
            float const mx = graph_attention_max(logits, n_pad);
            float const sum = exp_shifted_sum(logits, n_pad, mx);
            graph_attention_weighted_sum(logits, sum, v.row(begin) + col, e, d, n, out.row(i) + col);
          }
        }
      }
    }
  }
};

}  // namespace graphtx::ops::detail
