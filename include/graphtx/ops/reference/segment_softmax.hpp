#pragma once
/// \file
/// \brief Textbook segment softmax with PyG's semantics (docs/pyg_semantics.md, Softmax): the
/// oracle for every backend of ops::segment_softmax. Plain loops in the element type `T` (run it
/// in double for a high-precision answer, in float for an fp32 one). Unlike the fast paths it
/// checks the CSR arrays it is given and throws graph_error on bad ones.

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

namespace detail::csr {

/// Throws graph_error unless `offsets` is a CSR offset array over `num_edges` positions:
/// offsets[0] = 0, non-decreasing, offsets[N] = num_edges. `where` names the op.
inline void check_offsets(char const* where, TensorView<std::int32_t const, 1> offsets, index_t num_edges) {
  index_t const n1 = offsets.extent(0);
  if (n1 < 1) {
    throw shape_error(graphtx::detail::cat(where, ": offsets has extent 0 in dim 0, expected at least 1 (N+1)"));
  }
  if (offsets(0) != 0) {
    throw graph_error(graphtx::detail::cat(where, ": offsets[0] is ", offsets(0), ", expected 0"));
  }
  for (index_t i = 1; i < n1; ++i) {
    if (offsets(i) < offsets(i - 1)) {
      throw graph_error(graphtx::detail::cat(where, ": offsets[", i, "] is ", offsets(i), ", less than offsets[",
                                             i - 1, "] = ", offsets(i - 1), " (must be non-decreasing)"));
    }
  }
  if (offsets(n1 - 1) != num_edges) {
    throw graph_error(graphtx::detail::cat(where, ": offsets[", n1 - 1, "] is ", offsets(n1 - 1), ", expected ",
                                           num_edges, " (E)"));
  }
}

/// Throws graph_error unless every sources[p] lies in [0, num_sources).
inline void check_sources(char const* where, TensorView<std::int32_t const, 1> sources, index_t num_sources) {
  for (index_t p = 0; p < sources.extent(0); ++p) {
    if (sources(p) < 0 || sources(p) >= num_sources) {
      throw graph_error(graphtx::detail::cat(where, ": sources[", p, "] is ", sources(p), ", expected in [0, ",
                                             num_sources, ") (N_src)"));
    }
  }
}

}  // namespace detail::csr

/// alpha[p, h] = exp(logits[p, h] - max) / (sum exp(logits[q, h] - max) + 1e-16) within each
/// segment, per column h; max is the segment's true maximum.
///
/// - logits, alpha: [E, H]; offsets: [N+1]. alpha may be logits (in place).
/// - Throws shape_error on mismatched extents, graph_error on bad offsets.
///
/// A NaN logit is skipped by the maximum below, but it still reaches its segment's sum, so the
/// whole segment comes out NaN, as PyG's (NaN-propagating) scatter max would make it.
template <class T>
void segment_softmax(std::type_identity_t<TensorView<T const, 2>> logits,  // [E, H]
                     TensorView<std::int32_t const, 1> offsets,            // [N+1]
                     TensorView<T, 2> alpha) {                             // [E, H]
  char const* where = "reference::segment_softmax";
  check_extent(where, "alpha", 0, alpha.extent(0), logits.extent(0));
  check_extent(where, "alpha", 1, alpha.extent(1), logits.extent(1));
  detail::csr::check_offsets(where, offsets, logits.extent(0));
  index_t const num_nodes = offsets.extent(0) - 1;
  index_t const heads = logits.extent(1);
  for (index_t i = 0; i < num_nodes; ++i) {
    for (index_t h = 0; h < heads; ++h) {
      T mx = -std::numeric_limits<T>::infinity();
      for (index_t p = offsets(i); p < offsets(i + 1); ++p) {
        if (logits(p, h) > mx) mx = logits(p, h);
      }
      T sum = 0;
      for (index_t p = offsets(i); p < offsets(i + 1); ++p) {
        T const e = std::exp(logits(p, h) - mx);
        alpha(p, h) = e;  // logits(p, h) is not read again: in place is fine
        sum += e;
      }
      T const denom = sum + static_cast<T>(1e-16);
      for (index_t p = offsets(i); p < offsets(i + 1); ++p) alpha(p, h) = alpha(p, h) / denom;
    }
  }
}

}  // namespace graphtx::ops::reference
