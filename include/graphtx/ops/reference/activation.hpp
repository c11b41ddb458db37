#pragma once
/// \file
/// \brief Textbook ReLU, the oracle for every backend of ops::relu (NaN propagates).

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

/// y = 0 where x < 0, else x (so NaN and -0.0 pass through unchanged, as torch's clamp_min on
/// the CPU does). x, y: [N, F]; y may be x.
template <class T>
void relu(std::type_identity_t<TensorView<T const, 2>> x, TensorView<T, 2> y) {
  check_extent("reference::relu", "y", 0, y.extent(0), x.extent(0));
  check_extent("reference::relu", "y", 1, y.extent(1), x.extent(1));
  for (index_t i = 0; i < x.extent(0); ++i) {
    for (index_t c = 0; c < x.extent(1); ++c) {
      T const v = x(i, c);
      y(i, c) = v < T(0) ? T(0) : v;  // NaN < 0 is false: NaN propagates
    }
  }
}

}  // namespace graphtx::ops::reference
