#pragma once
/// \file
/// \brief Textbook global pools, the oracle for every backend of ops::global_{mean,add,max}_pool:
/// sums in double, ptr checked (graph_error).

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/reference/segment_sum.hpp>  // detail::check_offsets

namespace graphtx::ops::reference {

namespace detail {
template <class T>
void check_pool(char const* where, TensorView<T const, 2> x, TensorView<std::int32_t const, 1> ptr,
                TensorView<T, 2> out) {
  check_extent(where, "ptr", 0, ptr.extent(0), out.extent(0) + 1);
  check_extent(where, "out", 1, out.extent(1), x.extent(1));
  check_offsets(where, "ptr", ptr, x.extent(0));
}
}  // namespace detail

/// out[g, :] = sum of x[ptr[g] .. ptr[g+1]-1, :]; empty graph -> 0. x: [N, F], ptr: [G+1], out: [G, F].
template <class T>
void global_add_pool(std::type_identity_t<TensorView<T const, 2>> x, TensorView<std::int32_t const, 1> ptr,
                     TensorView<T, 2> out) {
  detail::check_pool<T>("reference::global_add_pool", x, ptr, out);
  for (index_t g = 0; g < out.extent(0); ++g) {
    for (index_t c = 0; c < out.extent(1); ++c) {
      double acc = 0.0;
      for (index_t n = ptr(g); n < ptr(g + 1); ++n) acc += static_cast<double>(x(n, c));
      out(g, c) = static_cast<T>(acc);
    }
  }
}

/// out[g, :] = sum / max(count, 1) (PyG clamps the count, so an empty graph gives 0).
template <class T>
void global_mean_pool(std::type_identity_t<TensorView<T const, 2>> x, TensorView<std::int32_t const, 1> ptr,
                      TensorView<T, 2> out) {
  detail::check_pool<T>("reference::global_mean_pool", x, ptr, out);
  for (index_t g = 0; g < out.extent(0); ++g) {
    index_t const count = ptr(g + 1) - ptr(g);
    for (index_t c = 0; c < out.extent(1); ++c) {
      double acc = 0.0;
      for (index_t n = ptr(g); n < ptr(g + 1); ++n) acc += static_cast<double>(x(n, c));
      out(g, c) = static_cast<T>(acc / static_cast<double>(count > 0 ? count : 1));
    }
  }
}

/// out[g, :] = elementwise max over the graph's rows; empty graph -> 0; any NaN -> NaN.
template <class T>
void global_max_pool(std::type_identity_t<TensorView<T const, 2>> x, TensorView<std::int32_t const, 1> ptr,
                     TensorView<T, 2> out) {
  detail::check_pool<T>("reference::global_max_pool", x, ptr, out);
  for (index_t g = 0; g < out.extent(0); ++g) {
    for (index_t c = 0; c < out.extent(1); ++c) {
      if (ptr(g + 1) == ptr(g)) {
        out(g, c) = T(0);
        continue;
      }
      T best = x(ptr(g), c);
      bool nan = false;
      for (index_t n = ptr(g); n < ptr(g + 1); ++n) {
        if (std::isnan(x(n, c))) nan = true;
        if (x(n, c) > best) best = x(n, c);
      }
      out(g, c) = nan ? std::numeric_limits<T>::quiet_NaN() : best;
    }
  }
}

}  // namespace graphtx::ops::reference
