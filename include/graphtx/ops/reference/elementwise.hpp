#pragma once
/// \file
/// \brief Textbook add and head_mean, the oracles for ops::add and ops::head_mean (double
/// arithmetic, one rounding to T at the end).

#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

/// y = a + b. a, b, y: [N, F]; y may be a or b.
template <class T>
void add(std::type_identity_t<TensorView<T const, 2>> a, std::type_identity_t<TensorView<T const, 2>> b,
         TensorView<T, 2> y) {
  check_extent("reference::add", "b", 0, b.extent(0), a.extent(0));
  check_extent("reference::add", "b", 1, b.extent(1), a.extent(1));
  check_extent("reference::add", "y", 0, y.extent(0), a.extent(0));
  check_extent("reference::add", "y", 1, y.extent(1), a.extent(1));
  for (index_t i = 0; i < a.extent(0); ++i) {
    for (index_t c = 0; c < a.extent(1); ++c) {
      y(i, c) = static_cast<T>(static_cast<double>(a(i, c)) + static_cast<double>(b(i, c)));
    }
  }
}

/// y[n, c] = (1/H) sum_h x[n, h*C + c]. x: [N, H*C], y: [N, C].
template <class T>
void head_mean(std::type_identity_t<TensorView<T const, 2>> x, int heads, TensorView<T, 2> y) {
  if (heads <= 0) {
    throw shape_error(graphtx::detail::cat("reference::head_mean: heads is ", heads, ", expected a positive count"));
  }
  check_extent("reference::head_mean", "y", 0, y.extent(0), x.extent(0));
  check_extent("reference::head_mean", "x", 1, x.extent(1), index_t{heads} * y.extent(1));
  index_t const c_count = y.extent(1);
  for (index_t i = 0; i < y.extent(0); ++i) {
    for (index_t c = 0; c < c_count; ++c) {
      double acc = 0.0;
      for (int h = 0; h < heads; ++h) acc += static_cast<double>(x(i, index_t{h} * c_count + c));
      y(i, c) = static_cast<T>(acc / heads);
    }
  }
}

}  // namespace graphtx::ops::reference
