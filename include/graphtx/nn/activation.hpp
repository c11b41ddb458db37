#pragma once
/// \file
/// \brief nn::ReLU: torch.nn.ReLU(inplace=False). No parameters.

#include <graphtx/core/tensor.hpp>
#include <graphtx/ops/activation.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

template <class Space = host>
struct ReLU {
  static constexpr index_t parameter_count = 0;
  /// y = max(x, 0), NaN kept. y may be x.        x, y: [N, F]
  /// `probe`: profile this call (DeepSpeed counts one flop per element).
  void forward(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y, profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    probe.count(profile::relu_counts(x.size()));
    ops::relu(x, y);
  }
  /// torch.nn.ReLU(inplace=False) for profile::Profiler (its extra_repr is empty).
  static profile::Module profile_module() { return profile::Module::leaf("ReLU", "", 0); }
};

}  // namespace graphtx::nn
