#pragma once
/// \file
/// \brief Textbook segment softmax (PyG semantics), templated on the element type: the oracle.

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/reference/segment_sum.hpp>

namespace graphtx::ops::reference {

/// alpha[p, h] = exp(logits[p, h] - max) / (sum exp + 1e-16) within each segment, per column.
/// logits, alpha: [E, H]; offsets: [N+1] (checked: graph_error on bad offsets).
template <class T>
void segment_softmax(std::type_identity_t<TensorView<T const, 2>> logits, TensorView<std::int32_t const, 1> offsets,
                     TensorView<T, 2> alpha) {
  check_extent("reference::segment_softmax", "alpha", 0, alpha.extent(0), logits.extent(0));
  check_extent("reference::segment_softmax", "alpha", 1, alpha.extent(1), logits.extent(1));
  detail::check_offsets("reference::segment_softmax", "offsets", offsets, logits.extent(0));
  for (index_t i = 0; i + 1 < offsets.extent(0); ++i) {
    for (index_t c = 0; c < logits.extent(1); ++c) {
      T mx = -std::numeric_limits<T>::infinity();
      bool nan = false;
      for (index_t p = offsets(i); p < offsets(i + 1); ++p) {
        nan = nan || std::isnan(logits(p, c));
        if (logits(p, c) > mx) mx = logits(p, c);
      }
      if (nan) mx = std::numeric_limits<T>::quiet_NaN();
      double sum = 0.0;
      for (index_t p = offsets(i); p < offsets(i + 1); ++p) sum += std::exp(static_cast<double>(logits(p, c) - mx));
      for (index_t p = offsets(i); p < offsets(i + 1); ++p) {
        alpha(p, c) = static_cast<T>(std::exp(static_cast<double>(logits(p, c) - mx)) / (sum + 1e-16));
      }
    }
  }
}

}  // namespace graphtx::ops::reference
