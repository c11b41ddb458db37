#pragma once
/// \file
/// \brief Textbook BatchNorm1d in eval mode, the oracle for every backend of ops::batch_norm:
/// (x - mean) / sqrt(var + eps) * weight + bias evaluated in T (tests use double) in that order.

#include <cmath>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

/// y[n, c] = (x[n, c] - running_mean[c]) / sqrt(running_var[c] + eps) * weight[c] + bias[c].
/// x, y: [N, C]; running_mean, running_var: [C]; weight, bias: [C] or empty (absent: 1 and 0).
/// y may be x (in place).
template <class T>
void batch_norm(std::type_identity_t<TensorView<T const, 2>> x,             // [N, C]
                std::type_identity_t<TensorView<T const, 1>> running_mean,  // [C]
                std::type_identity_t<TensorView<T const, 1>> running_var,   // [C]
                std::type_identity_t<TensorView<T const, 1>> weight,        // [C] or empty
                std::type_identity_t<TensorView<T const, 1>> bias,          // [C] or empty
                double eps, TensorView<T, 2> y) {                           // [N, C]
  index_t const channels = x.extent(1);
  check_extent("reference::batch_norm", "running_mean", 0, running_mean.extent(0), channels);
  check_extent("reference::batch_norm", "running_var", 0, running_var.extent(0), channels);
  if (!weight.empty()) check_extent("reference::batch_norm", "weight", 0, weight.extent(0), channels);
  if (!bias.empty()) check_extent("reference::batch_norm", "bias", 0, bias.extent(0), channels);
  check_extent("reference::batch_norm", "y", 0, y.extent(0), x.extent(0));
  check_extent("reference::batch_norm", "y", 1, y.extent(1), channels);
  for (index_t n = 0; n < x.extent(0); ++n) {
    for (index_t c = 0; c < channels; ++c) {
      T const w = weight.empty() ? T(1) : weight(c);
      T const b = bias.empty() ? T(0) : bias(c);
      y(n, c) = (x(n, c) - running_mean(c)) / std::sqrt(running_var(c) + static_cast<T>(eps)) * w + b;
    }
  }
}

}  // namespace graphtx::ops::reference
