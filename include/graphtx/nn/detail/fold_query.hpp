#pragma once
/// \file
/// \brief The query fold of nn::TransformerConv's folded algorithm (docs/folded_attention.md), on
/// the host, in double precision through BLAS:
///
///     A_h = Wk_h^T Wq_h   [F_src, F_dst]   (fold_query rows h*F_src .. (h+1)*F_src - 1)
///     u_h = Wk_h^T bq_h   [F_src]          (fold_bias, with a query bias)
///
/// for every head h, with Wq_h = lin_query.weight rows h*C .. (h+1)*C - 1 ([C, F_dst]) and Wk_h
/// the same rows of lin_key.weight ([C, F_src]). Each head's blocks are widened to double
/// (exactly), multiplied with one cblas_dgemm and one cblas_dgemv, and rounded once to float.
///
/// Why BLAS: the seed layer's fold is H x F_src x C x F_dst = 537 M multiply-adds; as scalar
/// double loops on one thread that was most of a seed model's load time (about 1.2 of 2.4 s on
/// the 2-vCPU VM). Heads are independent, so they are spread over the OpenMP threads, each
/// calling a single-threaded DGEMM (OpenBLAS runs single-threaded inside a parallel region).
///
/// Against the previous scalar loops (a sum over c in order, in double): DGEMM sums in another
/// order, so the double results differ by a few units of 2^-53 relative, and a float rounding
/// of them can land one float ulp apart where the double value sat within that distance of a
/// rounding boundary. tests/nn/fold_query_test.cpp holds the two within 1 ulp everywhere (and
/// counts how rarely they differ at all).

#include <cstddef>
#include <vector>

#include <graphtx/core/host_blas.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::nn::detail {

/// wq [H*C, Fd], wk [H*C, Fs], bq [H*C] or empty; writes a [H*Fs, Fd] and, when bq is not empty,
/// u [H*Fs].
inline void fold_query(TensorView<float const, 2, host> wq, TensorView<float const, 2, host> wk,
                       TensorView<float const, 1, host> bq, index_t heads, TensorView<float, 2, host> a,
                       TensorView<float, 1, host> u) {
  index_t const c = wq.extent(0) / heads, fd = wq.extent(1), fs = wk.extent(1);
  bool const bias = bq.extent(0) != 0;
#if defined(_OPENMP)
#pragma omp parallel
#endif
  {
    // Per thread: one head's Wq_h [C, Fd] and Wk_h [C, Fs] widened, its A_h [Fs, Fd], bq_h [C], u_h [Fs].
    std::vector<double> wq_h(static_cast<std::size_t>(c * fd)), wk_h(static_cast<std::size_t>(c * fs));
    std::vector<double> a_h(static_cast<std::size_t>(fs * fd)), bq_h(static_cast<std::size_t>(bias ? c : 0)),
        u_h(static_cast<std::size_t>(bias ? fs : 0));
#if defined(_OPENMP)
#pragma omp for schedule(static)
#endif
    for (index_t h = 0; h < heads; ++h) {
      float const* q = wq.row(h * c);
      float const* k = wk.row(h * c);
      for (index_t i = 0; i < c * fd; ++i) wq_h[static_cast<std::size_t>(i)] = static_cast<double>(q[i]);
      for (index_t i = 0; i < c * fs; ++i) wk_h[static_cast<std::size_t>(i)] = static_cast<double>(k[i]);
      int const ci = static_cast<int>(c), fdi = static_cast<int>(fd), fsi = static_cast<int>(fs);
      if (c > 0) {
        // A_h [Fs, Fd] = Wk_h^T [Fs, C] x Wq_h [C, Fd]
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, fsi, fdi, ci, 1.0, wk_h.data(), fsi, wq_h.data(), fdi,
                    0.0, a_h.data(), fdi);
      } else {
        std::fill(a_h.begin(), a_h.end(), 0.0);
      }
      float* out = a.row(h * fs);
      for (index_t i = 0; i < fs * fd; ++i) out[i] = static_cast<float>(a_h[static_cast<std::size_t>(i)]);
      if (bias) {
        for (index_t i = 0; i < c; ++i) bq_h[static_cast<std::size_t>(i)] = static_cast<double>(bq.data()[h * c + i]);
        if (c > 0) {
          // u_h [Fs] = Wk_h^T [Fs, C] x bq_h [C]
          cblas_dgemv(CblasRowMajor, CblasTrans, ci, fsi, 1.0, wk_h.data(), fsi, bq_h.data(), 1, 0.0, u_h.data(), 1);
        } else {
          std::fill(u_h.begin(), u_h.end(), 0.0);
        }
        for (index_t f = 0; f < fs; ++f) u.data()[h * fs + f] = static_cast<float>(u_h[static_cast<std::size_t>(f)]);
      }
    }
  }
}

}  // namespace graphtx::nn::detail
