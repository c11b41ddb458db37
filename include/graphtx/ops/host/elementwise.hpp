#pragma once
/// \file
/// \brief Host backends of ops::add and ops::head_mean: plain vectorisable loops, split across
/// OpenMP threads when large. Included by <graphtx/ops/elementwise.hpp>.

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct add_impl;
template <class Space>
struct head_mean_impl;

template <>
struct add_impl<host> {
  /// Below this many elements the loop runs on one thread (it is memory-bound and short).
  static constexpr index_t parallel_min_elements = index_t{1} << 17;

  /// Shapes were checked by ops::add. y may alias a or b: element i is read before it is written.
  static void run(TensorView<float const, 2, host> a,  // [N, F]
                  TensorView<float const, 2, host> b,  // [N, F]
                  TensorView<float, 2, host> y) {      // [N, F]
    index_t const n = a.size();
    float const* ap = a.data();
    float const* bp = b.data();
    float* yp = y.data();
#if defined(_OPENMP)
#pragma omp parallel for simd schedule(static) if (n >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) yp[i] = ap[i] + bp[i];
  }
};

template <>
struct head_mean_impl<host> {
  /// Below this many input elements the loop runs on one thread.
  static constexpr index_t parallel_min_elements = index_t{1} << 16;

  /// Shapes were checked by ops::head_mean. y must not overlap x (rows are different widths).
  ///
  /// Sum in head order in float, then DIVIDE by H: torch's mean(dim=1) on the CPU sums the reduced
  /// dimension and divides by its size; multiplying by a rounded 1/H can differ in the last bit
  /// (H = 32 is a power of two so both agree there, but other head counts would not).
  static void run(TensorView<float const, 2, host> x,  // [N, H*C]
                  int heads,
                  TensorView<float, 2, host> y) {  // [N, C]
    index_t const n = y.extent(0);
    index_t const c_count = y.extent(1);
    if (n == 0 || c_count == 0) return;
    float const h = static_cast<float>(heads);
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (x.size() >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      float const* xr = x.row(i);  // [H*C]
      float* yr = y.row(i);        // [C]
      for (index_t c = 0; c < c_count; ++c) yr[c] = xr[c];
      for (int k = 1; k < heads; ++k) {
        float const* xh = xr + index_t{k} * c_count;  // [C], head k
        for (index_t c = 0; c < c_count; ++c) yr[c] += xh[c];
      }
      for (index_t c = 0; c < c_count; ++c) yr[c] /= h;
    }
  }
};

}  // namespace graphtx::ops::detail
