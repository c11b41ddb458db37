#pragma once
/// \file
/// \brief nn::Dropout: the identity at inference.
///
/// graphtx runs inference only. torch's dropout returns its input unchanged when p == 0 or when
/// not training (aten/src/ATen/native/Dropout.cpp), so the seed model (p = 0) gives the same
/// numbers in PyG's train() and eval() modes, and graphtx reproduces both by doing nothing.

#include <graphtx/core/tensor.hpp>
#include <graphtx/profile/format.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

template <class Space = host>
struct Dropout {
  static constexpr index_t parameter_count = 0;
  float p = 0.0f;  ///< kept for reports; has no effect at inference
  /// `probe`: profile this call (it takes about no time and counts nothing, as in DeepSpeed).
  template <class View>
  void forward(View /*x*/, profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
  }
  /// torch.nn.Dropout(p, inplace=False) for profile::Profiler.
  profile::Module profile_module() const {
    return profile::Module::leaf("Dropout", "p=" + profile::format::py_float(p) + ", inplace=False", 0);
  }
};

}  // namespace graphtx::nn
