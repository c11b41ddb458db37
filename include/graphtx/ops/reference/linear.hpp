#pragma once
/// \file
/// \brief Textbook linear, the oracle for every backend of ops::linear: three loops, each dot
/// product accumulated in double. Templated on the element type so it runs in float and double.

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

/// y = x w^T + b (+ y when `accumulate`). x: [N, in], w: [out, in], b: [out] or [0], y: [N, out].
template <class T>
void linear(std::type_identity_t<TensorView<T const, 2>> x, std::type_identity_t<TensorView<T const, 2>> w,
            std::type_identity_t<TensorView<T const, 1>> b, TensorView<T, 2> y, bool accumulate = false) {
  check_extent("reference::linear", "w", 1, w.extent(1), x.extent(1));
  if (b.extent(0) != 0) check_extent("reference::linear", "b", 0, b.extent(0), w.extent(0));
  check_extent("reference::linear", "y", 0, y.extent(0), x.extent(0));
  check_extent("reference::linear", "y", 1, y.extent(1), w.extent(0));
  for (index_t i = 0; i < x.extent(0); ++i) {
    for (index_t o = 0; o < w.extent(0); ++o) {
      double acc = b.extent(0) != 0 ? static_cast<double>(b(o)) : 0.0;
      if (accumulate) acc += static_cast<double>(y(i, o));
      for (index_t k = 0; k < x.extent(1); ++k) acc += static_cast<double>(x(i, k)) * static_cast<double>(w(o, k));
      y(i, o) = static_cast<T>(acc);
    }
  }
}

}  // namespace graphtx::ops::reference
