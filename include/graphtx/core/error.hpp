#pragma once
/// \file
/// \brief The exception hierarchy. graphtx lives inside other programs: it throws, it never aborts.
///
/// Every message names the object that was wrong (file, tensor, edge, index) and the expected and
/// actual values, e.g. "state_dict: convs.3.lin_key.weight has shape [8192, 255], expected [8192, 256]".

#include <array>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace graphtx {

/// Base class of everything graphtx throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A tensor has the wrong rank, extent or dtype for the operation or layer it was given to.
class shape_error : public error {
 public:
  using error::error;
};

/// A graph is malformed: an edge index out of range or negative, a bad batch vector, sizes that do
/// not fit the index type.
class graph_error : public error {
 public:
  using error::error;
};

/// A file could not be read or written, or its contents break the format's rules.
class io_error : public error {
 public:
  using error::error;
};

/// A request would need more memory or larger indices than graphtx allows or can represent.
class resource_error : public error {
 public:
  using error::error;
};

/// A tensor holds a value the caller asked graphtx to refuse: NaN or Inf under check_finite.
/// (Without that check graphtx computes with non-finite values exactly as PyG does.)
class value_error : public error {
 public:
  using error::error;
};

/// A CUDA runtime or cuBLAS call failed (thrown by the CUDA backend only).
class cuda_error : public error {
 public:
  using error::error;
};

namespace detail {

/// Streams every argument into one string: the message builder used by all throw sites
/// (g++ 12 has no <format>).
template <class... Args>
[[nodiscard]] std::string cat(Args const&... args) {
  std::ostringstream out;
  (out << ... << args);
  return out.str();
}

/// "[8192, 256]": the shape notation used in every message.
template <class Extents>
[[nodiscard]] std::string shape_string(Extents const& extents) {
  std::ostringstream out;
  out << '[';
  bool first = true;
  for (auto e : extents) {
    if (!first) out << ", ";
    out << e;
    first = false;
  }
  out << ']';
  return out.str();
}

}  // namespace detail
}  // namespace graphtx
