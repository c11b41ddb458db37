#pragma once
/// \file
/// \brief nn::Dropout: the identity at inference.
///
/// graphtx runs inference only. torch's dropout returns its input unchanged when p == 0 or when
/// not training (aten/src/ATen/native/Dropout.cpp), so a model gives the same numbers in PyG's
/// eval() mode (and, for p = 0 as in the seed model, in train() mode too); graphtx does nothing.

#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/profile/format.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

/// `torch.nn.Dropout(p)`'s configuration (a struct: clang 14 takes no bare float template argument).
struct DropoutConfig {
  float p = 0.0f;  ///< kept for the profile report only
};

/// `torch.nn.Dropout(p)`: `nn::Dropout<>` (p = 0) or `nn::Dropout<nn::DropoutConfig{.p = 0.1f}>`.
template <DropoutConfig Config = DropoutConfig{}, class Space = host>
struct Dropout {
  static constexpr float P = Config.p;
  static_assert(P >= 0.0f && P <= 1.0f, "nn::Dropout: p must be in [0, 1]");
  using space = Space;
  using input_type = float;
  using output_type = float;
  template <class S>
  using rebind = Dropout<Config, S>;
  static constexpr int in_width = any_width;
  static constexpr int out_width = any_width;
  static constexpr index_t parameter_count = 0;
  static constexpr float p = P;

  /// The identity (a copy: forward returns a tensor of its own).      x: [rows, F] -> [rows, F]
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& g,
                                  profile::Probe probe = {}) const {
    Tensor<float, 2, Space> y(x.extents());
    deep_copy<float, 2, Space, Space>(y.view(), x);
    forward_in_place(y.view(), g, probe);
    return y;
  }
  /// Nothing to do. `probe`: the call is profiled (it takes about no time and counts nothing, as in
  /// DeepSpeed, which does not patch F.dropout).
  void forward_in_place(TensorView<float, 2, Space> /*x*/, GraphContext<Space> const& /*g*/,
                        profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
  }
  static void add_counts(profile::Module& /*node*/, FlowShape /*s*/) {}
  /// torch.nn.Dropout(p, inplace=False) for profile::Profiler.
  static profile::Module profile_module() {
    return profile::Module::leaf("Dropout", "p=" + profile::format::py_float(P) + ", inplace=False", 0);
  }
  template <class V>
  void visit(V& /*v*/) {}
};

}  // namespace graphtx::nn
