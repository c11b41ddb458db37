#pragma once
/// \file
/// \brief Host backend of ops::add_bias_to_targets.

#include <cstdint>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

template <class Space>
struct add_bias_to_targets_impl;

template <>
struct add_bias_to_targets_impl<host> {
  static void run(TensorView<float const, 1, host> bias, TensorView<std::int32_t const, 1, host> offsets,
                  TensorView<float, 2, host> out) {
    index_t const n = out.extent(0), d = out.extent(1);
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (n * d >= (index_t{1} << 16))
#endif
    for (index_t i = 0; i < n; ++i) {
      if (offsets(i + 1) == offsets(i)) continue;
      float* o = out.row(i);
      for (index_t c = 0; c < d; ++c) o[c] += bias(c);
    }
  }
};

}  // namespace graphtx::ops::detail
