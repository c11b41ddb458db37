#pragma once
/// \file
/// \brief Textbook add_bias_to_targets.

#include <cstdint>

#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::reference {

template <class T>
void add_bias_to_targets(TensorView<T const, 1> bias, TensorView<std::int32_t const, 1> offsets, TensorView<T, 2> out) {
  for (index_t i = 0; i < out.extent(0); ++i)
    if (offsets(i + 1) > offsets(i))
      for (index_t c = 0; c < out.extent(1); ++c) out(i, c) += bias(c);
}

}  // namespace graphtx::ops::reference
