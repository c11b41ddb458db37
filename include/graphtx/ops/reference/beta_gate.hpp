#pragma once
/// \file
/// \brief Textbook beta gate, templated on the element type: the oracle.

#include <cmath>
#include <type_traits>

#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

template <class T>
void beta_gate(std::type_identity_t<TensorView<T const, 2>> out, std::type_identity_t<TensorView<T const, 2>> x_r,
               std::type_identity_t<TensorView<T const, 2>> w_beta, TensorView<T, 2> y) {
  index_t const d = out.extent(1);
  check_extent("reference::beta_gate", "w_beta", 1, w_beta.extent(1), 3 * d);
  for (index_t i = 0; i < out.extent(0); ++i) {
    double z = 0.0;
    for (index_t c = 0; c < d; ++c) {
      double m = out(i, c), r = x_r(i, c);
      z += static_cast<double>(w_beta(0, c)) * m + static_cast<double>(w_beta(0, d + c)) * r +
           static_cast<double>(w_beta(0, 2 * d + c)) * (m - r);
    }
    double b = 1.0 / (1.0 + std::exp(-z));
    for (index_t c = 0; c < d; ++c) {
      double m = out(i, c), r = x_r(i, c);
      y(i, c) = static_cast<T>(b * r + (1.0 - b) * m);
    }
  }
}

}  // namespace graphtx::ops::reference
