#pragma once
/// \file
/// \brief check_finite: an optional guard that names the first NaN or Inf in a host tensor.
///
/// graphtx never checks values on its own: like PyG it computes with NaN and Inf and lets them
/// propagate (README "Reliability"). A caller that would rather refuse such input calls this on x,
/// edge_attr or weights before a forward; io::check_finite does the same for a whole safetensors file.
///
/// **Example**:
/// \code
/// graphtx::check_finite(batch.x.cview(), "graph.safetensors: x");
/// // throws value_error "graph.safetensors: x: row 3, column 7 is nan (the first non-finite value)"
/// \endcode

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx {

namespace detail {

/// "nan", "inf" or "-inf".
template <class T>
std::string non_finite_name(T v) {
  if (std::isnan(v)) return "nan";
  return v > 0 ? "inf" : "-inf";
}

/// "row 3, column 7" for a matrix, "element 5" for a vector, "index [1, 0, 2]" otherwise, for
/// flat row-major position `flat` in a tensor of `extents` (any container of index_t).
template <class Extents>
std::string position_string(Extents const& extents, index_t flat) {
  Extents at = extents;
  for (std::size_t d = at.size(); d-- > 0;) {
    index_t const ext = extents[d];
    at[d] = ext > 0 ? flat % ext : 0;
    flat = ext > 0 ? flat / ext : 0;
  }
  if (at.size() == 0) return "the scalar";
  if (at.size() == 1) return cat("element ", at[0]);
  if (at.size() == 2) return cat("row ", at[0], ", column ", at[1]);
  return cat("index ", shape_string(at));
}

}  // namespace detail

/// Throws value_error naming `what`, the position and the value of the first NaN or +-Inf in
/// row-major order; returns normally when every element is finite. O(size), host memory only.
template <class T, int Rank>
void check_finite(TensorView<T const, Rank, host> t, std::string_view what) {
  static_assert(std::is_floating_point_v<T>, "check_finite: only float and double tensors hold NaN or Inf");
  T const* p = t.data();
  index_t const n = t.size();
  for (index_t i = 0; i < n; ++i) {
    if (!std::isfinite(p[i])) {
      throw value_error(detail::cat(what, ": ", detail::position_string(t.extents(), i), " is ",
                                    detail::non_finite_name(p[i]), " (the first non-finite value of shape ",
                                    detail::shape_string(t.extents()), ")"));
    }
  }
}
template <class T, int Rank>
void check_finite(TensorView<T, Rank, host> t, std::string_view what) {
  check_finite(TensorView<T const, Rank, host>(t), what);
}
template <class T, int Rank>
void check_finite(Tensor<T, Rank, host> const& t, std::string_view what) {
  check_finite(t.cview(), what);
}

}  // namespace graphtx
