#pragma once
/// \file
/// \brief Textbook LayerNorm, the oracle for every backend of ops::layer_norm: torch semantics
/// (biased variance, eps inside the sqrt), everything computed in double, rounded once to T.

#include <cmath>
#include <type_traits>
#include <vector>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

/// y[i, :] = (x[i, :] - mean) / sqrt(var + eps) * gamma + beta. x, y: [N, F]; gamma, beta: [F].
/// y may be x (in place).
template <class T>
void layer_norm(std::type_identity_t<TensorView<T const, 2>> x, std::type_identity_t<TensorView<T const, 1>> gamma,
                std::type_identity_t<TensorView<T const, 1>> beta, double eps, TensorView<T, 2> y) {
  check_extent("reference::layer_norm", "gamma", 0, gamma.extent(0), x.extent(1));
  check_extent("reference::layer_norm", "beta", 0, beta.extent(0), x.extent(1));
  check_extent("reference::layer_norm", "y", 0, y.extent(0), x.extent(0));
  check_extent("reference::layer_norm", "y", 1, y.extent(1), x.extent(1));
  index_t const f = x.extent(1);
  std::vector<double> row(static_cast<std::size_t>(f));  // [F], a copy so that y may alias x
  for (index_t i = 0; i < x.extent(0); ++i) {
    for (index_t c = 0; c < f; ++c) row[static_cast<std::size_t>(c)] = static_cast<double>(x(i, c));
    double mean = 0.0;
    for (double v : row) mean += v;
    mean /= static_cast<double>(f);
    double var = 0.0;
    for (double v : row) var += (v - mean) * (v - mean);
    var /= static_cast<double>(f);
    double const denom = std::sqrt(var + eps);
    for (index_t c = 0; c < f; ++c) {
      double const z = (row[static_cast<std::size_t>(c)] - mean) / denom;
      y(i, c) = static_cast<T>(z * static_cast<double>(gamma(c)) + static_cast<double>(beta(c)));
    }
  }
}

}  // namespace graphtx::ops::reference
