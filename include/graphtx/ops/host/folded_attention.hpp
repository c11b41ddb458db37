#pragma once
/// \file
/// \brief Host backend of ops::folded_attention: one destination per OpenMP iteration; per head
/// two passes over its incoming edges, in PyG's operation order (logits, max, exp and sum, then
/// alpha = e / (sum + 1e-16) times x_j summed in edge order). Only a [deg, H] scratch of logits per
/// thread exists: no [E, H*C] tensor is ever allocated. The F-long dot products and row updates
/// are contiguous and vectorise; each dot product keeps `dot_lanes` partial sums (see dot()).

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct folded_attention_impl;

template <>
struct folded_attention_impl<host> {
  /// Independent partial sums per dot product. A single running sum is a chain of F dependent adds
  /// that the compiler may not reorder (strict IEEE) and so cannot vectorise: 256 adds at 4 cycles
  /// each per (edge, head). Sixteen lanes fill one AVX-512 register (or four SSE ones) and break
  /// the chain; the order is fixed, so results stay bitwise reproducible.
  static constexpr index_t dot_lanes = 16;

  /// sum_c a[c] * b[c] as dot_lanes strided partial sums, combined pairwise, then the tail.
  static float dot(float const* a, float const* b, index_t f) {
    float acc[dot_lanes] = {};
    index_t c = 0;
    for (; c + dot_lanes <= f; c += dot_lanes) {
      for (index_t k = 0; k < dot_lanes; ++k) acc[k] += a[c + k] * b[c + k];
    }
    for (index_t width = dot_lanes / 2; width > 0; width /= 2) {
      for (index_t k = 0; k < width; ++k) acc[k] += acc[k + width];
    }
    float s = acc[0];
    for (; c < f; ++c) s += a[c] * b[c];
    return s;
  }

  static void run(TensorView<float const, 2, host> qt, TensorView<float const, 1, host> qt_bias,
                  TensorView<float const, 2, host> x_src,
                  TensorView<std::int32_t const, 1, host> offsets, TensorView<std::int32_t const, 1, host> sources,
                  int heads, float divisor, TensorView<float, 2, host> y) {
    index_t const n = qt.extent(0);
    index_t const f = x_src.extent(1);
    if (n == 0) return;
    std::int32_t const* off = offsets.data();
    std::int32_t const* src = sources.data();
#if defined(_OPENMP)
#pragma omp parallel
#endif
    {
      std::vector<float> scratch;  // [deg] logits then weights of one (node, head)
      std::vector<float> q_row(static_cast<std::size_t>(heads * f));  // [H*F] Qt_i + u
#if defined(_OPENMP)
#pragma omp for schedule(dynamic, 32)
#endif
      for (index_t i = 0; i < n; ++i) {
        index_t const begin = off[i], deg = off[i + 1] - off[i];
        float* yi = y.row(i);  // [H*F]
        std::memset(yi, 0, static_cast<std::size_t>(heads * f) * sizeof(float));
        if (deg == 0) continue;
        scratch.resize(static_cast<std::size_t>(deg));
        float const* qi = qt.row(i);
        for (index_t c = 0; c < heads * f; ++c) {
          q_row[static_cast<std::size_t>(c)] = qt_bias.extent(0) != 0 ? qi[c] + qt_bias(c) : qi[c];
        }
        for (int h = 0; h < heads; ++h) {
          float const* q = q_row.data() + h * f;  // [F]
          float mx = -std::numeric_limits<float>::infinity();
          bool nan = false;
          for (index_t p = 0; p < deg; ++p) {
            float const* xj = x_src.row(src[begin + p]);
            float const l = dot(q, xj, f) / divisor;
            scratch[static_cast<std::size_t>(p)] = l;
            nan = nan || std::isnan(l);
            mx = std::fmax(mx, l);
          }
          if (nan) mx = std::numeric_limits<float>::quiet_NaN();  // PyG's scatter-max propagates NaN
          float sum = 0.0f;
          for (index_t p = 0; p < deg; ++p) {
            float const e = std::exp(scratch[static_cast<std::size_t>(p)] - mx);
            scratch[static_cast<std::size_t>(p)] = e;
            sum += e;
          }
          float const denom = sum + 1e-16f;
          float* yh = yi + h * f;  // [F]
          for (index_t p = 0; p < deg; ++p) {
            float const a = scratch[static_cast<std::size_t>(p)] / denom;
            float const* xj = x_src.row(src[begin + p]);
            for (index_t c = 0; c < f; ++c) yh[c] += a * xj[c];
          }
        }
      }
    }
  }
};

}  // namespace graphtx::ops::detail
