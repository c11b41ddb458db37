#pragma once
/// \file
/// \brief Thrust-backed global pooling over `ptr` (graphs' node ranges): one work item per
/// (graph, column), nodes in order; an empty graph gives 0 (PyG clamps the count to 1).

#include <cmath>
#include <cstdint>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

/// 0 = sum, 1 = mean, 2 = max (the order of ops::pool_reduce).
struct pool_fn {
  float const* x;  // [N, F]
  std::int32_t const* ptr;  // [G+1]
  float* out;               // [G, F]
  index_t cols;
  int reduce;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t g = t / cols, c = t % cols;
    index_t const begin = ptr[g], end = ptr[g + 1];
    if (end <= begin) {
      out[t] = 0.0f;
      return;
    }
    if (reduce == 2) {
      float m = x[begin * cols + c];
      for (index_t n = begin + 1; n < end; ++n) {
        float v = x[n * cols + c];
        if (!(v <= m) && !(m != m)) m = v;  // larger value; a NaN once seen stays (torch's amax)
      }
      out[t] = m;
      return;
    }
    float s = 0.0f;
    for (index_t n = begin; n < end; ++n) s += x[n * cols + c];
    out[t] = reduce == 1 ? s / static_cast<float>(end - begin) : s;  // divide, as PyG
  }
};
template <class Policy>
void pool(Policy const& policy, int reduce, float const* x, std::int32_t const* ptr, index_t graphs, index_t cols,
          float* out) {
  for_each_index(policy, graphs * cols, pool_fn{x, ptr, out, cols, reduce});
}

}  // namespace graphtx::ops::thrust_backend
