#pragma once
/// \file
/// \brief Textbook beta gate (PyG's `lin_beta(cat([out, x_r, out - x_r]))`, sigmoid, mix): the
/// oracle for every backend of ops::beta_gate. Plain loops in the element type `T`.

#include <cmath>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

/// z[i] = sum_c w[c] out[i,c] + w[D+c] x_r[i,c] + w[2D+c] (out[i,c] - x_r[i,c]), summed over the
/// 3D concatenated columns in order; b = 1 / (1 + exp(-z)); y = b x_r + (1 - b) out.
///
/// - out, x_r, y: [N, D]; w_beta: [1, 3D]. y may be out or x_r (in place).
/// - Throws shape_error on mismatched extents.
template <class T>
void beta_gate(std::type_identity_t<TensorView<T const, 2>> out,     // [N, D]
               std::type_identity_t<TensorView<T const, 2>> x_r,     // [N, D]
               std::type_identity_t<TensorView<T const, 2>> w_beta,  // [1, 3D]
               TensorView<T, 2> y) {                                 // [N, D]
  char const* where = "reference::beta_gate";
  index_t const n = out.extent(0), d = out.extent(1);
  check_extent(where, "x_r", 0, x_r.extent(0), n);
  check_extent(where, "x_r", 1, x_r.extent(1), d);
  check_extent(where, "w_beta", 0, w_beta.extent(0), 1);
  check_extent(where, "w_beta", 1, w_beta.extent(1), 3 * d);
  check_extent(where, "y", 0, y.extent(0), n);
  check_extent(where, "y", 1, y.extent(1), d);
  for (index_t i = 0; i < n; ++i) {
    T z = 0;  // the one output of lin_beta on the concatenated row [out, x_r, out - x_r]
    for (index_t c = 0; c < d; ++c) z += w_beta(0, c) * out(i, c);
    for (index_t c = 0; c < d; ++c) z += w_beta(0, d + c) * x_r(i, c);
    for (index_t c = 0; c < d; ++c) z += w_beta(0, 2 * d + c) * (out(i, c) - x_r(i, c));
    T const b = T(1) / (T(1) + std::exp(-z));
    for (index_t c = 0; c < d; ++c) y(i, c) = b * x_r(i, c) + (T(1) - b) * out(i, c);
  }
}

}  // namespace graphtx::ops::reference
