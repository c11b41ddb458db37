#pragma once
/// \file
/// \brief nn::ReLU: torch.nn.ReLU(inplace=False). No parameters.

#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/activation.hpp>

namespace graphtx::nn {

template <class Space = host>
struct ReLU {
  static constexpr index_t parameter_count = 0;
  /// y = max(x, 0), NaN kept. y may be x.        x, y: [N, F]
  void forward(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y) const { ops::relu(x, y); }
};

}  // namespace graphtx::nn
