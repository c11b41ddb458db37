#pragma once
/// \file
/// \brief Host backend of ops::linear: one cblas_sgemm (RowMajor, NoTrans x Trans) on y pre-filled
/// with the bias, or for a few rows the weight-streaming kernel of ops/host/detail/small_m_linear.hpp.
/// Included by <graphtx/ops/linear.hpp>; call ops::linear, not this struct.

#include <climits>
#include <cstddef>
#include <cstring>

#include <cblas.h>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/host/detail/small_m_linear.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct linear_impl;

template <>
struct linear_impl<host> {
  /// Below this many output elements the bias fill runs on one thread.
  static constexpr index_t parallel_min_elements = index_t{1} << 16;
  /// The weight-streaming kernel runs for at most this many rows and a weight of at least this
  /// many elements (smaller weights stay in cache for BLAS's packing anyway); chosen with
  /// bench_linear (linear/*/host at G = 1, 2, 4, 8; bench/README.md).
  static constexpr index_t small_m_max_rows = 48;
  static constexpr index_t small_m_min_weights = index_t{1} << 14;
  static constexpr index_t small_m_min_in = 64;  // a few vectors per row: below, the lanes sit idle
  /// Below this many multiply-adds the small-M kernel runs on one thread.
  static constexpr index_t parallel_min_macs = index_t{1} << 18;

  /// Shapes were checked by ops::linear.
  static void run(TensorView<float const, 2, host> x,  // [N, in]
                  TensorView<float const, 2, host> w,  // [out, in]
                  TensorView<float const, 1, host> b,  // [out] or [0]
                  TensorView<float, 2, host> y,        // [N, out]
                  bool accumulate) {
    index_t const n = x.extent(0);
    index_t const in = x.extent(1);
    index_t const out = w.extent(0);
    if (n == 0 || out == 0) return;
    if (n > INT_MAX || in > INT_MAX || out > INT_MAX) {
      throw resource_error(graphtx::detail::cat("linear: shape [", n, ", ", in, "] x [", out, ", ", in,
                                                "] has an extent above INT_MAX, which CBLAS cannot index"));
    }
    bool const has_bias = b.extent(0) != 0;

    // Put the bias into y first and let sgemm add x w^T to it (beta = 1). This is what torch's
    // addmm does on the CPU (it copies the bias into the result, then calls gemm with beta = 1), so
    // y = fl(x w^T + b) rounds like PyTorch. With accumulate the bias is added to the old y first.
    float beta = accumulate ? 1.0f : 0.0f;
    if (has_bias) {
      float const* bp = b.data();
      // Threads only when the fill is big enough to be memory-bound (e.g. [7170, 8192]).
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (n * out >= parallel_min_elements)
#endif
      for (index_t i = 0; i < n; ++i) {
        float* yr = y.row(i);  // [out]
        if (accumulate) {
          for (index_t j = 0; j < out; ++j) yr[j] += bp[j];
        } else {
          std::memcpy(yr, bp, static_cast<std::size_t>(out) * sizeof(float));
        }
      }
      beta = 1.0f;
    }

    if (in == 0) {  // x w^T is an [N, out] matrix of zeros: y = beta * y (+ b already in y)
      if (beta == 0.0f) std::memset(y.data(), 0, y.size_bytes());
      return;
    }
    // Few rows and a weight worth streaming: the weight-streaming kernel reads w once instead of
    // BLAS packing it at every call (ops/host/detail/small_m_linear.hpp); it adds to y.
    if (n <= small_m_max_rows && in >= small_m_min_in && in * out >= small_m_min_weights) {
      if (beta == 0.0f) std::memset(y.data(), 0, y.size_bytes());
      if (small_m_linear(x.data(), n, in, w.data(), out, y.data(), out, n * in * out >= parallel_min_macs)) return;
      beta = 1.0f;  // no vector kernel on this CPU: BLAS adds to the zeros or the bias in y
    }
    // Row-major: y[N, out] = x[N, in] * (w[out, in])^T; lda = ldb = in, ldc = out.
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(n), static_cast<int>(out),
                static_cast<int>(in), 1.0f, x.data(), static_cast<int>(in), w.data(), static_cast<int>(in),
                beta, y.data(), static_cast<int>(out));
  }
};

}  // namespace graphtx::ops::detail
