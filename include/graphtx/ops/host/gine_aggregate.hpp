#pragma once
/// \file
/// \brief Host backend of ops::gine_aggregate: one destination per loop iteration, destinations
/// split across OpenMP threads (dynamic: in-degrees vary); each destination's row is summed in CSR
/// order by one thread, so results do not depend on the thread count. The C-long row updates are
/// contiguous and vectorise (across channels; the order of each channel's sum is unchanged).
/// Included by <graphtx/ops/gine_aggregate.hpp>; call ops::gine_aggregate.

#include <cstdint>
#include <cstring>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct gine_aggregate_impl;

template <>
struct gine_aggregate_impl<host> {
  /// Below this many touched elements (messages + outputs) the loop runs on one thread.
  static constexpr index_t parallel_min_elements = index_t{1} << 16;

  /// Shapes were checked by the front door; offsets and sources are trusted. x_dst empty (no data):
  /// the plain aggregate; otherwise out = agg + (1 + eps) * x_dst.
  static void run(TensorView<float const, 2, host> x_src,            // [N_src, C]
                  TensorView<float const, 2, host> edge_attr,        // [E, C]
                  TensorView<std::int32_t const, 1, host> offsets,   // [N_dst+1]
                  TensorView<std::int32_t const, 1, host> sources,   // [E]
                  TensorView<float const, 2, host> x_dst,            // [N_dst, C] or empty
                  float eps, TensorView<float, 2, host> out) {       // [N_dst, C]
    index_t const n = out.extent(0);
    index_t const cols = out.extent(1);
    if (n == 0 || cols == 0) return;
    std::int32_t const* off = offsets.data();
    std::int32_t const* src = sources.data();
    float const* xs = x_src.data();
    float const* ea = edge_attr.data();
    bool const root = x_dst.data() != nullptr;
    float const scale = 1.0f + eps;  // PyG: (1 + self.eps), a float32 tensor
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 16) if (edge_attr.size() + out.size() >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      float* o = out.row(i);  // [C]
      std::memset(o, 0, static_cast<std::size_t>(cols) * sizeof(float));
      for (index_t p = off[i]; p < off[i + 1]; ++p) {
        float const* xj = xs + static_cast<index_t>(src[p]) * cols;  // [C]
        float const* e = ea + p * cols;                                // [C]
        for (index_t c = 0; c < cols; ++c) {
          float const m = xj[c] + e[c];
          o[c] += m < 0.0f ? 0.0f : m;  // relu; NaN stays NaN
        }
      }
      if (root) {
        float const* xi = x_dst.row(i);  // [C]
        for (index_t c = 0; c < cols; ++c) {
          // Rounded before the add (PyG: two tensor ops). GCC fuses the two into an FMA only on an
          // FMA target (-march=haswell or later) in GNU mode (-ffp-contract=fast); the default
          // x86-64 build has no FMA instruction to fuse into.
          float const r = scale * xi[c];
          o[c] = o[c] + r;
        }
      }
    }
  }
};

}  // namespace graphtx::ops::detail
