#pragma once
/// \file
/// \brief Host backend of ops::attention_scores. Included by <graphtx/ops/attention_scores.hpp>;
/// call ops::attention_scores.
///
/// Destinations split across OpenMP threads; q[i] is read once per destination and reused for all
/// of its edges. Per (edge, head) a C-long dot product accumulated in 8 fp32 lanes (lane l sums
/// the c = l mod 8 terms, then a fixed pairwise combine), which the compiler vectorises without
/// -ffast-math and which rounds the same way on every run and thread count. PyTorch's own fp32
/// sum is not sequential either; any order stays within the dot product's error bound.

#include <cmath>
#include <cstdint>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct attention_scores_impl;

template <>
struct attention_scores_impl<host> {
  /// Below this many multiply-adds (E * H*C) the loop runs on one thread.
  static constexpr index_t parallel_min_work = index_t{1} << 15;
  static constexpr int lanes = 8;

  /// sum_c q[c] * (k[c] + e[c]) (or q[c] * k[c] without edge term) over c in [0, n).
  template <bool HasEdge>
  static float dot(float const* q, float const* k, float const* e, index_t n) {
    float acc[lanes] = {};
    index_t c = 0;
    for (; c + lanes <= n; c += lanes) {
      for (int l = 0; l < lanes; ++l) {
        float const key = HasEdge ? k[c + l] + e[c + l] : k[c + l];  // PyG adds the edge term to the key first
        acc[l] += q[c + l] * key;
      }
    }
    float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; c < n; ++c) s += q[c] * (HasEdge ? k[c] + e[c] : k[c]);
    return s;
  }

  template <bool HasEdge>
  static void run_impl(TensorView<float const, 2, host> q, TensorView<float const, 2, host> k,
                       TensorView<float const, 2, host> edge_term, TensorView<std::int32_t const, 1, host> offsets,
                       TensorView<std::int32_t const, 1, host> sources, index_t heads,
                       TensorView<float, 2, host> logits) {
    index_t const n = q.extent(0);
    index_t const width = q.extent(1);
    index_t const c_per_head = width / heads;
    float const divisor = std::sqrt(static_cast<float>(c_per_head));  // == float(math.sqrt(C)): sqrt rounds once
    std::int32_t const* off = offsets.data();
    std::int32_t const* src = sources.data();
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 32) if (logits.extent(0) * width >= parallel_min_work)
#endif
    for (index_t i = 0; i < n; ++i) {
      float const* qi = q.row(i);  // [H*C]
      for (index_t p = off[i]; p < off[i + 1]; ++p) {
        float const* kj = k.row(src[p]);                       // [H*C]
        float const* ep = HasEdge ? edge_term.row(p) : nullptr;  // [H*C]
        float* lp = logits.row(p);                              // [H]
        for (index_t h = 0; h < heads; ++h) {
          index_t const base = h * c_per_head;
          float const s = dot<HasEdge>(qi + base, kj + base, HasEdge ? ep + base : nullptr, c_per_head);
          lp[h] = s / divisor;
        }
      }
    }
  }

  /// Shapes were checked by ops::attention_scores; offsets and sources are trusted (graph/).
  /// Deterministic: every logit is computed by one thread in a fixed order.
  static void run(TensorView<float const, 2, host> q,                 // [N_dst, H*C]
                  TensorView<float const, 2, host> k,                 // [N_src, H*C]
                  TensorView<float const, 2, host> edge_term,         // [E, H*C] or [0, 0]
                  TensorView<std::int32_t const, 1, host> offsets,    // [N_dst+1]
                  TensorView<std::int32_t const, 1, host> sources,    // [E]
                  int heads, TensorView<float, 2, host> logits) {     // [E, H]
    if (logits.extent(0) == 0) return;
    if (edge_term.extent(0) != 0 || edge_term.extent(1) != 0) {
      run_impl<true>(q, k, edge_term, offsets, sources, heads, logits);
    } else {
      run_impl<false>(q, k, edge_term, offsets, sources, heads, logits);
    }
  }
};

}  // namespace graphtx::ops::detail
