#pragma once
/// \file
/// \brief Textbook folded attention: logits, PyG's softmax and the weighted sum of source rows,
/// each as its own loop, templated on the element type. The oracle of every folded_attention backend.

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

template <class T>
void folded_attention(std::type_identity_t<TensorView<T const, 2>> qt, std::type_identity_t<TensorView<T const, 1>> qt_bias,
                      std::type_identity_t<TensorView<T const, 2>> x_src,
                      TensorView<std::int32_t const, 1> offsets, TensorView<std::int32_t const, 1> sources, int heads,
                      double divisor, TensorView<T, 2> y) {
  index_t const f = x_src.extent(1);
  for (index_t i = 0; i + 1 < offsets.extent(0); ++i) {
    index_t const begin = offsets(i), end = offsets(i + 1);
    if (begin < 0 || end < begin || end > sources.extent(0)) {
      throw graph_error(graphtx::detail::cat("reference::folded_attention: offsets[", i, "..", i + 1, "] = [", begin,
                                             ", ", end, "] is not a valid segment of ", sources.extent(0), " edges"));
    }
    for (int h = 0; h < heads; ++h) {
      std::vector<double> logit(static_cast<std::size_t>(end - begin));
      double mx = -std::numeric_limits<double>::infinity();
      for (index_t p = begin; p < end; ++p) {
        index_t const j = sources(p);
        if (j < 0 || j >= x_src.extent(0)) {
          throw graph_error(graphtx::detail::cat("reference::folded_attention: sources[", p, "] = ", j,
                                                 " is outside [0, ", x_src.extent(0), ")"));
        }
        double s = 0;
        for (index_t c = 0; c < f; ++c) {
          double const q = static_cast<double>(qt(i, h * f + c)) +
                           (qt_bias.extent(0) != 0 ? static_cast<double>(qt_bias(h * f + c)) : 0.0);
          s += q * static_cast<double>(x_src(j, c));
        }
        logit[static_cast<std::size_t>(p - begin)] = s / divisor;
        mx = std::max(mx, s / divisor);
      }
      double sum = 0;
      for (auto& l : logit) sum += (l = std::exp(l - mx));
      for (index_t c = 0; c < f; ++c) {
        double acc = 0;
        for (index_t p = begin; p < end; ++p) {
          acc += logit[static_cast<std::size_t>(p - begin)] / (sum + 1e-16) * static_cast<double>(x_src(sources(p), c));
        }
        y(i, h * f + c) = static_cast<T>(acc);
      }
    }
  }
}

}  // namespace graphtx::ops::reference
