#pragma once
/// \file
/// \brief y[M, N] += x[M, K] w[N, K]^T for few rows M (a forward of one or a few molecules), as
/// a weight-streaming kernel: every row of w is read from memory once, for all M rows of x.
///
/// Why: with M of a few dozen rows, BLAS's sgemm spends its time packing w (an 8 MiB fold_query of
/// the seed model is copied into a packed buffer at every call, then read again) and not in the
/// multiply-adds, so a G = 1 seed forward took about 3x the time of reading its weights once.
/// Here w is read in place: OpenMP threads take blocks of 8 rows of w (8 outputs), a block's rows
/// are read in chunks of 1024 columns that stay in L1 while every row of x passes over them,
/// 8 vector accumulators (one per output) take the products, and each is summed across its lanes
/// at the end of the chunk.
///
/// The vector code is compiled for AVX-512F and for AVX2+FMA with function target attributes and
/// chosen at run time from the CPU (the library is built for baseline x86-64, so without this the
/// compiler may use SSE2 only); on other CPUs and compilers `small_m_linear` returns false and the
/// caller uses BLAS. Deterministic: each output is summed by one thread in a fixed order.

#include <cstring>

#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/host/detail/cpu_isa.hpp>

#if defined(GRAPHTX_HOST_X86_TARGETS)
#include <immintrin.h>
#define GRAPHTX_SMALL_M_LINEAR_X86 1
#endif

namespace graphtx::ops::detail {

/// Rows of w (outputs) per block, columns of a chunk.
inline constexpr index_t small_m_rows = 8;
inline constexpr index_t small_m_chunk = 1024;

#if defined(GRAPHTX_SMALL_M_LINEAR_X86)

/// One block: outputs n0 .. n0+rows-1 (rows <= small_m_rows) for all m, columns k0 .. k0+kc-1;
/// adds to y. VEC holds LANES floats (16: AVX-512, 8: AVX2); MB rows of x go together (2 with
/// AVX-512's 32 registers: 16 accumulators, and 8 weight loads feed 16 FMAs; 1 with AVX2's 16).
#define GRAPHTX_SMALL_M_BLOCK(NAME, TARGET, VEC, LANES, MB, LOAD, FMA, ZERO, REDUCE)                               \
  __attribute__((target(TARGET))) inline void NAME(float const* x, index_t m_rows, index_t ldx, float const* w,     \
                                                   index_t ldw, index_t rows, index_t k0, index_t kc, float* y,    \
                                                   index_t ldy) {                                                  \
    constexpr index_t R = small_m_rows;                                                                            \
    index_t const kv = kc / LANES * LANES;                                                                         \
    for (index_t m0 = 0; m0 < m_rows; m0 += MB) {                                                                  \
      index_t const mb = m_rows - m0 < MB ? m_rows - m0 : MB;                                                      \
      VEC acc[MB][R];                                                                                              \
      for (index_t i = 0; i < MB; ++i)                                                                             \
        for (index_t r = 0; r < R; ++r) acc[i][r] = ZERO();                                                        \
      float const* xm[MB];                                                                                         \
      for (index_t i = 0; i < MB; ++i) xm[i] = x + (m0 + (i < mb ? i : 0)) * ldx + k0;                             \
      if (rows == R) {                                                                                             \
        for (index_t k = 0; k < kv; k += LANES) {                                                                  \
          VEC xv[MB];                                                                                              \
          for (index_t i = 0; i < MB; ++i) xv[i] = LOAD(xm[i] + k);                                                \
          for (index_t r = 0; r < R; ++r) {                                                                        \
            VEC const wv = LOAD(w + r * ldw + k0 + k);                                                             \
            for (index_t i = 0; i < MB; ++i) acc[i][r] = FMA(wv, xv[i], acc[i][r]);                                \
          }                                                                                                        \
        }                                                                                                          \
      } else {                                                                                                     \
        for (index_t k = 0; k < kv; k += LANES) {                                                                  \
          VEC xv[MB];                                                                                              \
          for (index_t i = 0; i < MB; ++i) xv[i] = LOAD(xm[i] + k);                                                \
          for (index_t r = 0; r < rows; ++r) {                                                                     \
            VEC const wv = LOAD(w + r * ldw + k0 + k);                                                             \
            for (index_t i = 0; i < MB; ++i) acc[i][r] = FMA(wv, xv[i], acc[i][r]);                                \
          }                                                                                                        \
        }                                                                                                          \
      }                                                                                                            \
      for (index_t i = 0; i < mb; ++i) {                                                                           \
        float* ym = y + (m0 + i) * ldy;                                                                            \
        for (index_t r = 0; r < rows; ++r) {                                                                       \
          float s = REDUCE(acc[i][r]);                                                                             \
          float const* wr = w + r * ldw + k0;                                                                      \
          for (index_t k = kv; k < kc; ++k) s += xm[i][k] * wr[k];                                                 \
          ym[r] += s;                                                                                              \
        }                                                                                                          \
      }                                                                                                            \
    }                                                                                                              \
  }

// GCC 12's AVX-512 intrinsics (_mm512_reduce_add_ps, the shuffles, the 512 -> 256 casts) start
// from _mm512_undefined_ps(), which -Wmaybe-uninitialized reports in every user's build once
// they are inlined here: silenced for these functions only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

// Lane sums: halves added pairwise (16 -> 8 -> 4 -> 2 -> 1).
__attribute__((target("avx2,fma"))) inline float small_m_reduce8(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}
__attribute__((target("avx512f"))) inline float small_m_reduce16(__m512 v) { return _mm512_reduce_add_ps(v); }

GRAPHTX_SMALL_M_BLOCK(small_m_block_avx512, "avx512f", __m512, 16, 2, _mm512_loadu_ps, _mm512_fmadd_ps, _mm512_setzero_ps,
                      small_m_reduce16)
GRAPHTX_SMALL_M_BLOCK(small_m_block_avx2, "avx2,fma", __m256, 8, 1, _mm256_loadu_ps, _mm256_fmadd_ps, _mm256_setzero_ps,
                      small_m_reduce8)
#undef GRAPHTX_SMALL_M_BLOCK

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // GRAPHTX_SMALL_M_LINEAR_X86

/// y [M, N] (row stride ldy) += x [M, K] w [N, K]^T with the weight-streaming kernel; returns
/// false, doing nothing, where this CPU or compiler has none (the caller then calls BLAS).
/// `threads`: whether to spread the blocks over OpenMP threads.
inline bool small_m_linear(float const* x, index_t m_rows, index_t k, float const* w, index_t n, float* y, index_t ldy,
                           bool threads) {
#if defined(GRAPHTX_SMALL_M_LINEAR_X86)
  host_isa const isa = host_vector_isa();
  if (isa == host_isa::baseline) return false;
  index_t const blocks = (n + small_m_rows - 1) / small_m_rows;
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (threads)
#endif
  for (index_t b = 0; b < blocks; ++b) {
    index_t const n0 = b * small_m_rows;
    index_t const rows = n - n0 < small_m_rows ? n - n0 : small_m_rows;
    for (index_t k0 = 0; k0 < k; k0 += small_m_chunk) {
      index_t const kc = k - k0 < small_m_chunk ? k - k0 : small_m_chunk;
      if (isa == host_isa::avx512f) {
        small_m_block_avx512(x, m_rows, k, w + n0 * k, k, rows, k0, kc, y + n0, ldy);
      } else {
        small_m_block_avx2(x, m_rows, k, w + n0 * k, k, rows, k0, kc, y + n0, ldy);
      }
    }
  }
  (void)threads;
  return true;
#else
  (void)x, (void)m_rows, (void)k, (void)w, (void)n, (void)y, (void)ldy, (void)threads;
  return false;
#endif
}

}  // namespace graphtx::ops::detail
