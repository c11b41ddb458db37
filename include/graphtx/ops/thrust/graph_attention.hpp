#pragma once
/// \file
/// \brief Thrust-backed graph_attention: one work item per (node, head) with an online softmax
/// over the nodes of its graph (found by binary search in ptr), in node order:
///
///     for each j: l = (q_i^h * sqrt(1/d)) . k_j^h
///                 if l > m: rescale the running sum and the output row by exp(m - l), m = l
///                 s += exp(l - m); out_i^h += exp(l - m) v_j^h
///     out_i^h /= s
///
/// One pass over the keys and values, no scratch: the item accumulates in its own output row
/// (d floats) and writes nothing else, so there are no atomics and results are bitwise
/// reproducible. The rounding differs from the host backend's two-pass softmax (which divides
/// each weight by the sum first, like torch) by a few ulps; both are within the tests' tolerance
/// of the double reference.

#include <cmath>
#include <cstdint>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct graph_attention_fn {
  float const* q;           // [N, E]
  float const* k;           // [N, E]
  float const* v;           // [N, E]
  std::int32_t const* ptr;  // [G+1]
  float* out;               // [N, E]
  index_t graphs, e, d;
  int heads;
  float scale;  // sqrt(1/d) rounded to float
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t const i = t / heads;
    index_t const col = (t % heads) * d;
    if (i < ptr[0] || i >= ptr[graphs]) return;  // row outside every graph: not written
    index_t lo = 0, hi = graphs;  // last g with ptr[g] <= i
    while (hi - lo > 1) {
      index_t const mid = lo + (hi - lo) / 2;
      if (ptr[mid] <= i) lo = mid; else hi = mid;
    }
    index_t const begin = ptr[lo], end = ptr[lo + 1];
    float const* qi = q + i * e + col;
    float* o = out + i * e + col;
    for (index_t c = 0; c < d; ++c) o[c] = 0.0f;
    float m = -INFINITY, s = 0.0f;
    for (index_t j = begin; j < end; ++j) {
      float const* kj = k + j * e + col;
      float l = 0.0f;
      for (index_t c = 0; c < d; ++c) l += (qi[c] * scale) * kj[c];
      if (l > m) {
        float const corr = expf(m - l);  // 0 for the first key (m = -inf)
        s *= corr;
        for (index_t c = 0; c < d; ++c) o[c] *= corr;
        m = l;
      }
      // A -inf logit gets weight 0 (torch: exp(-inf - max) = 0) even while m is still -inf.
      float const w = l == -INFINITY ? 0.0f : expf(l - m);
      s += w;
      float const* vj = v + j * e + col;
      for (index_t c = 0; c < d; ++c) o[c] += w * vj[c];
    }
    for (index_t c = 0; c < d; ++c) o[c] /= s;
  }
};

/// q, k, v, out: [rows, e] (e = heads * d); ptr: [graphs+1] (read only by the work items, so it
/// may live on the device). Writes the rows of every graph (ptr[0] .. ptr[graphs]-1).
template <class Policy>
void graph_attention(Policy const& policy, float const* q, float const* k, float const* v, std::int32_t const* ptr,
                     index_t graphs, index_t rows, index_t e, int heads, float* out) {
  if (graphs <= 0 || e == 0) return;
  index_t const d = e / heads;
  float const scale = static_cast<float>(sqrt(1.0 / static_cast<double>(d)));  // math.sqrt(1.0 / float(d))
  for_each_index(policy, rows * heads, graph_attention_fn{q, k, v, ptr, out, graphs, e, d, heads, scale});
}

}  // namespace graphtx::ops::thrust_backend
