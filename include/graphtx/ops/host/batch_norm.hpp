#pragma once
/// \file
/// \brief Host backend of ops::batch_norm: per-channel alpha and beta in float exactly as PyTorch's
/// CPU kernel forms them, then one multiply and one add per element, rows split across OpenMP
/// threads. Included by <graphtx/ops/batch_norm.hpp>.

#include <cmath>
#include <vector>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct batch_norm_impl;

template <>
struct batch_norm_impl<host> {
  /// Below this many elements the loop runs on one thread (memory-bound: 8 bytes per element).
  static constexpr index_t parallel_min_elements = index_t{1} << 17;

  /// Shapes were checked by ops::batch_norm; weight and bias are empty when absent. y may alias
  /// x: element (n, c) is read before it is written.
  static void run(TensorView<float const, 2, host> x,             // [N, C]
                  TensorView<float const, 1, host> running_mean,  // [C]
                  TensorView<float const, 1, host> running_var,   // [C]
                  TensorView<float const, 1, host> weight,        // [C] or empty
                  TensorView<float const, 1, host> bias,          // [C] or empty
                  float eps,
                  TensorView<float, 2, host> y) {  // [N, C]
    index_t const n = x.extent(0);
    index_t const channels = x.extent(1);
    if (n == 0 || channels == 0) return;
    // alpha, beta: [C] each, torch's batch_norm_cpu_collect_linear_and_constant_terms in float.
    std::vector<float> coef(static_cast<std::size_t>(2 * channels));
    float* alpha = coef.data();
    float* beta = coef.data() + channels;
    for (index_t c = 0; c < channels; ++c) {
      float const invstd = 1.0f / std::sqrt(running_var(c) + eps);
      float const w = weight.empty() ? 1.0f : weight(c);
      float const b = bias.empty() ? 0.0f : bias(c);
      alpha[c] = invstd * w;
      beta[c] = b - running_mean(c) * alpha[c];
    }
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (n * channels >= parallel_min_elements)
#endif
    for (index_t i = 0; i < n; ++i) {
      float const* xr = x.row(i);  // [C]
      float* yr = y.row(i);        // [C]
      for (index_t c = 0; c < channels; ++c) yr[c] = xr[c] * alpha[c] + beta[c];
    }
  }
};

}  // namespace graphtx::ops::detail
