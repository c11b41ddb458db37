#pragma once
/// \file
/// \brief `TensorView` (non-owning: pointer + extents, row-major, contiguous) and `Tensor`
/// (owning, allocated in a Space). The CuTe split between engine and layout, minus the layout
/// algebra: graphtx only ever needs dense row-major tensors.
///
/// **Example**:
/// \code
/// graphtx::Tensor<float, 2> x({7170, 9});          // [N, F] in host memory, uninitialised
/// graphtx::TensorView<float const, 2> v = x.view();
/// float first = v(0, 0);
/// \endcode

#include <array>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include <graphtx/core/config.hpp>
#include <graphtx/core/dtype.hpp>
#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>

namespace graphtx {

template <int Rank>
using extents_t = std::array<index_t, Rank>;

namespace detail {

/// Product of extents, with the overflow and sign checks every allocation goes through.
template <std::size_t Rank>
index_t checked_element_count(std::array<index_t, Rank> const& extents, std::size_t element_size) {
  index_t n = 1;
  for (std::size_t d = 0; d < Rank; ++d) {
    if (extents[d] < 0) {
      throw shape_error(cat("tensor: extent ", d, " is negative (", extents[d], ") in shape ",
                            shape_string(extents)));
    }
    if (extents[d] != 0 && n > std::numeric_limits<index_t>::max() / extents[d]) {
      throw resource_error(cat("tensor: shape ", shape_string(extents),
                               " has more elements than fit in a 64-bit index"));
    }
    n *= extents[d];
  }
  if (n != 0 && static_cast<std::size_t>(n) > std::numeric_limits<std::size_t>::max() / element_size) {
    throw resource_error(cat("tensor: shape ", shape_string(extents), " needs more bytes than size_t holds"));
  }
  return n;
}

}  // namespace detail

/// A non-owning, row-major, contiguous view of `Rank`-dimensional data living in `Space`.
/// Cheap to copy; passes by value into kernels. `T` may be const.
template <class T, int Rank, class Space = host>
class TensorView {
  static_assert(Rank >= 1, "graphtx::TensorView: Rank must be at least 1");

 public:
  using element_type = T;
  using value_type = std::remove_cv_t<T>;
  using space = Space;
  static constexpr int rank = Rank;

  constexpr TensorView() = default;
  GRAPHTX_HOST_DEVICE constexpr TensorView(T* data, extents_t<Rank> const& extents) : data_(data) {
    for (int d = 0; d < Rank; ++d) extents_[d] = extents[d];
  }

  /// A view of non-const elements converts to a view of const elements.
  template <class U, class = std::enable_if_t<std::is_same_v<U const, T> && !std::is_same_v<U, T>>>
  GRAPHTX_HOST_DEVICE constexpr TensorView(TensorView<U, Rank, Space> const& other) : data_(other.data()) {
    for (int d = 0; d < Rank; ++d) extents_[d] = other.extent(d);
  }

  GRAPHTX_HOST_DEVICE constexpr T* data() const { return data_; }
  GRAPHTX_HOST_DEVICE constexpr index_t extent(int d) const { return extents_[d]; }
  constexpr extents_t<Rank> extents() const {
    extents_t<Rank> e{};
    for (int d = 0; d < Rank; ++d) e[d] = extents_[d];
    return e;
  }
  GRAPHTX_HOST_DEVICE constexpr index_t size() const {
    index_t n = 1;
    for (int d = 0; d < Rank; ++d) n *= extents_[d];
    return n;
  }
  GRAPHTX_HOST_DEVICE constexpr bool empty() const { return size() == 0; }
  GRAPHTX_HOST_DEVICE constexpr std::size_t size_bytes() const {
    return static_cast<std::size_t>(size()) * sizeof(T);
  }
  static constexpr graphtx::dtype dtype() { return dtype_of_v<T>; }

  /// Row-major element access. Only dereference host views on the host and cuda views on the device.
  template <class... I>
  GRAPHTX_HOST_DEVICE constexpr T& operator()(I... i) const {
    static_assert(sizeof...(I) == Rank, "graphtx::TensorView: wrong number of indices");
    index_t idx[] = {static_cast<index_t>(i)...};
    index_t off = 0;
    for (int d = 0; d < Rank; ++d) off = off * extents_[d] + idx[d];
    return data_[off];
  }

  /// Pointer to row `i` of a matrix ([rows, cols] row-major).
  GRAPHTX_HOST_DEVICE constexpr T* row(index_t i) const {
    static_assert(Rank == 2, "graphtx::TensorView::row needs a rank-2 view");
    return data_ + i * extents_[1];
  }

 private:
  T* data_ = nullptr;
  index_t extents_[Rank] = {};
};

/// A contiguous owning array of `T` in `Space`. Move-only: copies between or within spaces are
/// explicit (`deep_copy`, `Tensor::clone`), never implicit.
template <class T, int Rank, class Space = host>
class Tensor {
  static_assert(std::is_trivially_copyable_v<T>, "graphtx::Tensor holds trivially copyable elements only");

 public:
  using value_type = T;
  using space = Space;
  using view_type = TensorView<T, Rank, Space>;
  using const_view_type = TensorView<T const, Rank, Space>;
  static constexpr int rank = Rank;

  Tensor() = default;

  /// Allocates uninitialised storage for `extents`. Throws shape_error on a negative extent and
  /// resource_error when the byte count does not fit.
  explicit Tensor(extents_t<Rank> const& extents) : extents_(extents) {
    index_t n = detail::checked_element_count(extents, sizeof(T));
    bytes_ = static_cast<std::size_t>(n) * sizeof(T);
    data_ = static_cast<T*>(memory_resource<Space>::allocate(bytes_));
  }

  /// A host tensor filled with `value`.
  static Tensor filled(extents_t<Rank> const& extents, T value) {
    static_assert(std::is_same_v<Space, host>, "Tensor::filled is host-only; fill on host and deep_copy");
    Tensor t(extents);
    for (index_t i = 0; i < t.size(); ++i) t.data_[i] = value;
    return t;
  }
  static Tensor zeros(extents_t<Rank> const& extents) { return filled(extents, T{}); }

  /// A host tensor holding a copy of `values` (row-major); the count must match the extents.
  static Tensor from(extents_t<Rank> const& extents, std::vector<T> const& values) {
    static_assert(std::is_same_v<Space, host>, "Tensor::from is host-only; build on host and deep_copy");
    Tensor t(extents);
    if (static_cast<index_t>(values.size()) != t.size()) {
      throw shape_error(detail::cat("Tensor::from: shape ", detail::shape_string(extents), " needs ",
                                    t.size(), " values, got ", values.size()));
    }
    if (!values.empty()) std::memcpy(t.data_, values.data(), t.bytes_);
    return t;
  }

  Tensor(Tensor&& other) noexcept { swap(other); }
  Tensor& operator=(Tensor&& other) noexcept {
    Tensor(std::move(other)).swap(*this);
    return *this;
  }
  Tensor(Tensor const&) = delete;
  Tensor& operator=(Tensor const&) = delete;
  ~Tensor() { memory_resource<Space>::deallocate(data_, bytes_); }

  void swap(Tensor& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(extents_, other.extents_);
    std::swap(bytes_, other.bytes_);
  }

  T* data() { return data_; }
  T const* data() const { return data_; }
  index_t extent(int d) const { return extents_[d]; }
  extents_t<Rank> const& extents() const { return extents_; }
  index_t size() const {
    index_t n = 1;
    for (auto e : extents_) n *= e;
    return n;
  }
  bool empty() const { return size() == 0; }
  std::size_t size_bytes() const { return bytes_; }
  static constexpr graphtx::dtype dtype() { return dtype_of_v<T>; }

  view_type view() { return view_type(data_, extents_); }
  const_view_type view() const { return const_view_type(data_, extents_); }
  const_view_type cview() const { return const_view_type(data_, extents_); }
  operator view_type() { return view(); }
  operator const_view_type() const { return cview(); }

  /// Host element access (tests, small tools). Device tensors have no element access.
  template <class... I>
  T& operator()(I... i) {
    static_assert(std::is_same_v<Space, host>, "element access is host-only; deep_copy to host first");
    return view()(i...);
  }
  template <class... I>
  T const& operator()(I... i) const {
    static_assert(std::is_same_v<Space, host>, "element access is host-only; deep_copy to host first");
    return cview()(i...);
  }

  /// A host copy of the elements (row-major).
  std::vector<T> to_vector() const {
    static_assert(std::is_same_v<Space, host>, "to_vector is host-only; deep_copy to host first");
    return std::vector<T>(data_, data_ + size());
  }

  /// A same-space copy.
  Tensor clone() const;

 private:
  T* data_ = nullptr;
  extents_t<Rank> extents_{};
  std::size_t bytes_ = 0;
};

// ---- explicit copies --------------------------------------------------------------------------

namespace detail {
/// Byte copy between spaces; specialised per (destination, source) pair. Host<->host is here;
/// pairs involving cuda live in <graphtx/core/cuda/copy.cuh>.
template <class DstSpace, class SrcSpace>
struct copy_bytes {
  static_assert(sizeof(DstSpace) == 0,
                "graphtx::deep_copy: no copy between these spaces; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};
template <>
struct copy_bytes<host, host> {
  static void run(void* dst, void const* src, std::size_t bytes) {
    if (bytes != 0) std::memcpy(dst, src, bytes);
  }
};
}  // namespace detail

/// Copies `src` into `dst`; extents must match exactly. Spaces may differ (host <-> cuda).
template <class T, int Rank, class DstSpace, class SrcSpace>
void deep_copy(TensorView<T, Rank, DstSpace> dst, TensorView<T const, Rank, SrcSpace> src) {
  for (int d = 0; d < Rank; ++d) {
    if (dst.extent(d) != src.extent(d)) {
      throw shape_error(detail::cat("deep_copy: destination shape ", detail::shape_string(dst.extents()),
                                    " differs from source shape ", detail::shape_string(src.extents())));
    }
  }
  detail::copy_bytes<DstSpace, SrcSpace>::run(dst.data(), src.data(), src.size_bytes());
}

/// A new tensor in `DstSpace` holding a copy of `src`.
template <class DstSpace, class T, int Rank, class SrcSpace>
Tensor<std::remove_const_t<T>, Rank, DstSpace> to_space(TensorView<T, Rank, SrcSpace> src) {
  using U = std::remove_const_t<T>;
  Tensor<U, Rank, DstSpace> out(src.extents());
  deep_copy<U, Rank, DstSpace, SrcSpace>(out.view(), TensorView<U const, Rank, SrcSpace>(src));
  return out;
}
template <class DstSpace, class T, int Rank, class SrcSpace>
Tensor<T, Rank, DstSpace> to_space(Tensor<T, Rank, SrcSpace> const& src) {
  return to_space<DstSpace>(src.cview());
}
/// `src` itself when it already lives in `DstSpace` (moved, no copy), else a copy in `DstSpace`.
template <class DstSpace, class T, int Rank, class SrcSpace>
Tensor<T, Rank, DstSpace> to_space(Tensor<T, Rank, SrcSpace>&& src) {
  if constexpr (std::is_same_v<DstSpace, SrcSpace>) {
    return std::move(src);
  } else {
    return to_space<DstSpace>(src.cview());
  }
}

template <class T, int Rank, class Space>
Tensor<T, Rank, Space> Tensor<T, Rank, Space>::clone() const {
  Tensor out(extents_);
  detail::copy_bytes<Space, Space>::run(out.data_, data_, bytes_);
  return out;
}

// ---- shape checks shared by ops and layers -----------------------------------------------------

/// Throws shape_error "<where>: <what> has extent A in dim d, expected B".
inline void check_extent(char const* where, char const* what, int dim, index_t actual, index_t expected) {
  if (actual != expected) {
    throw shape_error(detail::cat(where, ": ", what, " has extent ", actual, " in dim ", dim, ", expected ",
                                  expected));
  }
}

}  // namespace graphtx
