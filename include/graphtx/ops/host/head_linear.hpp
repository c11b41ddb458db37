#pragma once
/// \file
/// \brief Host backend of ops::head_linear: one cblas_sgemm per head on strided column blocks
/// (lda = H*F, ldc = H*C), so no head block is copied.

#include <climits>
#include <cstring>

#include <cblas.h>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct head_linear_impl;

template <>
struct head_linear_impl<host> {
  static void run(TensorView<float const, 2, host> y, TensorView<float const, 2, host> w, int heads,
                  TensorView<float, 2, host> out) {
    index_t const n = y.extent(0), f = w.extent(1), c = w.extent(0) / heads;
    if (n == 0 || c == 0) return;
    if (f == 0) {
      std::memset(out.data(), 0, out.size_bytes());
      return;
    }
    if (n > INT_MAX || y.extent(1) > INT_MAX || out.extent(1) > INT_MAX) {
      throw resource_error("head_linear: an extent is above INT_MAX, which CBLAS cannot index");
    }
    for (int h = 0; h < heads; ++h) {
      // out[:, h*C : (h+1)*C] = y[:, h*F : (h+1)*F] * (w[h*C : (h+1)*C, :])^T
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(n), static_cast<int>(c),
                  static_cast<int>(f), 1.0f, y.data() + h * f, static_cast<int>(y.extent(1)), w.data() + h * c * f,
                  static_cast<int>(f), 0.0f, out.data() + h * c, static_cast<int>(out.extent(1)));
    }
  }
};

}  // namespace graphtx::ops::detail
