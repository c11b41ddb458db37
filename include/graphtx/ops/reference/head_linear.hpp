#pragma once
/// \file
/// \brief Textbook head_linear (per-head linear maps), accumulating in double.

#include <type_traits>

#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

template <class T>
void head_linear(std::type_identity_t<TensorView<T const, 2>> y, std::type_identity_t<TensorView<T const, 2>> w, int heads,
                 TensorView<T, 2> out) {
  index_t const f = w.extent(1), c_per_head = w.extent(0) / heads;
  for (index_t n = 0; n < y.extent(0); ++n)
    for (index_t o = 0; o < w.extent(0); ++o) {
      index_t const h = o / c_per_head;
      double acc = 0;
      for (index_t k = 0; k < f; ++k) acc += static_cast<double>(y(n, h * f + k)) * static_cast<double>(w(o, k));
      out(n, o) = static_cast<T>(acc);
    }
}

}  // namespace graphtx::ops::reference
